// The part of playwright-core the harness uses, typed here because playwright-core lives in the
// tools cache (not in the project's dependencies) and tsc must pass before install.sh has run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, TEST_OUTPUT, requireTool } from './paths';

export interface WaitOptions {
  state?: 'attached' | 'detached' | 'visible' | 'hidden';
  timeout?: number;
}

export interface Position {
  x: number;
  y: number;
}

export interface Locator {
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  first(): Locator;
  nth(index: number): Locator;
  count(): Promise<number>;
  waitFor(options?: WaitOptions): Promise<void>;
  click(options?: { position?: Position; timeout?: number; button?: 'left' | 'right' | 'middle' }): Promise<void>;
  dblclick(options?: { timeout?: number }): Promise<void>;
  hover(options?: { position?: Position; timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string): Promise<void>;
  getAttribute(name: string): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  isVisible(): Promise<boolean>;
  /** `fn` runs in the browser: it is serialized, so it must not close over anything. */
  evaluate<R>(fn: (el: unknown) => R): Promise<R>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
  scrollIntoViewIfNeeded(options?: { timeout?: number }): Promise<void>;
}

/** The browser globals and DOM parts that evaluate() callbacks use (tsconfig has no DOM lib). */
export interface BrowserWindow {
  getComputedStyle(el: unknown): { color: string };
}

export interface BrowserElement {
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** An iframe's document (webviews are an iframe holding another). */
export interface FrameLocator {
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
}

export interface Page extends Pick<Locator, 'locator' | 'getByRole'> {
  frameLocator(selector: string): FrameLocator;
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  on(event: 'console', listener: (msg: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface ChromiumLauncher {
  launchPersistentContext(userDataDir: string, options: {
    executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number };
  }): Promise<BrowserContext>;
}

/** The flags that ran reliably on these machines (see /work/shared/editor-harness/README.md). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile, removed again on close(). */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<Browser> {
  const { chromium } = requireTool('playwright-core') as { chromium: ChromiumLauncher };
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(TEST_OUTPUT, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
