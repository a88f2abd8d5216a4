/**
 * Issue 6, end to end: a real Node-RED runtime serves the editor with this package installed (nodesDir =
 * repository root), Debian's chromium is driven by playwright-core. In ko-KR the user drags kis-tick from
 * the palette, types codes and picks an exchange, wires it to a debug node, imports a kis-quote, deploys,
 * and sees the status badge turn connected and msgs reach the debug sidebar; an invalid code makes the
 * node invalid; help shows field tables; credentials never come back. Then the same editor in en-US.
 *
 * The kis-config uses server 'simulator' (the embedded simulator, no credentials, no network). A second,
 * unused kis-config holds fake credentials only to check how the editor and the admin API treat them.
 * The runtime language is pinned to en-US, so status texts (translated on the runtime side) are predictable.
 * Screenshots go to test-artifacts/ (kept by CI as artefacts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import {
  confirmNodeDialog,
  debugEntries,
  deployFromEditor,
  dragFromPalette,
  helpHtml,
  nodeStatus,
  openConfigDialog,
  openEditor,
  openNodeDialog,
  showDebugSidebar,
  waitForStatus,
  wireNodes,
  type EditorRED,
} from '../helpers/editor';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';

type Lang = 'en-US' | 'ko';

/** Fake credentials: never valid anywhere, only searched for where they must not appear. */
const FAKE_APP_KEY = 'PSfakeAppKeyForEditorTest0123456789';
const FAKE_APP_SECRET = 'fakeAppSecretForEditorTest+DoNotLeak/0123456789abcdefghijklmnopqrstuvwxyz=';

/** A catalog text of node set `set` (source catalogs: the same files Node-RED serves from dist). */
function text(lang: Lang, set: 'kis-config' | 'kis-tick' | 'kis-quote', key: string, params: Record<string, string | number> = {}): string {
  const catalog = JSON.parse(fs.readFileSync(path.join(repoRoot, 'nodes', 'locales', lang, `${set}.json`), 'utf8')) as unknown;
  let node: unknown = catalog;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  if (typeof node !== 'string') throw new Error(`${lang}/${set}.json has no text ${key}`);
  return node.replace(/__(\w+)__/g, (whole, name: string) => (params[name] !== undefined ? String(params[name]) : whole));
}

