// The SARIF 2.1.0 form of a check, for GitHub code scanning and other SARIF viewers. Every result
// has a physical location (code scanning drops results without one): the file relative to the
// checked model directory (uriBaseId MODELDIR, itself given relative to the working directory
// when the model is inside it), a region for text files, and the element path as a logical
// location for binary ones.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOOL_NAME, TOOL_VERSION } from '../toolInfo';
import { Finding, RelatedLocation, Severity } from '../rules/finding';
import { RULES, RULES_DOC_URL, ruleDocsUri } from '../rules/index';
import { CheckOutcome } from './checkModel';
import { LocationResolver, ResolvedLocation } from './resolveLocation';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const BASE_ID = 'MODELDIR';

type Json = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | Json | JsonValue[];

const LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note' };

export function checkSarif(outcome: CheckOutcome, resolve: LocationResolver, cwd: string = process.cwd()): Json {
  const modelDir = outcome.kind === 'checked' ? outcome.model.location.dir : outcome.kind === 'not-a-savedmodel' ? outcome.location?.dir : undefined;
  const modelFile = outcome.kind === 'checked' ? outcome.model.location.modelFile : outcome.kind === 'not-a-savedmodel' ? outcome.location?.modelFile : undefined;
  const fallbackFile = modelFile ? path.basename(modelFile) : undefined;
  const run: Json = {
    tool: { driver: driver() },
    columnKind: 'utf16CodeUnits',
    invocations: [invocation(outcome)],
    results: outcome.kind === 'unreadable' ? [] : outcome.findings.map((f) => result(f, resolve, fallbackFile)),
  };
  if (modelDir) run.originalUriBaseIds = { [BASE_ID]: baseUri(modelDir, cwd) };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
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

/** The model directory: relative to the working directory (the repository root in CI) when inside it. */
function baseUri(dir: string, cwd: string): Json {
  const rel = path.relative(cwd, dir);
  if (rel === '') return { uri: './', uriBaseId: '%SRCROOT%' };
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: `${encodePath(rel.split(path.sep).join('/'))}/`, uriBaseId: '%SRCROOT%' };
  return { uri: `${pathToFileURL(dir).href}/` };
}

function encodePath(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function result(f: Finding, resolve: LocationResolver, fallbackFile: string | undefined): Json {
  const index = RULES.findIndex((r) => r.id === f.ruleId);
  const out: Json = {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(resolve(f.location), fallbackFile)],
  };
  if (index >= 0) out.ruleIndex = index;
  const related = f.related ?? [];
  if (related.length) out.relatedLocations = related.map((r, i) => relatedLocation(r, i, resolve, fallbackFile));
  return out;
}

function relatedLocation(r: RelatedLocation, id: number, resolve: LocationResolver, fallbackFile: string | undefined): Json {
  return { id, ...location(resolve(r.location), fallbackFile), message: { text: r.message } };
}

function location(at: ResolvedLocation, fallbackFile: string | undefined): Json {
  const out: Json = {};
  const file = at.file ?? fallbackFile;
  if (file) {
    const physical: Json = { artifactLocation: { uri: encodePath(file), uriBaseId: BASE_ID } };
    if (at.range) {
      physical.region = { startLine: at.range.start.line, startColumn: at.range.start.column, endLine: at.range.end.line, endColumn: at.range.end.column };
    }
    out.physicalLocation = physical;
  }
  if (at.element) out.logicalLocations = [{ fullyQualifiedName: at.element, kind: 'element' }];
  return out;
}
