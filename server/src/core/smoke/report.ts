// What a smoke test found, for people (formatReport) and machines (the object itself, --json):
// the device really used, load time, latency over the timed runs, throughput at the batch size,
// the outputs with a NaN/Inf check, the built-in runtime's difference from the cpu backend when it
// ran on webgpu, and the service's response. Errors say what went wrong and what to do.
import { DeviceInfo, ErrorKind, OutputTensor, Parity, RunResult, RuntimeKind } from './runtime/runtime';
import { JsonObject } from './request/jsonValue';
import { predictionResponse } from './request/response';
import { formatDims } from './request/hostTensor';

export type SmokeStatus = 'ok' | 'problems' | 'failed';

export interface RequestSummary {
  readonly source: 'file' | 'synthesized';
  readonly format: 'row' | 'columnar';
  readonly batch: number;
  readonly notes: readonly string[];
  readonly savedTo?: string;
}

export interface LatencySummary {
  readonly runs: number;
  readonly warmup: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface OutputSummary {
  readonly key: string;
  readonly dtype: string;
  readonly computedAs?: string;
  readonly shape: readonly number[];
  readonly nan: number;
  readonly infinite: number;
}

export interface SmokeReport {
  readonly model: string;
  readonly signature?: string;
  readonly runtime?: RuntimeKind;
  readonly runtimeNote?: string;
  readonly request?: RequestSummary;
  readonly status: SmokeStatus;
  readonly device?: DeviceInfo;
  readonly loadMs?: number;
  readonly latency?: LatencySummary;
  /** Instances per second at the batch size, from the mean latency. */
  readonly throughput?: number;
  readonly outputs?: readonly OutputSummary[];
  readonly parity?: Parity;
  /** What the built-in runtime did to run this model ("init op ran: 2 tables"...). */
  readonly mechanisms?: readonly string[];
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
  readonly error?: { readonly kind: ErrorKind; readonly message: string; readonly remedy: string };
  /** The service's answer: `{"predictions": ...}` / `{"outputs": ...}` or `{"error": ...}`. */
  readonly response: JsonObject;
}

export interface ReportContext {
  readonly model: string;
  readonly signature?: string;
  readonly runtime?: RuntimeKind;
  readonly runtimeNote?: string;
  readonly request?: RequestSummary;
  readonly warmup: number;
}

/** A report for a test that could not run (bad request, unreadable model...). */
export function failedReport(ctx: ReportContext, kind: ErrorKind, message: string, remedy: string, device?: DeviceInfo): SmokeReport {
  return {
    ...base(ctx), status: 'failed', ...(device ? { device } : {}),
    warnings: [], problems: [], error: { kind, message, remedy }, response: { error: message },
  };
}

function base(ctx: ReportContext): Pick<SmokeReport, 'model' | 'signature' | 'runtime' | 'runtimeNote' | 'request'> {
  return {
    model: ctx.model,
    ...(ctx.signature ? { signature: ctx.signature } : {}),
    ...(ctx.runtime ? { runtime: ctx.runtime } : {}),
    ...(ctx.runtimeNote ? { runtimeNote: ctx.runtimeNote } : {}),
    ...(ctx.request ? { request: ctx.request } : {}),
  };
}

// webgpu and the cpu backend round differently; beyond this (relative to the outputs' size) the
// difference is a finding.
const PARITY_TOLERANCE = 1e-3;

export function buildReport(ctx: ReportContext, result: RunResult): SmokeReport {
  if (!result.ok) return failedReport(ctx, result.kind, result.message, result.remedy, result.device);
  const batch = ctx.request?.batch ?? 1;
  const outputs = result.outputs.map(summarizeOutput);
  const latency = summarizeLatency(result.latenciesMs, ctx.warmup);
  const response = predictionResponse(result.outputs, ctx.request?.format ?? 'row', batch);
  const problems = [
    ...outputs.filter((o) => o.nan + o.infinite > 0).map((o) => `output '${o.key}' has ${o.nan} NaN and ${o.infinite} infinite value(s)`),
    ...parityProblems(result.parity, result.outputs),
    ...(typeof response.error === 'string' ? [response.error] : []),
  ];
  const warnings = [
    ...(result.device.fallback ? [`a GPU was asked for but not used: ${result.device.fallback}`] : []),
    ...(result.device.kind === 'software' ? ['the WebGPU adapter is a software renderer (the GPU API emulated on the CPU): these numbers are not a GPU\'s'] : []),
    ...result.warnings,
  ];
  return {
    ...base(ctx),
    status: problems.length ? 'problems' : 'ok',
    device: result.device,
    loadMs: result.loadMs,
    ...(latency ? { latency, throughput: latency.meanMs > 0 ? (batch * 1000) / latency.meanMs : undefined } : {}),
    outputs,
    ...(result.parity ? { parity: result.parity } : {}),
    ...(result.mechanisms?.length ? { mechanisms: result.mechanisms } : {}),
    warnings,
    problems,
    response,
  };
}

function summarizeOutput(o: OutputTensor): OutputSummary {
  let nan = 0;
  let infinite = 0;
  for (const v of o.values) {
    if (typeof v !== 'number') continue;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) infinite++;
  }
  return { key: o.key, dtype: o.dtype, ...(o.computedAs ? { computedAs: o.computedAs } : {}), shape: o.shape, nan, infinite };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function summarizeLatency(ms: readonly number[], warmup: number): LatencySummary | undefined {
  if (!ms.length) return undefined;
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((s, v) => s + v, 0) / ms.length;
  return { runs: ms.length, warmup, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), meanMs: mean, minMs: sorted[0], maxMs: sorted[sorted.length - 1] };
}

