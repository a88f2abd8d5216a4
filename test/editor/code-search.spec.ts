/**
 * The code field's stock search in a real Node-RED and chromium, in en-US and ko: typing `삼성` or
 * `ㅅㅅ` lists 삼성전자 from the stock master (served by the kis-config admin endpoint, not a list in
 * the page) and picking it puts 005930 in the field; the rows under the field show name and
 * market and warn about codes the master does not know, 거래정지, 관리종목 and, for exchange NXT,
 * codes NXT does not trade. One kis-config uses the embedded simulator's master; the other is a
 * real-server config whose master URLs (settings.js kisMasterUrls) point at a local HTTP server
 * with KIS-format files (no network).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { masterUrls } from '../../lib/protocol/master-file';
import { masterArchives, type UniverseStock } from '../../lib/simulator/master-files';
import { launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import { openEditor, openNodeDialog } from '../helpers/editor';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';

type Lang = 'en-US' | 'ko';

function text(lang: Lang, key: string, params: Record<string, string> = {}): string {
  const catalog = JSON.parse(fs.readFileSync(path.join(repoRoot, 'nodes', 'locales', lang, 'kis-config.json'), 'utf8')) as unknown;
  let node: unknown = catalog;
  for (const part of `kis-config.data.search.${key}`.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no text ${key}`);
  return node.replace(/__(\w+)__/g, (w, n: string) => params[n] ?? w);
}

/** The real-server config's master: KIS's format, a few flagged codes. */
const FIXTURE: UniverseStock[] = [
  { code: '005930', name: '삼성전자', market: 'KOSPI', nxt: true },
  { code: '010130', name: '고려아연', market: 'KOSPI', nxt: false },
  { code: '263750', name: '펄어비스', market: 'KOSDAQ', nxt: true, suspended: true },
  { code: '041510', name: '에스엠', market: 'KOSDAQ', nxt: true, managed: true },
];

const flows: FlowNode[] = [
  { id: 't1', type: 'tab', label: 'KIS' },
  { id: 'c1', type: 'kis-config', name: 'simulator', server: 'simulator', restUrl: '', wsUrl: '', custType: 'P', reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100 },
  { id: 'c2', type: 'kis-config', name: 'real', server: 'real', restUrl: '', wsUrl: '', custType: 'P', reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100 },
  { id: 'k1', type: 'kis-tick', z: 't1', name: '', server: 'c1', codes: '', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 200, y: 100, wires: [[]] },
  { id: 'k2', type: 'kis-quote', z: 't1', name: '', server: 'c2', codes: '263750, 041510, 010130, 999999', exchange: 'NXT', output: 'each', conflateMs: 500, payload: 'full', x: 200, y: 200, wires: [[]] },
];

async function suggestions(page: Page): Promise<Array<{ code: string; text: string }>> {
  return page.locator('ul.kis-code-suggest li.kis-suggestion').evaluateAll((items) => items.map((li) => ({ code: li.getAttribute('data-code') ?? '', text: li.textContent ?? '' })));
}

/** The text of a code's row once it matches `pattern` (rows are annotated when the master answers). */
async function rowText(page: Page, code: string, pattern: RegExp = /./): Promise<string> {
  const row = page.locator(`#node-input-codes-list li.kis-code[data-code="${code}"]`);
  await row.waitFor();
  const deadline = Date.now() + 10000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = (await row.textContent()) ?? '';
    if (pattern.test(seen)) return seen;
    await page.waitForTimeout(50);
  }
  return seen;
}

