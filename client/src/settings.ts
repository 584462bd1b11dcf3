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
    elideNodesOver: nonNegative(c.get<unknown>('elideNodesOver')) ?? DEFAULT_SETTINGS.elideNodesOver,
  };
}

/** The language client forwards a change within a few microtasks; answers asked for later reflect it. */
const SERVER_SETTLE_MS = 50;

/**
 * Calls `listener` after a change of the settings, once the language client has sent it on to the
 * server: what the listener asks the server then already follows the new settings.
 */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(listener, SERVER_SETTLE_MS);
  });
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    subscription.dispose();
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