function parityProblems(parity: Parity | undefined, outputs: readonly OutputTensor[]): string[] {
  if (!parity) return [];
  return Object.entries(parity.perOutput).flatMap(([key, diff]) => {
    const o = outputs.find((x) => x.key === key);
    const scale = Math.max(1, ...(o?.values ?? []).map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : 0)));
    return diff > PARITY_TOLERANCE * scale ? [`output '${key}' differs from the ${parity.against} by up to ${diff.toExponential(2)}`] : [];
  });
}

export function exitCode(r: SmokeReport): 0 | 1 | 2 {
  return r.status === 'ok' ? 0 : r.status === 'problems' ? 1 : 2;
}

export function formatReport(r: SmokeReport): string {
  const lines: string[] = [];
  const add = (label: string, value: string): number => lines.push(`${label.padEnd(12)} ${value}`);
  add('model', r.model);
  if (r.signature) add('signature', r.signature);
  if (r.runtime) add('runtime', `${r.runtime === 'builtin' ? 'built-in (TensorFlow.js)' : 'TensorFlow'}${r.runtimeNote ? ` — ${r.runtimeNote}` : ''}`);
  if (r.request) add('request', `${r.request.source}, ${r.request.format} format, batch ${r.request.batch}${r.request.savedTo ? ` (saved to ${r.request.savedTo})` : ''}`);
  for (const n of r.request?.notes ?? []) add('', `note: ${n}`);
  if (r.device) add('device', deviceLine(r.device));
  if (r.loadMs !== undefined) add('load', `${r.loadMs.toFixed(1)} ms`);
  if (r.latency) add('latency', `p50 ${r.latency.p50Ms.toFixed(2)} ms, p95 ${r.latency.p95Ms.toFixed(2)} ms over ${r.latency.runs} run(s) after ${r.latency.warmup} warm-up`);
  if (r.throughput !== undefined) add('throughput', `${r.throughput.toFixed(1)} instances/s at batch ${r.request?.batch ?? 1}`);
  for (const o of r.outputs ?? []) add('output', `${o.key}: ${o.dtype}${o.computedAs ? ` (computed as ${o.computedAs})` : ''} ${formatDims(o.shape)}${o.nan + o.infinite ? `, ${o.nan} NaN, ${o.infinite} Inf` : ', all finite'}`);
  if (r.parity) add('parity', `largest difference from the ${r.parity.against}: ${r.parity.maxAbsDiff.toExponential(2)}`);
  for (const m of r.mechanisms ?? []) add('used', m);
  for (const w of r.warnings) add('warning', w);
  for (const p of r.problems) add('problem', p);
  if (r.error) {
    add('error', `${r.error.kind}: ${r.error.message}`);
    add('what to do', r.error.remedy);
  }
  add('status', r.status === 'ok' ? 'ok: it ran and the outputs are finite' : r.status === 'problems' ? 'ran with problems' : 'could not run');
  lines.push('', 'response:', JSON.stringify(r.response, null, 2));
  return `${lines.join('\n')}\n`;
}

function deviceLine(d: DeviceInfo): string {
  const what = d.kind === 'gpu' ? 'GPU' : d.kind === 'software' ? 'software adapter, not a GPU' : 'CPU';
  return `${d.name} [${d.backend}; ${what}]`;
}