/** The first paragraph of the built help of a node type, as plain text (what the help sidebar must show). */
function helpIntro(lang: Lang, type: string): string {
  const html = fs.readFileSync(path.join(repoRoot, 'dist', 'nodes', 'locales', lang, `${type}.html`), 'utf8');
  const first = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  return first.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

const seedFlows: FlowNode[] = [
  { id: 't1', type: 'tab', label: 'KIS' },
  {
    id: 'c1', type: 'kis-config', name: 'simulator', server: 'simulator', restUrl: '', wsUrl: '', custType: 'P',
    reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100,
  },
  {
    id: 'c2', type: 'kis-config', name: 'real account', server: 'real', restUrl: '', wsUrl: '', custType: 'P',
    reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100,
  },
  { id: 'd1', type: 'debug', z: 't1', name: 'ticks', active: true, tosidebar: true, console: false, complete: 'false', x: 560, y: 120, wires: [] },
];

function nodeProps(page: Page, id: string): Promise<{ valid: boolean | undefined; codes: unknown; exchange: unknown; server: unknown; wires: string[] }> {
  return page.evaluate((nodeId) => {
    const RED = (window as unknown as { RED: EditorRED & { nodes: { filterLinks(f: object): { target: { id: string } }[] } } }).RED;
    const node = RED.nodes.node(nodeId);
    if (!node) throw new Error(`no node ${nodeId}`);
    const wires = RED.nodes.filterLinks({ source: node }).map((l) => l.target.id);
    return { valid: node.valid, codes: node['codes'], exchange: node['exchange'], server: node['server'], wires };
  }, id);
}

describe('editor: kis nodes in a real Node-RED and chromium (issue 6)', function () {
  this.timeout(120000);

  let red: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let current: TrackedPage | undefined;
  /** The kis-tick the user drags onto the canvas (id assigned by the editor). */
  let tickId = '';
  const quoteId = 'q1';

  before(async function () {
    red = await startNodeRed({
      flows: seedFlows,
      credentials: { c2: { appKey: FAKE_APP_KEY, appSecret: FAKE_APP_SECRET } },
      settings: { lang: 'en-US' },
    });
    const sets = (await red.nodeSets()).filter((s) => s.module === '@kis-nodes/node-red-kis');
    const problems = ['kis-config', 'kis-tick', 'kis-quote'].flatMap((name) => {
      const set = sets.find((s) => s.name === name);
      if (set === undefined) return [`${name}: not registered (is it in package.json node-red.nodes?)`];
      return set.err !== undefined ? [`${name}: ${JSON.stringify(set.err)}`] : [];
    });
    if (problems.length > 0) throw new Error(`this package's node sets did not load:\n${problems.join('\n')}\n${red.output()}`);
    browser = await launchBrowser();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && current !== undefined) {
      await screenshot(current.page, `FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async () => {
    await current?.context.close().catch(() => undefined);
    await browser?.close();
    await red?.stop();
  });

  function session(): { red: NodeRedProcess; page: Page; tracked: TrackedPage } {
    if (red === undefined || current === undefined) throw new Error('the runtime or the page did not start');
    return { red, page: current.page, tracked: current };
  }

  describe('ko-KR', () => {
    before(async () => {
      if (red === undefined || browser === undefined) throw new Error('the runtime or the browser did not start');
      current = await openPage(browser, { locale: 'ko-KR', baseURL: red.url });
      await openEditor(current.page, ['c1', 'c2', 'd1']);
    });

    after(async () => {
      if (current !== undefined) {
        assert.deepEqual(current.pageErrors, [], 'page errors in ko-KR');
        await current.context.close();
        current = undefined;
      }
    });

    it('shows the kis palette category with both nodes, labelled in Korean', async () => {
      const { page } = session();
      assert.equal(await page.locator('#red-ui-palette-header-kis span').innerText(), text('ko', 'kis-tick', 'palette.label.kis'));
      const tick = page.locator('.red-ui-palette-node[data-palette-type="kis-tick"] .red-ui-palette-label');
      const quote = page.locator('.red-ui-palette-node[data-palette-type="kis-quote"] .red-ui-palette-label');
      assert.equal((await tick.innerText()).trim(), text('ko', 'kis-tick', 'kis-tick.paletteLabel'));
      assert.equal((await quote.innerText()).trim(), text('ko', 'kis-quote', 'kis-quote.paletteLabel'));
      assert.notEqual(text('ko', 'kis-tick', 'kis-tick.paletteLabel'), text('en-US', 'kis-tick', 'kis-tick.paletteLabel'), 'ko and en-US labels must differ for this check to mean anything');
      await screenshot(page, 'ko-1-palette');
    });

    it('drags kis-tick onto the canvas, enters codes and the exchange in its dialog and wires it to a debug node', async () => {
      const { page } = session();
      tickId = await dragFromPalette(page, 'kis-tick', { x: 200, y: 120 });

      await page.locator(`g[id="${tickId}"] .red-ui-flow-node`).dblclick();
      await page.locator('#node-dialog-ok').waitFor();
      // Dialog labels come from the kis-config catalog (shared by both data nodes), in Korean.
      assert.equal(
        (await page.locator('label[for="node-input-codes"]').innerText()).trim(),
        text('ko', 'kis-config', 'kis-config.data.label.codes'),
      );
      await page.locator('#node-input-server').selectOption('c1');
      await page.locator('#node-input-codes').fill('005930, 000660');
      await page.locator('#node-input-exchange').selectOption('KRX');
      // Each code is listed with its name; the usage line counts the session's registrations.
      const listed = page.locator('#node-input-codes-list');
      await listed.getByText('삼성전자').waitFor();
      await listed.getByText('SK하이닉스').waitFor();
      const usage = await page.locator('#node-input-codes-usage').innerText();
      assert.match(usage, /\b2\b.*\b41\b|\b41\b.*\b2\b/);
      assert.ok(usage.includes('simulator'), `the usage line names the session's kis-config: ${usage}`);
      await screenshot(page, 'ko-2-tick-dialog');
      await confirmNodeDialog(page);

      const props = await nodeProps(page, tickId);
      assert.equal(props.codes, '005930, 000660');
      assert.equal(props.exchange, 'KRX');
      assert.equal(props.server, 'c1');
      assert.equal(props.valid, true);

      // Wire tick → "ticks" debug by dragging from the output port to the debug node's input port.
      await wireNodes(page, tickId, 'd1');
      assert.deepEqual((await nodeProps(page, tickId)).wires, ['d1']);
    });

    it('imports a kis-quote wired to its own debug node', async () => {
      const { page } = session();
      await page.evaluate((id) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        RED.view.importNodes(
          [
            { id, type: 'kis-quote', name: '', server: 'c1', codes: '000660', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 220, y: 240, wires: [['d2']] },
            // Import keeps only the wires between imported nodes, so the debug node comes along.
            { id: 'd2', type: 'debug', name: 'quotes', active: true, tosidebar: true, console: false, complete: 'false', x: 560, y: 240, wires: [] },
          ],
          { generateIds: false },
        );
      }, quoteId);
      // importNodes leaves the imported nodes attached to the mouse until a click drops them.
      await page.mouse.click(400, 600);
      const props = await nodeProps(page, quoteId);
      assert.equal(props.valid, true);
      assert.deepEqual(props.wires, ['d2']);
    });

    it('deploys; both badges turn connected (green dot) and msgs with topic 005930 reach the debug sidebar', async () => {
      const { page, red: runtime } = session();
      await deployFromEditor(page);
      const deployed = await runtime.getFlows();
      const tick = deployed.flows.find((n) => n.id === tickId);
      assert.ok(tick !== undefined, 'the dragged kis-tick is in the deployed flows');
      assert.equal(tick['codes'], '005930, 000660');
      assert.equal(tick['exchange'], 'KRX');

      const connected = (n: number): string => text('en-US', 'kis-config', n === 1 ? 'kis-config.status.connected-one' : 'kis-config.status.connected', { n });
      const tickStatus = await waitForStatus(page, tickId, (s) => s.shapeClass === 'red-ui-flow-node-status-dot-green');
      assert.equal(tickStatus.text, connected(2));
      const quoteStatus = await waitForStatus(page, quoteId, (s) => s.shapeClass === 'red-ui-flow-node-status-dot-green');
      assert.equal(quoteStatus.text, connected(1));

      await showDebugSidebar(page);
      await page.locator('.red-ui-debug-msg .red-ui-debug-msg-topic', { hasText: '005930' }).first().waitFor({ timeout: 20000 });
      await page.locator('.red-ui-debug-msg .red-ui-debug-msg-topic', { hasText: '000660' }).first().waitFor({ timeout: 20000 });
      const entries = await debugEntries(page);
      assert.ok(entries.some((e) => e.topic.includes('005930') && e.text.includes('ticks')), 'a tick for 005930 reached the "ticks" debug node');
      assert.ok(entries.some((e) => e.topic.includes('000660') && e.text.includes('quotes')), 'a quote for 000660 reached the "quotes" debug node');
      await screenshot(page, 'ko-3-deployed-connected');
    });

    it('marks the node invalid for a bad code ("12AB"), and deploy warns', async () => {
      const { page } = session();
      await openNodeDialog(page, tickId);
      await page.locator('#node-input-codes').fill('005930, 12AB');
      await page.locator('#node-input-codes-list .kis-code-invalid[data-code="12AB"]').waitFor();
      await screenshot(page, 'ko-4-invalid-code');
      await confirmNodeDialog(page);
      assert.equal(
        (await nodeProps(page, tickId)).valid,
        false,
        'RED.nodes.node(id).valid must be false. Node-RED 4.1 treats a returned message string as "invalid" only from a ' +
          'validator declared with two parameters, validate: function (v, opt) {…}; with one it counts as valid',
      );
      await assert.rejects(deployFromEditor(page), /deploy asked for confirmation/);

      // Put the good codes back; the node becomes valid and the deploy goes through without a prompt.
      await openNodeDialog(page, tickId);
      await page.locator('#node-input-codes').fill('005930, 000660');
      await confirmNodeDialog(page);
      assert.equal((await nodeProps(page, tickId)).valid, true);
      await deployFromEditor(page);
      await waitForStatus(page, tickId, (s) => s.shapeClass === 'red-ui-flow-node-status-dot-green');
    });

    it('shows the Korean help with field tables', async () => {
      const { page } = session();
      for (const type of ['kis-tick', 'kis-quote']) {
        const html = await helpHtml(page, type);
        const plain = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
        assert.ok(plain.includes(helpIntro('ko', type)), `${type}: the help sidebar shows the ko help`);
        assert.match(html, /<table[\s\S]*<tr[\s\S]*<\/table>/, `${type}: the help has a field table`);
      }
      assert.match(await helpHtml(page, 'kis-tick'), /STCK_PRPR/);
      await screenshot(page, 'ko-5-help');
    });

    it('never sends credentials back: __PWRD__ in the dialog, has_* from the admin API', async () => {
      const { page, red: runtime } = session();
      await openConfigDialog(page, 'kis-config', 'c2');
      assert.equal(await page.locator('#node-config-input-appKey').inputValue(), '__PWRD__');
      assert.equal(await page.locator('#node-config-input-appSecret').inputValue(), '__PWRD__');
      await screenshot(page, 'ko-6-config-dialog');
      await page.locator('#node-config-dialog-cancel').click();

      const res = await runtime.request('/credentials/kis-config/c2');
      const body = await res.text();
      assert.equal(res.status, 200);
      // The HTS ID (kis-notice) is a credential too: never sent back, only whether it is set (this config has none).
      assert.deepEqual(JSON.parse(body), { has_appKey: true, has_appSecret: true, has_htsId: false });
      for (const secret of [FAKE_APP_KEY, FAKE_APP_SECRET]) {
        assert.ok(!body.includes(secret), 'GET /credentials returned a secret');
        assert.ok(!JSON.stringify(await runtime.getFlows()).includes(secret), 'GET /flows returned a secret');
        assert.ok(!(await page.content()).includes(secret), 'the editor page holds a secret');
      }
    });
  });

  describe('en-US', () => {
    before(async () => {
      if (red === undefined || browser === undefined) throw new Error('the runtime or the browser did not start');
      current = await openPage(browser, { locale: 'en-US', baseURL: red.url });
      await openEditor(current.page, ['c1', tickId, quoteId]);
    });

    after(async () => {
      if (current !== undefined) {
        assert.deepEqual(current.pageErrors, [], 'page errors in en-US');
        await current.context.close();
        current = undefined;
      }
    });

    it('renders palette, dialog, status and help in English', async () => {
      const { page } = session();
      assert.equal(await page.locator('#red-ui-palette-header-kis span').innerText(), text('en-US', 'kis-tick', 'palette.label.kis'));
      assert.equal(
        (await page.locator('.red-ui-palette-node[data-palette-type="kis-tick"] .red-ui-palette-label').innerText()).trim(),
        text('en-US', 'kis-tick', 'kis-tick.paletteLabel'),
      );
      assert.equal(
        (await page.locator('.red-ui-palette-node[data-palette-type="kis-quote"] .red-ui-palette-label').innerText()).trim(),
        text('en-US', 'kis-quote', 'kis-quote.paletteLabel'),
      );
      const status = await waitForStatus(page, tickId, (s) => s.shapeClass === 'red-ui-flow-node-status-dot-green');
      assert.equal(status.text, text('en-US', 'kis-config', 'kis-config.status.connected', { n: 2 }));

      await openNodeDialog(page, tickId);
      assert.equal((await page.locator('label[for="node-input-codes"]').innerText()).trim(), text('en-US', 'kis-config', 'kis-config.data.label.codes'));
      assert.equal(await page.locator('#node-input-codes').inputValue(), '005930, 000660');
      assert.equal(await page.locator('#node-input-exchange').inputValue(), 'KRX');
      await page.locator('#node-input-codes-list li[data-code="005930"]').waitFor();
      await screenshot(page, 'en-1-tick-dialog');
      await page.locator('#node-dialog-cancel').click();

      for (const type of ['kis-tick', 'kis-quote']) {
        const html = await helpHtml(page, type);
        assert.ok(html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').includes(helpIntro('en-US', type)), `${type}: the help sidebar shows the en-US help`);
        assert.match(html, /<table[\s\S]*<tr[\s\S]*<\/table>/, `${type}: the help has a field table`);
      }
      assert.notEqual(helpIntro('en-US', 'kis-tick'), helpIntro('ko', 'kis-tick'));
      await screenshot(page, 'en-2-help');
      const shown = await nodeStatus(page, quoteId);
      assert.equal(shown.shapeClass, 'red-ui-flow-node-status-dot-green');
    });
  });

  describe('runtime log', () => {
    it('never printed a secret', () => {
      if (red === undefined) throw new Error('the runtime did not start');
      const output = red.output();
      for (const secret of [FAKE_APP_KEY, FAKE_APP_SECRET]) assert.ok(!output.includes(secret), 'Node-RED printed a secret');
    });
  });
});
