// Renders media/savedmodel.svg into the 128x128 marketplace icon media/icon.png with the
// harness's Chromium (run test/harness/install.sh first). Usage: node test/harness/renderIcon.mjs
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const cache = process.env.EDITOR_HARNESS_CACHE ?? path.join(root, '.cache', 'editor-harness');
const { chromium } = createRequire(path.join(cache, 'tools', 'package.json'))('playwright-core');

const svg = fs.readFileSync(path.join(root, 'media', 'savedmodel.svg'), 'utf8')
  .replace(/width="24" height="24"/, 'width="96" height="96"');
// The glyph in white on a rounded TensorFlow-orange tile; corners stay transparent.
const html = `<html><body style="margin:0;background:transparent">
  <div style="width:128px;height:128px;border-radius:24px;background:#e8710a;color:#fff;
              display:flex;align-items:center;justify-content:center">${svg}</div></body></html>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(html);
  await page.screenshot({ path: path.join(root, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote media/icon.png');
