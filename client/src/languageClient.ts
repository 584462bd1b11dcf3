// The connection to the language server (dist/server.js, a Node process over IPC): which
// documents it serves, the settings it starts with, and typed custom requests (protocol.ts) that
// wait until the server is up. The language client library is most of the bundle's load time, so
// it loads after activate() has returned.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestParam } from 'vscode-jsonrpc';
import type { LanguageClient, LanguageClientOptions, NotificationType, RequestType, ServerOptions } from 'vscode-languageclient/node';
import { DECODED_SCHEME } from '../../server/src/protocol';
import { SETTINGS_SECTION, readSettings } from './settings';

export const LANGUAGE_ID = 'pbtxt';

/** The documents the server serves: pbtxt files and untitled buffers, and decoded binary models. */
export const DOCUMENT_SELECTOR = [
  { language: LANGUAGE_ID, scheme: 'file' },
  { language: LANGUAGE_ID, scheme: 'untitled' },
  { scheme: DECODED_SCHEME, language: LANGUAGE_ID },
];

export class LensConnection implements vscode.Disposable {
  private readonly client: Promise<LanguageClient>;
  /** Settles when the server has answered `initialize`; requests wait for it. */
  readonly ready: Promise<void>;

  constructor(create: () => Promise<LanguageClient>) {
    this.client = create();
    this.ready = this.client.then((c) => c.start());
  }

  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    await this.ready;
    // RequestParam<P> (P, or also undefined when P admits null) cannot be resolved for a generic P.
    return (await this.client).sendRequest(type, params as RequestParam<P>, token);
  }

  /** Listen to a server notification until the returned disposable is disposed. */
  async onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Promise<vscode.Disposable> {
    await this.ready;
    return (await this.client).onNotification(type, handler);
  }

  async dispose(): Promise<void> {
    const client = await this.client.catch(() => undefined);
    await client?.stop().catch(() => undefined);
  }
}

/** Starts the server; the returned connection is ready once `ready` settles. */
export function startLanguageServer(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LensConnection {
  return new LensConnection(async () => {
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      initializationOptions: readSettings(),
      synchronize: { configurationSection: SETTINGS_SECTION },
      outputChannel: output,
    };
    return new LanguageClient('savedmodelLens', 'SavedModel Lens', serverOptions, clientOptions);
  });
}
