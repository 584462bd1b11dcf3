// Starts code-server (VS Code 1.139 served to a browser) on a free 127.0.0.1 port with a fresh
// run folder, and stops it by killing its whole process group.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, NODE24, PROJECT_ROOT, SETTINGS_TEMPLATE, TEST_OUTPUT } from './paths';

export interface CodeServerOptions {
  /** Needed for the URL payload (extensionDevelopmentPath / extensionTestsPath); it also hides toasts. */
  smokeTestDriver?: boolean;
  /** Install the project as a regular extension by linking it into the extensions folder. */
  linkProjectExtension?: boolean;
  /** More extension folders to link into the extensions folder (each needs its package.json). */
  extraExtensions?: string[];
  /** A .vsix to install with `code-server --install-extension` before the server starts. */
  vsix?: string;
  /** Extra environment for the server and so for its extension hosts. */
  env?: Record<string, string>;
  /** Label for the run folder under test-output/runs/. */
  label?: string;
}

export interface CodeServer {
  url: string;
  /** host:port, the remote authority of vscode-remote:// URIs. */
  authority: string;
  runDir: string;
  logFile: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function freshRunDir(label: string): string {
  const base = path.join(TEST_OUTPUT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${label}-`));
  for (const sub of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.copyFileSync(SETTINGS_TEMPLATE, path.join(dir, 'user-data', 'User', 'settings.json'));
  return dir;
}

function linkExtension(extensionsDir: string, extensionDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  // VS Code finds extensions by folder; the publisher.name-version form is what an install creates.
  fs.symlinkSync(extensionDir, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
}

/** Installs a .vsix the way a user does (`code-server --install-extension`); its output goes to the run folder. */
function installVsix(runDir: string, vsix: string): void {
  const out = execFileSync(NODE24, [CODE_SERVER_ENTRY, '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', path.join(runDir, 'extensions'), '--install-extension', vsix], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), XDG_DATA_HOME: path.join(runDir, 'xdg-data') },
  });
  fs.writeFileSync(path.join(runDir, 'install-extension.log'), out);
}

async function waitHealthy(url: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not come up at ${url}; log ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
}

function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // group already gone
  }
}

async function stopGroup(pgid: number): Promise<void> {
  if (!killGroup(pgid, 'SIGTERM')) return;
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!killGroup(pgid, 0)) return;
  }
  killGroup(pgid, 'SIGKILL');
}

// A harness killed mid-run must not leave servers behind.
const running = new Set<number>();
process.once('exit', () => { for (const pgid of running) killGroup(pgid, 'SIGKILL'); });

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  for (const f of [NODE24, CODE_SERVER_ENTRY]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run test/harness/install.sh`);
  }
  const runDir = freshRunDir(opts.label ?? 'code-server');
  const links = [...(opts.linkProjectExtension ? [PROJECT_ROOT] : []), ...(opts.extraExtensions ?? [])];
  for (const dir of links) linkExtension(path.join(runDir, 'extensions'), dir);
  if (opts.vsix) installVsix(runDir, opts.vsix);
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const args = [
    CODE_SERVER_ENTRY, '--bind-addr', authority, '--auth', 'none',
    '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    // Without it each closed page leaves an extension host running for hours.
    '--reconnection-grace-time', '10',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  // detached: its own process group, so stop() also ends its file watcher and extension hosts.
  const child = spawn(NODE24, args, {
    detached: true, stdio: ['ignore', log, log],
    env: { ...process.env, ...opts.env, XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), XDG_DATA_HOME: path.join(runDir, 'xdg-data') },
  });
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => { exited = true; });
  // Never signal group 0: that is the caller's own group.
  if (!child.pid) throw new Error(`could not start ${NODE24}`);
  const pgid = child.pid;
  const url = `http://${authority}`;
  try {
    await waitHealthy(url, () => exited, logFile);
  } catch (e) {
    await stopGroup(pgid);
    throw e;
  }
  child.unref();
  running.add(pgid);
  const stop = async (): Promise<void> => {
    await stopGroup(pgid);
    running.delete(pgid);
  };
  return { url, authority, runDir, logFile, stop };
}
