/**
 * kis-realtime and the routing display in the editor, in a real Node-RED and chromium: the palette
 * has kis-realtime; its dialog offers exactly the data kinds of the tables, shows the exchange only
 * for kinds KIS offers per exchange, lists index codes with their names, and the usage line counts
 * the session's registrations over kis-tick, kis-quote and kis-realtime, each code routed like the
 * runtime does (a 통합 code NXT does not trade counts as its KRX TR and is marked in the dialog).
 */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { exchangesOf, kindNames, routesOf } from '../../lib/protocol/route';
import { realtimeKinds } from '../../nodes/market-data-node';
import { launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import { confirmNodeDialog, deployFromEditor, dragFromPalette, helpHtml, openEditor, openNodeDialog, waitForStatus, type EditorRED } from '../helpers/editor';
import { startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';

const seedFlows: FlowNode[] = [
  { id: 't1', type: 'tab', label: 'KIS' },
  { id: 'c1', type: 'kis-config', name: 'simulator', server: 'simulator', restUrl: '', wsUrl: '', custType: 'P', reconnectInitialMs: 1000, reconnectMaxMs: 60000, maxRetries: 0, pacingMs: 100 },
  // 005930 on 통합 (NXT-tradable) and 263750 (not on NXT → KRX TR): two registrations.
  { id: 'k1', type: 'kis-tick', z: 't1', name: '', server: 'c1', codes: '005930, 263750', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 160, y: 80, wires: [[]] },
  // A kis-realtime on the same session: H0UPCNT0 0001 and 1001, two more registrations.
  { id: 'r0', type: 'kis-realtime', z: 't1', name: '', server: 'c1', data: 'index-tick', codes: '0001, 1001', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 160, y: 140, wires: [[]] },
];

async function usage(page: Page): Promise<number> {
  return Number(await page.locator('#node-input-codes-usage').getAttribute('data-used'));
}

describe('editor: kis-realtime and the routing display (Node-RED + chromium)', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let current: TrackedPage | undefined;

  before(async () => {
    red = await startNodeRed({ flows: seedFlows, settings: { lang: 'en-US' } });
    const set = (await red.nodeSets()).find((s) => s.module === '@kis-nodes/node-red-kis' && s.name === 'kis-realtime');
    if (set === undefined || set.err !== undefined) throw new Error(`kis-realtime did not load: ${JSON.stringify(set?.err)}\n${red.output()}`);
    browser = await launchBrowser();
    current = await openPage(browser, { locale: 'en-US', baseURL: red.url });
    await openEditor(current.page, ['c1', 'k1', 'r0']);
  });

  after(async () => {
    if (current !== undefined) {
      assert.deepEqual(current.pageErrors, [], 'page errors');
      await current.context.close();
    }
    await browser?.close();
    await red?.stop();
  });

  function page(): Page {
    if (current === undefined) throw new Error('no page');
    return current.page;
  }

  it('the kis-tick dialog marks a 통합 code NXT does not trade as routed to KRX and counts its KRX registration', async () => {
    const p = page();
    await openNodeDialog(p, 'k1');
    const routed = p.locator('#node-input-codes-list li[data-code="263750"]');
    await routed.waitFor();
    assert.equal(await routed.getAttribute('data-routed-to'), 'KRX');
    assert.match(await routed.innerText(), /H0STCNT0/);
    assert.equal(await p.locator('#node-input-codes-list li[data-code="005930"]').getAttribute('data-routed-to'), null);
    assert.ok(await p.locator('#node-input-route-note').isVisible(), 'the UN rule is explained under the exchange');
    // kis-tick's two plus the kis-realtime's two.
    assert.equal(await usage(p), 4);
    // KRX for both: still two registrations (H0STCNT0 for each), and nothing is routed any more.
    await p.locator('#node-input-exchange').selectOption('KRX');
    assert.equal(await routed.getAttribute('data-routed-to'), null);
    assert.equal(await p.locator('#node-input-route-note').isVisible(), false);
    assert.equal(await usage(p), 4);
    await screenshot(p, 'realtime-1-tick-routing');
    await p.locator('#node-dialog-cancel').click();
    await p.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  });

  it('kis-realtime is in the palette; its dialog offers exactly the data kinds of the tables', async () => {
    const p = page();
    const label = p.locator('.red-ui-palette-node[data-palette-type="kis-realtime"] .red-ui-palette-label');
    assert.ok((await label.innerText()).trim().length > 0);
    const id = await dragFromPalette(p, 'kis-realtime', { x: 200, y: 220 });
    await p.locator(`g[id="${id}"] .red-ui-flow-node`).dblclick();
    await p.locator('#node-dialog-ok').waitFor();
    assert.ok(await p.locator('#node-input-data-row').isVisible(), 'the data row is shown for kis-realtime');
    const options = await p.locator('#node-input-data option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent })));
    assert.deepEqual(options.map((o) => o.value), realtimeKinds());
    options.forEach((o) => assert.equal(o.text, kindNames(o.value as never).en));
    await p.locator('#node-input-server').selectOption('c1');

    for (const kind of realtimeKinds()) {
      await p.locator('#node-input-data').selectOption(kind);
      const exchanges = exchangesOf(kind);
      assert.equal(await p.locator('#node-input-exchange-row').isVisible(), exchanges.length > 0, `${kind}: exchange row`);
      const index = routesOf(kind).key === 'index';
      await p.locator('#node-input-codes').fill(index ? '0001, 1001' : '005930, 000660');
      if (index) {
        await p.locator('#node-input-codes-list li[data-code="0001"]', { hasText: 'KOSPI' }).waitFor();
        await p.locator('#node-input-codes-list li[data-code="1001"]', { hasText: 'KOSDAQ' }).waitFor();
        assert.ok(await p.locator('#node-input-index-list').isVisible(), 'the known index codes are offered');
      }
      // Two new (TR, code) pairs on top of the four of kis-tick and r0 — none new where they are r0's own (index-tick 0001, 1001).
      assert.equal(await usage(p), kind === 'index-tick' ? 4 : 6, `${kind}: usage line`);
    }
    await screenshot(p, 'realtime-2-dialog');
    await p.locator('#node-dialog-cancel').click();
    await p.locator('#node-dialog-ok').waitFor({ state: 'detached' });
    // The dragged node has no connection yet: take it away again so the next deploy needs no confirmation.
    await p.evaluate((nodeId) => {
      const RED = (window as unknown as { RED: EditorRED & { nodes: { remove(id: string): unknown } } }).RED;
      RED.nodes.remove(nodeId);
      RED.view.redraw(true);
    }, id);
  });

  it('an index kind refuses a stock code and offers the names; deploys green with an index code', async function () {
    const p = page();
    const kind = realtimeKinds().find((k) => routesOf(k).key === 'index');
    if (kind === undefined) this.skip();
    await p.evaluate((k) => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.view.importNodes([{ id: 'r9', type: 'kis-realtime', name: '', server: 'c1', data: k, codes: '0001', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 200, y: 320, wires: [[]] }], { generateIds: false });
    }, kind!);
    await p.mouse.click(400, 600);
    await openNodeDialog(p, 'r9');
    await p.locator('#node-input-codes').fill('0001, 005930');
    await p.locator('#node-input-codes-list .kis-code-invalid[data-code="005930"]').waitFor();
    await p.locator('#node-input-codes').fill('0001');
    await confirmNodeDialog(p);
    await deployFromEditor(p);
    await waitForStatus(p, 'r9', (s) => s.shapeClass === 'red-ui-flow-node-status-dot-green');
  });

  it('help: data kinds with their TRs and field tables, and the index codes', async () => {
    const p = page();
    const html = await helpHtml(p, 'kis-realtime');
    assert.match(html, /kis-indices/);
    assert.match(html, /0001/);
    for (const kind of realtimeKinds()) {
      assert.ok(html.includes(`data-kind="${kind}"`), `help section of ${kind}`);
      for (const trId of Object.values(routesOf(kind).trIds)) assert.ok(html.includes(trId), `${kind}: ${trId} in the help`);
    }
  });
});
