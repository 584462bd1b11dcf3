// A minimal LSP client for tests: builds the real server (dist/server.js), spawns it with --stdio
// and talks JSON-RPC to it over its stdin/stdout, as VS Code does. Diagnostics the server
// publishes are kept per URI; `stop` shuts the server down and kills it if it lingers.
// `useServer` gives a test file one server for all its tests.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, ProtocolConnection,
  InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification, RegistrationRequest,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification, PublishDiagnosticsParams, Diagnostic, Position,
  HoverRequest, Hover, DocumentSymbolRequest, DocumentSymbol, FoldingRangeRequest, FoldingRange,
  DefinitionRequest, ReferencesRequest, Location, CompletionRequest, CompletionItem, CompletionList,
  CodeActionRequest, CodeAction, Command, Range,
} from 'vscode-languageserver-protocol/node';
import { tempDir } from './models';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_JS = path.join(ROOT, 'dist', 'server.js');

const BUILD_LOCK = path.join(os.tmpdir(), 'savedmodel-lens-server-build.lock');
const BUILD_MARGIN_MS = 10_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Build dist/server.js when it is older than the server's sources. Test files run in parallel
 * processes: a lock folder makes them build one at a time, and never start a half-written bundle.
 */
export function ensureServerBuilt(): void {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${BUILD_LOCK}`);
      sleep(100);
    }
  }
  try {
    const built = fs.statSync(SERVER_JS, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const sources = Math.max(newestMtime(path.join(ROOT, 'server', 'src')), newestMtime(path.join(ROOT, 'server', 'proto')));
    // A bundle finished just after a source changed may come from a build that started before
    // the change (another process building): only one comfortably newer counts as fresh.
    if (built < sources + BUILD_MARGIN_MS) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

type DiagnosticsWaiter = { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  /** Every publishDiagnostics received, per URI, oldest first. */
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: DiagnosticsWaiter[] = [];
  private stderr = '';
  private exited = false;

  private constructor(readonly proc: ChildProcess, readonly connection: ProtocolConnection) {
    proc.stderr?.on('data', (d: Buffer) => { this.stderr += d.toString('utf8'); });
    proc.on('exit', () => { this.exited = true; });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.onDiagnostics(p));
    // The server registers a file watcher; accept it as VS Code would.
    connection.onRequest(RegistrationRequest.type, () => undefined);
  }

  static async start(initializationOptions: Record<string, unknown> = {}): Promise<LspClient> {
    ensureServerBuilt();
    // e.g. LENS_SERVER_NODE_ARGS=--cpu-prof to profile the server under a benchmark.
    const nodeArgs = (process.env.LENS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, SERVER_JS, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(
      new StreamMessageReader(proc.stdout as NodeJS.ReadableStream), new StreamMessageWriter(proc.stdin as NodeJS.WritableStream),
    );
    const client = new LspClient(proc, connection);
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      initializationOptions,
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          foldingRange: { lineFoldingOnly: true },
        },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The server's stderr so far (for assertion messages). */
  get log(): string {
    return this.stderr;
  }

  get alive(): boolean {
    return !this.exited && this.proc.exitCode === null;
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    const list = this.published.get(p.uri) ?? [];
    list.push(p);
    this.published.set(p.uri, list);
    const ready = this.waiters.filter((w) => w.uri === p.uri && w.accept(p));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(p);
  }

  /** The first publication for `uri` (already received or to come) of the given document version. */
  diagnostics(uri: string, version: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const accept = (p: PublishDiagnosticsParams): boolean => p.version === version;
    const known = (this.published.get(uri) ?? []).find(accept);
    if (known) return Promise.resolve(known.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; server log:\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, accept, resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  async open(uri: string, text: string, version = 1, languageId = 'pbtxt'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Replace the whole text (a full-document change event). */
  async change(uri: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
  }

  async foldingRanges(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const r = await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
    if (!r) return [];
    return (Array.isArray(r) ? r : [r]) as Location[];
  }

  async references(uri: string, position: Position, includeDeclaration: boolean): Promise<Location[]> {
    return (await this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [];
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    if (!r) return [];
    return Array.isArray(r) ? r : r.items;
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const r: Array<Command | CodeAction> | null = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (r ?? []).filter((x): x is CodeAction => 'title' in x && !('command' in x && typeof x.command === 'string'));
  }

  /** Shut down politely; kill the process if it has not exited within a second. */
  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 2000);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // A server that no longer answers is killed below.
      }
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 1000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

/** The server of one test file, and the temporary folders its tests write models to. */
export interface ServerSession {
  /** The client of the running server (from the first test on). */
  readonly client: LspClient;
  /** A new temporary folder, removed after the file's tests. */
  tempDir(prefix: string): string;
}

/** Start the server before the calling file's tests and stop it after them, removing the folders made with tempDir. */
export function useServer(): ServerSession {
  let client: LspClient | undefined;
  const dirs: string[] = [];
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    get client(): LspClient {
      if (!client) throw new Error('the server is started by a before hook: use the client inside tests');
      return client;
    },
    tempDir(prefix: string): string {
      const dir = tempDir(prefix);
      dirs.push(dir);
      return dir;
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}

/** The text a range covers (LSP positions over a JS string: UTF-16 columns). */
export function textOf(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

export function offsetOf(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + pos.character;
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The position `delta` characters into the `nth` (0-based) occurrence of `needle`. */
export function positionAtText(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${nth}) not in the text`);
  }
  return positionOf(text, at + delta);
}

/** Apply LSP text edits to a text (edits do not overlap; applied from the last one back). */
export function applyEdits(text: string, edits: ReadonlyArray<{ range: Range; newText: string }>): string {
  const sorted = [...edits].sort((x, y) => offsetOf(text, y.range.start) - offsetOf(text, x.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(out, e.range.start)) + e.newText + out.slice(offsetOf(out, e.range.end));
  return out;
}
