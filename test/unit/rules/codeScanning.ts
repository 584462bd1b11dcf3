// What GitHub code scanning requires of an uploaded SARIF 2.1.0 file beyond the JSON schema,
// from GitHub's "SARIF support for code scanning" page and what its upload rejects:
// - `version` 2.1.0 and a `$schema`; each run's `tool.driver.name`;
// - every result has a `ruleId`, a non-empty `message.text` and at least one location with a
//   physical location whose `artifactLocation.uri` names a file ("expected at least one location",
//   "expected a physical location" reject the whole file);
// - code scanning does not read `originalUriBaseIds`: a relative uri is taken from the repository
//   root, so a uriBaseId other than %SRCROOT% would point at the wrong file; absolute file URIs
//   are made relative to the checkout;
// - levels none/note/warning/error; regions 1-based;
// - limits: 20 runs per file, 25,000 results and 25,000 rules per run, 1,000 locations and
//   1,000 related locations per result, 20 tags per rule, 10 MB gzipped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface ArtifactLocation { uri: string; uriBaseId?: string }
export interface Region { startLine?: number; startColumn?: number; endLine?: number; endColumn?: number }
export interface SarifLocation { physicalLocation?: { artifactLocation: ArtifactLocation; region?: Region } }
export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: string;
  message: { text?: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
}
export interface SarifRule { id: string; shortDescription?: { text: string }; helpUri?: string; properties?: { tags?: string[] } }
export interface SarifLog {
  $schema?: string;
  version: string;
  runs: Array<{ tool: { driver: { name: string; rules?: SarifRule[] } }; results: SarifResult[] }>;
}

const LEVELS = new Set(['none', 'note', 'warning', 'error']);

/**
 * Throws (an AssertionError naming what is wrong) unless code scanning would take `log`. With
 * `repoRoot`, every relative artifact uri must name an existing file under it.
 */
export function assertCodeScanningReady(log: SarifLog, repoRoot?: string): void {
  assert.equal(log.version, '2.1.0', 'code scanning takes SARIF 2.1.0 only');
  assert.ok(log.$schema, 'no $schema');
  assert.ok(log.runs.length >= 1 && log.runs.length <= 20, `${log.runs.length} runs (1 to 20)`);
  assert.ok(gzipSync(JSON.stringify(log)).length <= 10 * 1024 * 1024, 'over 10 MB gzipped');
  for (const run of log.runs) {
    assert.ok(run.tool.driver.name, 'no tool.driver.name');
    const rules = run.tool.driver.rules ?? [];
    assert.ok(rules.length <= 25_000 && run.results.length <= 25_000, 'over 25,000 rules or results');
    for (const rule of rules) assertRule(rule);
    for (const r of run.results) assertResult(r, rules, repoRoot);
  }
}

function assertRule(rule: SarifRule): void {
  assert.ok(rule.id, 'a rule without id');
  assert.ok(rule.shortDescription?.text, `rule ${rule.id}: no shortDescription.text (the alert's title)`);
  assert.ok((rule.properties?.tags ?? []).length <= 20, `rule ${rule.id}: over 20 tags`);
}

function assertResult(r: SarifResult, rules: readonly SarifRule[], repoRoot: string | undefined): void {
  const what = `result ${r.ruleId ?? '(no ruleId)'}`;
  assert.ok(r.ruleId, 'a result without ruleId');
  if (rules.length) assert.ok(rules.some((x) => x.id === r.ruleId), `${what}: ruleId not in the driver's rules`);
  if (r.ruleIndex !== undefined) assert.equal(rules[r.ruleIndex]?.id, r.ruleId, `${what}: ruleIndex ${r.ruleIndex} names another rule`);
  if (r.level !== undefined) assert.ok(LEVELS.has(r.level), `${what}: level ${r.level}`);
  assert.ok(r.message.text, `${what}: no message text`);
  assert.ok(r.locations.length >= 1, `${what}: no location`);
  assert.ok(r.locations.length <= 1000 && (r.relatedLocations ?? []).length <= 1000, `${what}: over 1,000 locations`);
  for (const l of [...r.locations, ...(r.relatedLocations ?? [])]) assertLocation(l, what, repoRoot);
}

function assertLocation(l: SarifLocation, what: string, repoRoot: string | undefined): void {
  const physical = l.physicalLocation;
  assert.ok(physical, `${what}: a location without a physical location`);
  const a = physical.artifactLocation;
  assert.ok(a.uri, `${what}: an empty artifact uri`);
  if (a.uri.startsWith('file:')) {
    assert.equal(a.uriBaseId, undefined, `${what}: an absolute uri with a uriBaseId`);
    assert.ok(fs.existsSync(fileURLToPath(a.uri)), `${what}: ${a.uri} names no file`);
  } else {
    assert.ok(a.uriBaseId === undefined || a.uriBaseId === '%SRCROOT%', `${what}: uriBaseId ${a.uriBaseId}: code scanning reads no originalUriBaseIds`);
    assert.ok(!a.uri.startsWith('/') && !/^[a-z]+:/i.test(a.uri), `${what}: ${a.uri} is neither relative nor a file URI`);
    if (repoRoot) assert.ok(fs.existsSync(path.join(repoRoot, decodeURIComponent(a.uri))), `${what}: ${a.uri} names no file under ${repoRoot}`);
  }
  for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'] as const) {
    const v = physical.region?.[k];
    if (v !== undefined) assert.ok(Number.isInteger(v) && v >= 1, `${what}: region ${k} ${v}`);
  }
}
