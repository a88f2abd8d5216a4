/**
 * The help of every kis node, and the kis-tick / kis-config dialogs, as a user sees them: the help
 * sidebar at its default width, in en-US and ko, on whatever Node-RED the suite runs on (4.1's light
 * theme in `npm test`, Node-RED 5's default dark theme in the Node-RED 5 leg). Measured in chromium:
 * nothing is clipped (tables and code fit), no Korean word is broken across lines, the field tables
 * name types in words users know, and text has enough contrast against what is behind it.
 * Screenshots: test-artifacts/help-<type>-<lang>-nr<major>.png, dialog-<type>-<lang>-nr<major>.png.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactsDir, launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import { openEditor, type EditorRED } from '../helpers/editor';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { registeredTypes } from '../packaging/package-info';

const nodeRedMajor = (JSON.parse(fs.readFileSync(require.resolve('node-red/package.json', { paths: [repoRoot] }), 'utf8')) as { version: string }).version.split('.')[0] ?? '';

/** The words the field tables may use for a type (scripts/gen-docs.js TYPE_WORDS). */
const TYPE_WORDS: Record<'en-US' | 'ko', RegExp> = {
  'en-US': /^(number|signed number|text|text HHMMSS|text YYYYMMDD|text Y\/N)$/,
  ko: /^(숫자|부호 있는 숫자|문자열|문자열 HHMMSS|문자열 YYYYMMDD|문자열 Y\/N)$/,
};

/** The node types whose whole help and dialog this package's editor work owns. */
const OWN_TYPES = ['kis-config', 'kis-tick', 'kis-quote'];

/** Lowest contrast ratio accepted for help and dialog text (WCAG AA for large text; body text aims higher). */
const MIN_CONTRAST = 3;

function kisTypes(): string[] {
  const dir = path.join(repoRoot, 'nodes');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .flatMap((f) => registeredTypes(fs.readFileSync(path.join(dir, f), 'utf8')));
}

interface LayoutReport {
  readonly width: number;
  readonly clipped: string[];
  readonly brokenWords: string[];
  readonly badTypes: string[];
  readonly lowContrast: string[];
  readonly tables: number;
}

/**
 * Measures the element matching `rootSelector` in the page: overflowing cells and code, Korean words
 * split over two lines, type cells outside `typeWords`, and text/background contrast.
 */
function measure(page: Page, rootSelector: string, typeWords: RegExp | null, minContrast: number): Promise<LayoutReport> {
  return page.evaluate(
    ([selector, typeSource, min]) => {
      const root = document.querySelector(selector as string) as HTMLElement | null;
      if (root === null) throw new Error(`${String(selector)} not found`);
      for (const d of root.querySelectorAll('details')) (d as HTMLDetailsElement).open = true;
      const rootBox = root.getBoundingClientRect();
      const clipped: string[] = [];
      const brokenWords: string[] = [];
      const badTypes: string[] = [];
      const lowContrast: string[] = [];
      const label = (el: Element): string => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      // 1. Nothing wider than its box, nothing past the sidebar's right edge.
      for (const el of root.querySelectorAll('td, th, code, table, pre, dd, p, li, .form-row, .form-tips')) {
        const e = el as HTMLElement;
        if (e.offsetParent === null) continue;
        const box = e.getBoundingClientRect();
        const overflowX = getComputedStyle(e).overflowX;
        if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && overflowX !== 'auto' && overflowX !== 'scroll') clipped.push(`${label(e)} (${e.scrollWidth} > ${e.clientWidth})`);
        else if (box.right > rootBox.right + 1 && box.width > 0) clipped.push(`${label(e)} ends at ${Math.round(box.right)} > ${Math.round(rootBox.right)}`);
      }
      // 2. Korean words stay on one line.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        const parent = n.parentElement;
        if (parent === null || parent.offsetParent === null) continue;
        // Korean words, and numbers (the # column), stay on one line.
        for (const m of text.matchAll(/[가-힣][가-힣0-9]*|\b\d+\b/g)) {
          if ((m[0] ?? '').length < 2) continue;
          const range = document.createRange();
          range.setStart(n, m.index ?? 0);
          range.setEnd(n, (m.index ?? 0) + (m[0] ?? '').length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) brokenWords.push(m[0] ?? '');
        }
      }
      // 3. Field tables: the type column (last) in user words.
      const tables = root.querySelectorAll('table.kis-fields');
      if (typeSource !== null) {
        const re = new RegExp(typeSource as string);
        for (const table of tables) {
          for (const row of table.querySelectorAll('tr')) {
            if (row.querySelector('td') === null) continue;
            const type = row.querySelector('.kis-type');
            const word = (type?.textContent ?? '(no type)').replace(/\s+/g, ' ').trim();
            if (!re.test(word)) badTypes.push(word);
          }
        }
      }
      // 4. Contrast of every text-bearing element against its effective background.
      const parse = (c: string): [number, number, number, number] | null => {
        const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
        return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
      };
      const background = (el: Element | null): [number, number, number] => {
        for (let e = el; e !== null; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c !== null && c[3] > 0.5) return [c[0], c[1], c[2]];
        }
        return [255, 255, 255];
      };
      const lum = ([r, g, b]: [number, number, number]): number => {
        const f = (v: number): number => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      for (const el of root.querySelectorAll('*')) {
        const e = el as HTMLElement;
        if (e.offsetParent === null || e.tagName === 'STYLE' || e.tagName === 'OPTION') continue;
        const own = [...e.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && (c.textContent ?? '').trim() !== '');
        if (!own) continue;
        const fg = parse(getComputedStyle(e).color);
        if (fg === null) continue;
        const a = lum([fg[0], fg[1], fg[2]]);
        const b = lum(background(e));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < (min as number)) lowContrast.push(`${label(e)} ${ratio.toFixed(2)}`);
      }
      return { width: Math.round(rootBox.width), clipped, brokenWords: [...new Set(brokenWords)], badTypes: [...new Set(badTypes)], lowContrast, tables: tables.length };
    },
    [rootSelector, typeWords === null ? null : typeWords.source, minContrast] as const,
  );
}

