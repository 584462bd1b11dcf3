// The SARIF 2.1.0 form of a check, for GitHub code scanning and other SARIF viewers. Every result
// has a physical location (code scanning rejects a file with a result without one): the file
// relative to the working directory (the repository root in CI; uriBaseId %SRCROOT%), or an
// absolute file URI when the model is outside it, a region for text files, and the element path
// as a logical location for binary ones. Code scanning does not read originalUriBaseIds, so a
// uri must name the file from the repository root by itself.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOOL_NAME, TOOL_VERSION } from '../toolInfo';
import { Finding, RelatedLocation, Severity } from '../rules/finding';
import { RULES, RULES_DOC_URL, ruleDocsUri } from '../rules/index';
import { CheckOutcome } from './checkModel';
import { LocationResolver, ResolvedLocation } from './resolveLocation';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Json = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | Json | JsonValue[];

const LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note' };

export function checkSarif(outcome: CheckOutcome, resolve: LocationResolver, cwd: string = process.cwd()): Json {
  const modelDir = outcome.kind === 'checked' ? outcome.model.location.dir : outcome.kind === 'not-a-savedmodel' ? outcome.location?.dir : undefined;
  const modelFile = outcome.kind === 'checked' ? outcome.model.location.modelFile : outcome.kind === 'not-a-savedmodel' ? outcome.location?.modelFile : undefined;
  const files: ArtifactFiles = {
    fallback: modelFile ? path.basename(modelFile) : undefined,
    uri: (file) => artifactLocation(path.resolve(modelDir ?? cwd, file), cwd),
  };
  const run: Json = {
    tool: { driver: driver() },
    columnKind: 'utf16CodeUnits',
    invocations: [invocation(outcome)],
    results: outcome.kind === 'unreadable' ? [] : outcome.findings.map((f) => result(f, resolve, files)),
  };
  // For SARIF viewers that resolve base ids; code scanning takes %SRCROOT% as the repository root.
  run.originalUriBaseIds = { [SRCROOT]: { uri: `${pathToFileURL(cwd).href.replace(/\/$/, '')}/` } };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** How a finding's file (relative to the model directory) becomes an artifact location. */
interface ArtifactFiles {
  /** The model file, for findings that name no file. */
  readonly fallback: string | undefined;
  readonly uri: (file: string) => Json;
}

function driver(): Json {
  return {
    name: TOOL_NAME,
    version: TOOL_VERSION,
    semanticVersion: TOOL_VERSION,
    informationUri: RULES_DOC_URL,
    rules: RULES.map((r) => ({
      id: r.id,
      name: r.id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
      shortDescription: { text: r.description },
      helpUri: ruleDocsUri(r.id),
      defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    })),
  };
}

function invocation(outcome: CheckOutcome): Json {
  if (outcome.kind !== 'unreadable') return { executionSuccessful: true };
  return { executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: `${outcome.input}: ${outcome.reason}` } }] };
}

/** Relative to the working directory (the repository root in CI) when inside it, else absolute. */
function artifactLocation(file: string, cwd: string): Json {
  const rel = path.relative(cwd, file);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  if (!outside) return { uri: encodePath(rel.split(path.sep).join('/')), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(file).href };
}

function encodePath(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function result(f: Finding, resolve: LocationResolver, files: ArtifactFiles): Json {
  const index = RULES.findIndex((r) => r.id === f.ruleId);
  const out: Json = {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(resolve(f.location), files)],
  };
  if (index >= 0) out.ruleIndex = index;
  const related = f.related ?? [];
  if (related.length) out.relatedLocations = related.map((r, i) => relatedLocation(r, i, resolve, files));
  return out;
}

function relatedLocation(r: RelatedLocation, id: number, resolve: LocationResolver, files: ArtifactFiles): Json {
  return { id, ...location(resolve(r.location), files), message: { text: r.message } };
}

function location(at: ResolvedLocation, files: ArtifactFiles): Json {
  const out: Json = {};
  const file = at.file ?? files.fallback;
  if (file) {
    const physical: Json = { artifactLocation: files.uri(file) };
    if (at.range) {
      physical.region = { startLine: at.range.start.line, startColumn: at.range.start.column, endLine: at.range.end.line, endColumn: at.range.end.column };
    }
    out.physicalLocation = physical;
  }
  if (at.element) out.logicalLocations = [{ fullyQualifiedName: at.element, kind: 'element' }];
  return out;
}
