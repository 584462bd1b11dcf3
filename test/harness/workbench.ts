// A VS Code workbench in headless Chromium, served by a fresh code-server with the project
// installed as an extension, and the small helpers UI tests need. Every step() leaves a
// screenshot in test-output/screenshots/ (the failing one too).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServer, startCodeServer } from './codeServer';
import { Browser, BrowserElement, BrowserWindow, Locator, Page, launchChromium } from './playwright';
import { FIXTURE_WORKSPACE, PROJECT_ROOT, SCREENSHOTS } from './paths';

const TIMEOUT_MS = 30_000;

export interface WorkbenchOptions {
  /** Names the screenshots and the run folder. */
  name: string;
  /** Load the project through the URL payload instead of an extensions-folder link (hides toasts). */
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  /** Other extension folders to install beside the project. */
  extraExtensions?: string[];
}

function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

interface ExplorerRow {
  /** Position in the whole (virtual) list. */
  index: number;
  /** 1 for the workspace folder's children. */
  level: number;
  name: string;
  expanded: boolean;
}

/** Monaco renders spaces as no-break spaces. */
function plainText(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export class Workbench {
  private shot = 0;

  constructor(readonly page: Page, readonly server: CodeServer, private readonly browser: Browser, private readonly opts: WorkbenchOptions) {}

  /** Runs one named step, logs its time, and saves a screenshot after it (or of its failure). */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const file = `${this.opts.name}-${String(++this.shot).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}`;
    try {
      const result = await fn();
      await this.screenshot(file);
      console.log(`  step ok   ${name} (${Date.now() - t0} ms)`);
      return result;
    } catch (e) {
      await this.screenshot(`${file}-FAILED`).catch(() => undefined);
      console.log(`  step FAIL ${name} (${Date.now() - t0} ms)`);
      throw e;
    }
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Loads the workbench on a folder and waits for the explorer to list it. */
  async openFolder(dir = FIXTURE_WORKSPACE): Promise<void> {
    let url = `${this.server.url}/?folder=${encodeURIComponent(dir)}`;
    if (this.opts.smokeTestDriver) {
      const payload = [['extensionDevelopmentPath', `vscode-remote://${this.server.authority}${PROJECT_ROOT}`]];
      url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT_MS });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: TIMEOUT_MS });
  }

  /** The explorer's rendered rows in list order, with their tree level. */
  private async explorerRows(): Promise<ExplorerRow[]> {
    const list = this.page.locator('.explorer-folders-view .monaco-list-rows').first();
    await list.waitFor({ timeout: TIMEOUT_MS });
    const rows = await list.evaluate((el) => Array.from((el as BrowserElement).querySelectorAll('.monaco-list-row')).map((r) => ({
      index: Number(r.getAttribute('data-index')), level: Number(r.getAttribute('aria-level')),
      name: (r.textContent ?? '').trim(), expanded: r.getAttribute('aria-expanded') === 'true',
    })));
    return rows.sort((a, b) => a.index - b.index);
  }

  /** Waits for the row `name` at `level` inside the subtree that starts after row `after`. */
  private async explorerRow(name: string, level: number, after: number): Promise<ExplorerRow> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const rows = (await this.explorerRows()).filter((r) => r.index > after);
      const end = rows.findIndex((r) => r.level < level);
      const found = (end < 0 ? rows : rows.slice(0, end)).find((r) => r.level === level && r.name === name);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`explorer row ${name} (level ${level}) did not appear`);
      await this.page.waitForTimeout(100);
    }
  }

  private explorerRowLocator(row: ExplorerRow): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[data-index="${row.index}"]`);
  }

  /** Opens a workspace file by double-clicking it in the explorer, expanding folders on the way. */
  async openFileFromExplorer(relativePath: string): Promise<void> {
    const parts = relativePath.split('/');
    let parent = -1;
    for (const [i, folder] of parts.slice(0, -1).entries()) {
      const row = await this.explorerRow(folder, i + 1, parent);
      if (!row.expanded) await this.explorerRowLocator(row).click();
      parent = row.index;
    }
    const name = parts[parts.length - 1];
    await this.explorerRowLocator(await this.explorerRow(name, parts.length, parent)).dblclick({ timeout: TIMEOUT_MS });
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: TIMEOUT_MS });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: TIMEOUT_MS });
  }

  /** Waits until the status bar's language mode reads `text`; returns what it reads. */
  async waitForLanguageMode(text: string): Promise<string> {
    const mode = this.page.locator('#status\\.editor\\.mode', { hasText: text });
    await mode.waitFor({ timeout: TIMEOUT_MS });
    return (await mode.innerText()).trim();
  }

  /** The computed colour of each token on the first editor line containing `lineText`. */
  async tokenColours(lineText: string, tokens: string[]): Promise<Record<string, string>> {
    const line = this.page.locator('.editor-instance .view-line', { hasText: lineText }).first();
    await line.waitFor({ timeout: TIMEOUT_MS });
    const out: Record<string, string> = {};
    for (const token of tokens) {
      const span = line.locator('span > span').filter({ hasText: exactText(token) }).first();
      await span.scrollIntoViewIfNeeded({ timeout: TIMEOUT_MS });
      out[token] = await span.evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).color);
    }
    return out;
  }

  /**
   * The Problems panel's rows (opening the panel), each as its visible text. Diagnostics arrive
   * asynchronously: pass `waitFor` to wait until a row with that text is there.
   */
  async problemsRows(waitFor?: string | RegExp): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    if (waitFor !== undefined) await panel.locator('.monaco-list-row', { hasText: waitFor }).first().waitFor({ timeout: TIMEOUT_MS });
    return (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => plainText(t).replace(/\s+/g, ' ').trim());
  }

  /** Hovers `token` on the first editor line containing `lineText`; returns the hover's text. */
  async hoverText(lineText: string, token: string): Promise<string> {
    const span = this.page.locator('.editor-instance .view-line', { hasText: lineText }).first()
      .locator('span > span').filter({ hasText: exactText(token) }).first();
    const box = await span.boundingBox();
    if (!box) throw new Error(`token ${token} is not on screen`);
    const hover = this.page.locator('.monaco-hover:not(.hidden)');
    await span.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      // the mouse hover can miss when the editor is still laying out: ask for it by keyboard
      await span.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await this.page.keyboard.press('Control+K');
      await this.page.keyboard.press('Control+I');
      await hover.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    }
    return (await hover.innerText()).trim();
  }

  /** Opens an activity-bar view container by its title (e.g. "SavedModel") unless it is open. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar li.action-item:has(> a.action-label[aria-label^="${title}"])`).first();
    await item.waitFor({ timeout: TIMEOUT_MS });
    if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
    await this.page.locator('.sidebar .composite.title', { hasText: title }).waitFor({ timeout: TIMEOUT_MS });
  }

  /** The visible items of a tree view, expanding its section first. */
  async treeItems(viewTitle: string): Promise<string[]> {
    const header = this.page.locator('.pane-header', { hasText: viewTitle }).first();
    // A container's only view has a hidden header (the container title names it) and is expanded.
    await header.waitFor({ state: 'attached', timeout: TIMEOUT_MS });
    if ((await header.isVisible()) && (await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const pane = this.page.locator('.pane', { hasText: viewTitle }).first();
    await pane.getByRole('treeitem').first().waitFor({ timeout: TIMEOUT_MS });
    return (await pane.getByRole('treeitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Runs a command from the palette by its title as shown there ("Category: Title"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /** Texts of the notifications: the toasts, or the notification center under the smoke-test driver. */
  async notifications(): Promise<string[]> {
    if (this.opts.smokeTestDriver) {
      await this.runCommand('Notifications: Show Notifications');
      const center = this.page.locator('.notifications-center');
      await center.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      return (await center.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
    }
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((t) => t.trim());
  }

  /** Waits for `text` in the editor of the panel area (the Output view); returns that editor's text. */
  async waitForPanelText(text: string): Promise<string> {
    const lines = this.page.locator('.part.panel .monaco-editor .view-lines', { hasText: text }).first();
    await lines.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    return plainText(await lines.innerText());
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
  }
}

/** Starts code-server with the project installed and opens a browser page on it (no folder yet). */
export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const server = await startCodeServer({ label: `ui-${opts.name}`, linkProjectExtension: !opts.smokeTestDriver, smokeTestDriver: opts.smokeTestDriver, env: opts.env, extraExtensions: opts.extraExtensions });
  try {
    const browser = await launchChromium();
    return new Workbench(browser.page, server, browser, opts);
  } catch (e) {
    await server.stop();
    throw e;
  }
}
