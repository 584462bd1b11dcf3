// The `savedmodelLens.*` settings as the LensSettings the server understands (protocol.ts): sent at
// start as initialization options, and kept in sync through the `savedmodelLens` section.
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, LensSettings } from '../../server/src/protocol';

export const SETTINGS_SECTION = 'savedmodelLens';

type RuleSeverity = LensSettings['rules'][string];
const SEVERITIES: readonly RuleSeverity[] = ['off', 'info', 'warning', 'error'];

export function readSettings(): LensSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    machineType: c.get('machineType') === 'n1' ? 'n1' : 'mls1',
    maxSizeBytes: positiveOrNull(c.get<unknown>('maxSizeBytes')),
    rules: ruleSeverities(c.get<unknown>('rules')),
    treatAllPbtxtAsSavedModel: c.get<boolean>('treatAllPbtxtAsSavedModel') ?? DEFAULT_SETTINGS.treatAllPbtxtAsSavedModel,
    elideBytesOver: nonNegative(c.get<unknown>('elideBytesOver')) ?? DEFAULT_SETTINGS.elideBytesOver,
  };
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}

function positiveOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

function nonNegative(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Keeps only well-formed entries: a typo in settings.json must not reach the server. */
function ruleSeverities(v: unknown): LensSettings['rules'] {
  const out: LensSettings['rules'] = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [id, severity] of Object.entries(v)) {
    if (SEVERITIES.includes(severity as RuleSeverity)) out[id] = severity as RuleSeverity;
  }
  return out;
}
