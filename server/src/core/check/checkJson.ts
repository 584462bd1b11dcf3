// The JSON form of a check: a stable, documented schema (docs/check-json.md). Bump SCHEMA_VERSION
// on any change that is not a pure addition.
import * as path from 'node:path';
import { TOOL_NAME, TOOL_VERSION } from '../toolInfo';
import { Finding, Severity } from '../rules/finding';
import { RuleId } from '../rules/finding';
import { SizeReport } from '../rules/sizeReport';
import { CheckOutcome, countSeverities } from './checkModel';
import { LocationResolver, ResolvedLocation } from './resolveLocation';

export const SCHEMA_VERSION = 1;

export interface JsonLocation {
  kind: 'element' | 'file' | 'model';
  file: string | null;
  elementPath: string | null;
  range: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
}

export interface JsonFinding {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  location: JsonLocation;
  related: Array<{ message: string; location: JsonLocation }>;
}

export interface JsonSize {
  total: number;
  limit: number;
  limitSource: 'mls1' | 'n1' | 'max-size';
  overLimit: boolean;
  parts: { modelFile: number; variables: number; assets: number; other: number };
  contributors: Array<{ kind: 'variable' | 'asset' | 'graph' | 'file'; name: string; bytes: number; dtype: string | null }>;
  float32Bytes: number;
  variablesKnown: boolean;
  estimates: { float16: number; int8: number };
}

export interface CheckJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  input: string;
  status: 'checked' | 'not-a-savedmodel' | 'unreadable';
  error: string | null;
  model: { dir: string; modelFile: string; format: 'binary' | 'text' | null; versions: string[] | null } | null;
  findings: JsonFinding[];
  size: JsonSize | null;
  summary: { errors: number; warnings: number; infos: number };
}

export function checkJson(outcome: CheckOutcome, resolve: LocationResolver): CheckJson {
  const base = { schemaVersion: SCHEMA_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, input: outcome.input, status: outcome.kind };
  if (outcome.kind === 'unreadable') {
    return { ...base, error: outcome.reason, model: null, findings: [], size: null, summary: { errors: 0, warnings: 0, infos: 0 } };
  }
  const c = countSeverities(outcome.findings);
  const model = outcome.kind === 'checked'
    ? { dir: outcome.model.location.dir, modelFile: path.basename(outcome.model.location.modelFile), format: outcome.model.location.format, versions: outcome.model.location.versions ? [...outcome.model.location.versions] : null }
    : outcome.location ? { dir: outcome.location.dir, modelFile: path.basename(outcome.location.modelFile), format: null, versions: null } : null;
  return {
    ...base,
    error: null,
    model,
    findings: outcome.findings.map((f) => jsonFinding(f, resolve)),
    size: outcome.kind === 'checked' ? jsonSize(outcome.size) : null,
    summary: { errors: c.error, warnings: c.warning, infos: c.info },
  };
}

function jsonFinding(f: Finding, resolve: LocationResolver): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    location: jsonLocation(resolve(f.location)),
    related: (f.related ?? []).map((r) => ({ message: r.message, location: jsonLocation(resolve(r.location)) })),
  };
}

function jsonLocation(at: ResolvedLocation): JsonLocation {
  return {
    kind: at.kind,
    file: at.file ?? null,
    elementPath: at.element ?? null,
    range: at.range ? { start: { ...at.range.start }, end: { ...at.range.end } } : null,
  };
}

function jsonSize(s: SizeReport): JsonSize {
  return {
    total: s.total,
    limit: s.limit.bytes,
    limitSource: s.limit.source,
    overLimit: s.total > s.limit.bytes,
    parts: { ...s.parts },
    contributors: s.contributors.map((c) => ({ kind: c.kind, name: c.name, bytes: c.bytes, dtype: c.dtype ?? null })),
    float32Bytes: s.float32Bytes,
    variablesKnown: s.variablesKnown,
    estimates: { ...s.estimates },
  };
}