describe('editor: stock search in the code field (real Node-RED, chromium)', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let fixture: Server | undefined;
  let current: TrackedPage | undefined;

  before(async () => {
    const zips = masterArchives(1, FIXTURE);
    fixture = createServer((req, res) => {
      const zip = zips.get(req.url ?? '');
      if (zip === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
    });
    await new Promise<void>((resolve) => fixture!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`;
    red = await startNodeRed({ flows, settings: { lang: 'en-US', kisMasterUrls: masterUrls(origin) } });
    browser = await launchBrowser();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && current !== undefined) await screenshot(current.page, `FAILED-search-${this.currentTest.title}`).catch(() => undefined);
    if (current !== undefined) {
      assert.deepEqual(current.pageErrors, []);
      await current.context.close();
      current = undefined;
    }
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
    await new Promise((resolve) => (fixture ? fixture.close(resolve) : resolve(undefined)));
  });

  for (const lang of ['en-US', 'ko'] as const) {
    it(`${lang}: typing 삼성 and ㅅㅅ lists 삼성전자 from the master; picking it fills in 005930`, async () => {
      current = await openPage(browser!, { locale: lang === 'ko' ? 'ko-KR' : 'en-US', baseURL: red!.url });
      const page = current.page;
      await openEditor(page, ['k1', 'k2']);
      await openNodeDialog(page, 'k1');
      const area = page.locator('#node-input-codes');
      await area.click();
      await area.pressSequentially('삼성');
      await page.locator('ul.kis-code-suggest li.kis-suggestion[data-code="005930"]').waitFor();
      await screenshot(page, `code-search-list-${lang}`);
      let list = await suggestions(page);
      assert.equal(list[0]?.code, '005930', JSON.stringify(list));
      assert.match(list[0]!.text, lang === 'ko' ? /^005930 삼성전자 · KOSPI$/ : /^005930 Samsung Electronics 삼성전자 · KOSPI$/);
      assert.ok(list.some((s) => s.code === '009150'), '삼성전기 too');
      await page.locator('ul.kis-code-suggest li.kis-suggestion[data-code="005930"]').click();
      assert.equal(await area.inputValue(), '005930, ');
      assert.match(await rowText(page, '005930', /삼성전자 · KOSPI/), /삼성전자 · KOSPI/);

      await area.fill('');
      await area.pressSequentially('ㅅㅅ');
      await page.locator('ul.kis-code-suggest li.kis-suggestion[data-code="005930"]').waitFor();
      list = await suggestions(page);
      assert.ok(list.length >= 4, JSON.stringify(list));
      assert.ok(list.some((s) => s.code === '005930' && s.text.includes('삼성전자')), JSON.stringify(list));
      // Keyboard: down to 삼성전자, Enter.
      const index = list.findIndex((s) => s.code === '005930');
      for (let i = 0; i <= index; i++) await area.press('ArrowDown');
      await area.press('Enter');
      assert.equal(await area.inputValue(), '005930, ');
      await screenshot(page, `code-search-${lang}`);
      await page.locator('#node-dialog-cancel').click();
    });

    it(`${lang}: the code rows warn about unknown, 거래정지, 관리종목 and non-NXT codes`, async () => {
      current = await openPage(browser!, { locale: lang === 'ko' ? 'ko-KR' : 'en-US', baseURL: red!.url });
      const page = current.page;
      await openEditor(page, ['k2']);
      await openNodeDialog(page, 'k2');
      await page.locator('#node-input-codes-list li.kis-code-warned').first().waitFor();
      await page.locator('#node-input-codes-list li.kis-code-unknown').first().waitFor();
      const expect = async (code: string, wanted: string): Promise<void> => {
        const seen = await rowText(page, code, { test: (s: string) => s.includes(wanted) } as RegExp);
        assert.ok(seen.includes(wanted), `${code}: ${JSON.stringify(seen)} lacks ${JSON.stringify(wanted)}`);
      };
      await expect('263750', `펄어비스 · KOSDAQ · ${text(lang, 'suspended')}`);
      await expect('041510', `에스엠 · KOSDAQ · ${text(lang, 'managed')}`);
      await expect('010130', `고려아연 · KOSPI · ${text(lang, 'not-nxt')}`);
      await expect('999999', text(lang, 'unknown'));
      // On KRX the NXT warning goes, the others stay.
      await page.locator('#node-input-exchange').selectOption('KRX');
      await page.waitForFunction(() => !document.querySelector('#node-input-codes-list li.kis-code[data-code="010130"] .kis-code-warning'));
      assert.match(await rowText(page, '263750', /펄어비스 · KOSDAQ · /), /펄어비스 · KOSDAQ · /);
      await screenshot(page, `code-warnings-${lang}`);
      await page.locator('#node-dialog-cancel').click();
    });
  }
});
