// Shrink on every ../shared/corpus model, float16 and int8: each copy is proven (type check with
// its exact op list, protoc, check without errors, only saved_model.pb) and answers within
// tolerance wherever the built-in runtime runs both; a refused model says why. The table printed
// as diagnostics is the one of the issue's closing note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { ShrinkError, ShrinkReport, WeightMode, shrinkModel } from '../../../server/src/core/shrink';
import { formatBytes } from '../../../server/src/core/units';
import { tempDir } from '../rules/helpers';
import { assertProven, folderHash } from './proof';

const MODES: readonly WeightMode[] = ['float16', 'int8'];

type Outcome = { readonly report: ShrinkReport } | { readonly refused: string };

function models(): string[] {
  if (corpusMissing()) return [];
  return fs.readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function attempt(name: string, mode: WeightMode): Promise<Outcome> {
  const src = path.join(CORPUS_DIR, name);
  const before = folderHash(src);
  const out = path.join(tempDir(name), 'out');
  try {
    const report = await shrinkModel(src, out, { weights: mode });
    assertProven(out, report, `${name} ${mode}`);
    return { report };
  } catch (e) {
    if (!(e instanceof ShrinkError)) throw e;
    return { refused: e.message };
  } finally {
    assert.equal(folderHash(src), before, `${name}: the source changed`);
  }
}

/** The largest difference of any compared output, as a fraction of that output's range. */
function worst(r: ShrinkReport): number | undefined {
  // Non-numeric outputs (class names) have no range: they must match exactly, and are left out here.
  const all = r.answers.flatMap((a) => (a.compared ? a.outputs.filter((o) => o.range > 0).map((o) => o.maxAbs / o.range) : []));
  return all.length ? Math.max(...all) : undefined;
}

function topClass(r: ShrinkReport): string {
  const rows = r.answers.flatMap((a) => (a.compared ? a.outputs.flatMap((o) => (o.topClass ? [o.topClass] : [])) : []));
  if (!rows.length) return '—';
  return `${rows.reduce((s, t) => s + t.agree, 0)}/${rows.reduce((s, t) => s + t.rows, 0)}`;
}

function compared(r: ShrinkReport): string {
  const n = r.answers.filter((a) => a.compared).length;
  return `${n}/${r.answers.length}`;
}

test('every corpus model: a proven copy within tolerance, or a refusal that says why (table below)', { skip: corpusMissing(), timeout: 1_200_000 }, async (t) => {
  const names = models();
  assert.ok(names.length >= 20);
  let proven = 0;
  t.diagnostic('| model | before | float16 | int8 | largest error (fraction of range) f16 / int8 | top class f16 / int8 | signatures compared | note |');
  t.diagnostic('|---|---|---|---|---|---|---|---|');
  for (const name of names) {
    const outcomes = new Map<WeightMode, Outcome>();
    for (const mode of MODES) outcomes.set(mode, await attempt(name, mode));
    const f16 = outcomes.get('float16') as Outcome;
    const i8 = outcomes.get('int8') as Outcome;
    if ('refused' in f16 || 'refused' in i8) {
      const why = 'refused' in f16 ? f16.refused : (i8 as { refused: string }).refused;
      assert.ok(why.length > 20, `${name}: ${why}`);
      t.diagnostic(`| ${name} | | | | | | | refused: ${why.slice(0, 160)} |`);
      continue;
    }
    for (const [mode, o] of outcomes) {
      const r = (o as { report: ShrinkReport }).report;
      assert.ok(r.verdict === 'ok' || r.verdict === 'not-compared', `${name} ${mode}: ${r.verdict}`);
      assert.ok(r.after.total < r.before.total, `${name} ${mode}: ${r.after.total} ≥ ${r.before.total}`);
    }
    const a = f16.report;
    const b = i8.report;
    if (a.verdict === 'ok' && b.verdict === 'ok') proven++;
    const err = (r: ShrinkReport): string => (worst(r) === undefined ? '—' : (worst(r) as number).toExponential(1));
    const why = [...a.answers, ...b.answers].find((x) => !x.compared);
    t.diagnostic(`| ${name} | ${formatBytes(a.before.total)} | ${formatBytes(a.after.total)} | ${formatBytes(b.after.total)} | ${err(a)} / ${err(b)} | ${topClass(a)} / ${topClass(b)} | ${compared(a)} | ${why && !why.compared ? `not compared: ${why.reason.slice(0, 120)}` : ''} |`);
  }
  assert.ok(proven >= 8, `only ${proven} corpus models proven`);
});

/** A serialized tf.Example with one float feature, encoded by hand (Example.features.feature[name].float_list.value). */
function floatExample(name: string, value: number): Buffer {
  const len = (b: Buffer): Buffer => Buffer.from([b.length]);
  const field = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body), body]);
  const f32 = Buffer.alloc(4);
  f32.writeFloatLE(value);
  const feature = field(0x12, field(0x0a, f32));
  const entry = Buffer.concat([field(0x0a, Buffer.from(name)), field(0x12, feature)]);
  return field(0x0a, field(0x0a, entry));
}

