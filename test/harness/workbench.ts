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
  /** Install this .vsix instead of linking the project folder. */
  vsix?: string;
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

  /** The explorer row of a workspace path, expanding folders on the way. */
  private async revealInExplorer(relativePath: string): Promise<Locator> {
    // Another view container (e.g. the extension's) may have replaced the explorer in the side bar.
    if (!(await this.page.locator('.explorer-folders-view').first().isVisible())) await this.openViewContainer('Explorer');
    const parts = relativePath.split('/');
    let parent = -1;
    for (const [i, folder] of parts.slice(0, -1).entries()) {
      const row = await this.explorerRow(folder, i + 1, parent);
      if (!row.expanded) await this.explorerRowLocator(row).click();
      parent = row.index;
    }
    return this.explorerRowLocator(await this.explorerRow(parts[parts.length - 1], parts.length, parent));
  }

  /** Opens a workspace file by double-clicking it in the explorer, expanding folders on the way. */
  async openFileFromExplorer(relativePath: string): Promise<void> {
    await (await this.revealInExplorer(relativePath)).dblclick({ timeout: TIMEOUT_MS });
    const name = relativePath.split('/').pop() ?? relativePath;
    // The name, not a longer one that starts with it (saved_model.pb / saved_model.pbtxt); each editor group has an active tab.
    const tabName = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.])`);
    await this.page.locator('.tabs-container .tab.active', { hasText: tabName }).first().waitFor({ timeout: TIMEOUT_MS });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: TIMEOUT_MS });
  }

  /**
   * Right-clicks a workspace path in the explorer and follows its context menu through `labels`
   * (a submenu's label, then an item's); returns the labels of the last menu before clicking.
   */
  async explorerContextMenu(relativePath: string, ...labels: string[]): Promise<string[]> {
    await (await this.revealInExplorer(relativePath)).click({ button: 'right', timeout: TIMEOUT_MS });
    let shown: string[] = [];
    for (const [i, label] of labels.entries()) {
      const menu = this.page.locator('.context-view .monaco-menu').nth(i);
      const item = menu.locator('.action-item', { hasText: exactText(label) }).first();
      await item.waitFor({ timeout: TIMEOUT_MS });
      shown = (await menu.locator('.action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      // Monaco's menus act on the focused item: hover focuses it (and opens a submenu), Enter runs it.
      await item.hover({ timeout: TIMEOUT_MS });
      if (i === labels.length - 1) await this.page.keyboard.press('Enter');
    }
    await this.page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
    return shown;
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

  /** Clicks the first visible tree view row whose text matches `label` (selecting it runs its command). */
  async clickTreeItem(label: string | RegExp): Promise<void> {
    const row = this.page.locator('.pane .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: TIMEOUT_MS });
    await row.click({ timeout: TIMEOUT_MS });
  }

  /** Runs a command from the palette by its title as shown there ("Category: Title"). */
  async runCommand(title: string): Promise<void> {
    await this.startCommand(title);
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /** Types `title` into the palette and presses Enter once it is listed; returns the palette's input. */
  private async startCommand(title: string): Promise<Locator> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    return input;
  }

  /**
   * Runs a palette command that then asks a question in the quick input (a save dialog, a pick) and
   * answers it with `answer` + Enter.
   */
  async runCommandAnswering(title: string, answer: string): Promise<void> {
    const input = await this.startCommand(title);
    const deadline = Date.now() + TIMEOUT_MS;
    const widget = this.page.locator('.quick-input-widget');
    // The command's question reuses the widget. The simple file dialog fills in its proposal and
    // reads the typed folder asynchronously, overwriting early typing and ignoring an early Enter:
    // answer once its value has settled, and press Enter only while the answer is what it shows.
    await this.settledValue(input, (v) => !v.startsWith('>'), deadline);
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the question after ${title} did not take ${answer}`);
      if ((await input.inputValue()) !== answer) {
        await input.fill(answer);
        await this.settledValue(input, (v) => v === answer, deadline);
        continue;
      }
      await this.page.keyboard.press('Enter');
      try {
        await widget.waitFor({ state: 'hidden', timeout: 1000 });
        return;
      } catch {
        // still reading the folder: try again
      }
    }
  }

  /** Picks `label` in the quick pick titled `title` (a command's question): filters by it, then Enter. */
  async pickQuickItem(title: string, label: string): Promise<void> {
    const input = await this.quickInputTitled(title);
    await input.fill(label);
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    await this.quickInputGone(title);
  }

  /** Types `value` into the input box titled `title` (a command's question) and presses Enter. */
  async answerInputBox(title: string, value: string): Promise<void> {
    const input = await this.quickInputTitled(title);
    await input.fill(value);
    await this.settledValue(input, (v) => v === value, Date.now() + TIMEOUT_MS);
    await this.page.keyboard.press('Enter');
    await this.quickInputGone(title);
  }

  private async quickInputTitled(title: string): Promise<Locator> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: exactText(title) }).waitFor({ timeout: TIMEOUT_MS });
    return this.page.locator('.quick-input-widget input').first();
  }

  /** The next question reuses the widget: wait until this one's title is no longer shown. */
  private async quickInputGone(title: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: exactText(title) }).waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /** Waits until the input's value passes `ok` and stays the same for half a second. */
  private async settledValue(input: Locator, ok: (value: string) => boolean, deadline: number): Promise<string> {
    let last = await input.inputValue();
    let since = Date.now();
    for (;;) {
      await this.page.waitForTimeout(100);
      const value = await input.inputValue();
      if (value !== last) {
        last = value;
        since = Date.now();
      } else if (ok(value) && Date.now() - since >= 500) {
        return value;
      }
      if (Date.now() > deadline) throw new Error(`the quick input's value did not settle (now ${value})`);
    }
  }

  /** The modal dialog's message once one is shown. */
  async dialogMessage(): Promise<string> {
    const box = this.page.locator('.monaco-dialog-box');
    await box.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    return plainText(await box.locator('.dialog-message-text').innerText()).trim();
  }

  /** Presses a button of the modal dialog by its label and waits for the dialog to close. */
  async clickDialogButton(label: string): Promise<void> {
    const box = this.page.locator('.monaco-dialog-box');
    await box.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click({ timeout: TIMEOUT_MS });
    await box.waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /** Moves the active editor's cursor to a 1-based line (Go to Line), scrolling it into view. */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  }

  /** Waits for a line with `text` in the active editor; returns that line's text. */
  async waitForEditorLine(text: string): Promise<string> {
    const line = this.page.locator('.editor-instance .view-line', { hasText: text }).first();
    await line.waitFor({ timeout: TIMEOUT_MS });
    return plainText(await line.innerText());
  }

  /** Waits for an editor tab whose label contains `label`. */
  async waitForTab(label: string): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: label }).first().waitFor({ timeout: TIMEOUT_MS });
  }

  /** Waits until a webview (e.g. a markdown preview) shows `text`; returns its body's text. */
  async waitForWebviewText(text: string | RegExp): Promise<string> {
    const body = this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body', { hasText: text });
    await body.waitFor({ timeout: TIMEOUT_MS });
    return plainText(await body.innerText());
  }

  /** The text of the first status bar item containing `text`, once there. */
  async statusBarItem(text: string | RegExp): Promise<string> {
    const item = this.page.locator('.statusbar-item', { hasText: text }).first();
    await item.waitFor({ timeout: TIMEOUT_MS });
    return plainText(await item.innerText()).trim();
  }

  /** Waits for a notification toast containing `text`; returns its message. */
  async waitForToast(text: string | RegExp): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
    await toast.waitFor({ timeout: TIMEOUT_MS });
    return plainText(await toast.innerText()).trim();
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
  const server = await startCodeServer({
    label: `ui-${opts.name}`, linkProjectExtension: !opts.smokeTestDriver && !opts.vsix, smokeTestDriver: opts.smokeTestDriver,
    env: opts.env, extraExtensions: opts.extraExtensions, vsix: opts.vsix,
  });
  try {
    const browser = await launchChromium();
    return new Workbench(browser.page, server, browser, opts);
  } catch (e) {
    await server.stop();
    throw e;
  }
}