const flows: FlowNode[] = [
  { id: 't1', type: 'tab', label: 'KIS' },
  { id: 'c1', type: 'kis-config', name: 'simulator', server: 'simulator', custType: 'P', reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100 },
  { id: 'k1', type: 'kis-tick', z: 't1', server: 'c1', codes: '005930, 000660, ABC', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 180, y: 80, wires: [] },
];

describe(`editor: help and dialogs readable at the default sidebar width (node-red ${nodeRedMajor})`, function () {
  this.timeout(180000);
  let red: NodeRedProcess | undefined;
  let browser: Browser | undefined;

  before(async () => {
    red = await startNodeRed({ flows, settings: { lang: 'en-US' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  for (const lang of ['en-US', 'ko'] as const) {
    describe(lang, () => {
      let tracked: TrackedPage | undefined;
      before(async () => {
        if (red === undefined || browser === undefined) throw new Error('no runtime');
        tracked = await openPage(browser, { locale: lang === 'ko' ? 'ko-KR' : 'en-US', baseURL: red.url });
        await openEditor(tracked.page, ['k1']);
      });
      after(async () => {
        await tracked?.context.close();
      });

      for (const type of kisTypes()) {
        // This package's own help is checked whole; other node sets' help where scripts/gen-docs.js writes it (field tables).
        const whole = OWN_TYPES.includes(type);
        it(`help of ${type}: ${whole ? 'nothing clipped' : 'generated field tables: nothing clipped'}, no Korean word broken, types in user words, readable contrast`, async () => {
          if (tracked === undefined) throw new Error('no page');
          const { page } = tracked;
          await page.evaluate((t) => (window as unknown as { RED: EditorRED }).RED.sidebar.help.show(t), type);
          const help = page.locator('.red-ui-sidebar-help-stack .red-ui-help').first();
          await help.locator('*').first().waitFor();
          await page.waitForTimeout(300);
          const scope = '.red-ui-sidebar-help-stack .red-ui-help' + (whole ? '' : ' table.kis-fields');
          const present = await page.locator(scope).count();
          if (!whole && present === 0) return; // no generated table in this help
          const report = await measure(page, scope, TYPE_WORDS[lang], MIN_CONTRAST);
          const sidebar = await page.locator('#red-ui-sidebar').boundingBox();
          await screenshot(page, `help-${type}-${lang}-nr${nodeRedMajor}`);
          const table = page.locator('.red-ui-sidebar-help-stack .red-ui-help table.kis-fields').first();
          if ((await table.count()) > 0) {
            fs.mkdirSync(artifactsDir, { recursive: true });
            // The sidebar as the user sees it, scrolled to the field table.
            await table.scrollIntoViewIfNeeded();
            const box = await page.locator('#red-ui-sidebar').boundingBox();
            if (box !== null) await page.screenshot({ path: path.join(artifactsDir, `help-table-${type}-${lang}-nr${nodeRedMajor}.png`), clip: box });
            await page.evaluate(() => document.querySelector('.red-ui-sidebar-help-stack .red-ui-help')?.closest('.red-ui-panel, .red-ui-sidebar-help-stack')?.scrollTo(0, 0));
          }
          assert.ok(sidebar !== null && sidebar.width < 420, `the sidebar is not at its default width: ${JSON.stringify(sidebar)}`);
          assert.deepEqual(report.clipped, [], `${type} help (${report.width}px): clipped`);
          assert.deepEqual(report.brokenWords, [], `${type} help: Korean words broken over two lines`);
          assert.deepEqual(report.badTypes, [], `${type} help: type names users do not know`);
          assert.deepEqual(report.lowContrast, [], `${type} help: low contrast`);
        });
      }

      it('the kis-tick dialog (codes, names, usage line, an invalid code) is readable', async () => {
        if (tracked === undefined) throw new Error('no page');
        const { page } = tracked;
        await page.evaluate(() => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          const node = RED.nodes.node('k1');
          if (node) RED.editor.edit(node);
        });
        await page.locator('#node-dialog-ok').waitFor();
        await page.waitForTimeout(300);
        await screenshot(page, `dialog-kis-tick-${lang}-nr${nodeRedMajor}`);
        const report = await measure(page, '.red-ui-tray-body .kis-dialog', null, MIN_CONTRAST);
        assert.deepEqual(report.clipped, [], 'kis-tick dialog: clipped');
        assert.deepEqual(report.lowContrast, [], 'kis-tick dialog: low contrast');
        assert.deepEqual(report.brokenWords, [], 'kis-tick dialog: Korean words broken');
        await page.locator('#node-dialog-cancel').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
      });

      it('the kis-config dialog is readable', async () => {
        if (tracked === undefined) throw new Error('no page');
        const { page } = tracked;
        await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', 'kis-config', 'c1'));
        await page.locator('#node-config-dialog-ok').waitFor();
        await page.waitForTimeout(300);
        await screenshot(page, `dialog-kis-config-${lang}-nr${nodeRedMajor}`);
        const report = await measure(page, '.red-ui-tray-body .kis-dialog', null, MIN_CONTRAST);
        assert.deepEqual(report.lowContrast, [], 'kis-config dialog: low contrast');
        assert.deepEqual(report.brokenWords, [], 'kis-config dialog: Korean words broken');
        await page.locator('#node-config-dialog-cancel').click();
      });
    });
  }
});