test('tf.Example signatures compare on real serialized examples (--instances)', { skip: corpusMissing() }, async () => {
  const req = path.join(tempDir('req'), 'examples.json');
  fs.writeFileSync(req, JSON.stringify({ instances: [1, 2, -3.5].map((x) => ({ b64: floatExample('x', x).toString('base64') })) }));
  const out = path.join(tempDir('copy'), 'out');
  // serving_default too: a copy without a PREDICT signature would have an error of its own.
  const r = await shrinkModel(path.join(CORPUS_DIR, 'tf-half_plus_two'), out, { weights: 'float16', signatures: ['serving_default', 'regress_x_to_y'], instancesFile: req });
  assertProven(out, r, 'half_plus_two regress');
  const [predict, regress] = r.answers;
  assert.ok(regress.compared && regress.outputs.length === 1 && regress.outputs[0].maxAbs === 0, JSON.stringify(regress));
  assert.ok(!predict.compared && /the request does not fit signature 'serving_default'/.test(predict.reason), JSON.stringify(predict));
  assert.equal(r.verdict, 'not-compared');
});

/** Four Chicago taxi trips as the classify/regress body (`{"examples": [...]}`), every feature the model parses. */
function taxiTrips(): string {
  const trip = {
    company: 'Flash Cab', dropoff_census_tract: 17031839100, dropoff_community_area: 32, dropoff_latitude: 41.880994471, dropoff_longitude: -87.632746489,
    fare: 9.25, payment_type: 'Cash', pickup_census_tract: 17031081800, pickup_community_area: 8, pickup_latitude: 41.899602111,
    pickup_longitude: -87.633308037, trip_miles: 1.3, trip_seconds: 540, trip_start_day: 3, trip_start_hour: 14, trip_start_month: 5, trip_start_timestamp: 1400269500,
  };
  return JSON.stringify({ examples: [
    trip,
    { ...trip, company: 'Taxi Affiliation Services', fare: 23.45, trip_miles: 7.9, trip_seconds: 1260, payment_type: 'Credit Card', trip_start_hour: 8 },
    { ...trip, fare: 5.65, trip_miles: 0.4, trip_seconds: 180, trip_start_day: 6, trip_start_hour: 23 },
    { ...trip, company: 'Sun Taxi', fare: 44.75, trip_miles: 17.2, trip_seconds: 2280, pickup_community_area: 76, payment_type: 'Credit Card' },
  ] });
}

test('tfx-taxi_estimator_serving on real trips: vocabulary tables and real weights, float16 and int8 within tolerance', { skip: corpusMissing() }, async (t) => {
  const req = path.join(tempDir('req'), 'trips.json');
  fs.writeFileSync(req, taxiTrips());
  for (const mode of MODES) {
    const out = path.join(tempDir('copy'), 'out');
    const r = await shrinkModel(path.join(CORPUS_DIR, 'tfx-taxi_estimator_serving'), out, { weights: mode, instancesFile: req });
    assertProven(out, r, `taxi ${mode}`);
    assert.equal(r.verdict, 'ok', JSON.stringify(r.answers));
    assert.equal(r.weightStats.converted, 6);
    const scores = r.answers.flatMap((a) => (a.compared ? a.outputs : [])).filter((o) => o.topClass);
    assert.ok(scores.length >= 3 && scores.every((o) => o.topClass?.agree === 4 && o.maxAbs > 0), JSON.stringify(scores));
    t.diagnostic(`${mode}: ${formatBytes(r.before.total)} → ${formatBytes(r.after.total)}; largest error ${worst(r)?.toExponential(1)} of the range; weights ${r.weightStats.floatBytes} → ${r.weightStats.convertedBytes} bytes`);
  }
});
