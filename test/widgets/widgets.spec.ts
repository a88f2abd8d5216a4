/**
 * The KIS Dashboard 2.0 widgets in a real Node-RED with Dashboard 2.0 and a real chromium: the order
 * book and the candlestick chart render live simulator data, conflated on the server.
 */
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import { DASHBOARD_PATH, widgetFlow } from '../../bench/dashboard-flows';
import { launchBrowser, openPage, screenshot, type TrackedPage } from '../helpers/browser';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';

/** Counts the dashboard's socket.io frames per widget id (what reaches the browser). */
const COUNT_FRAMES = `(() => {
  const counts = {};
  window.__kisFrames = counts;
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (e) => {
      const m = /"msg-input:([\\w.-]+)"/.exec(typeof e.data === 'string' ? e.data.slice(0, 200) : '');
      if (m) counts[m[1]] = (counts[m[1]] || 0) + 1;
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();`;

describe('dashboard widgets in chromium (Dashboard 2.0, simulator)', function () {
  this.timeout(90000);
  let sim: RunningSimulator;
  let red: NodeRedProcess;
  let browser: Browser;
  let tp: TrackedPage;

  before(async () => {
    sim = await startSimulator({ seed: 5, rate: 25, maxBatch: 6 });
    red = await startNodeRed();
    await red.deploy(widgetFlow(sim, { codes: ['005930', '000660'], barInterval: '1s', lang: 'ko' }));
    browser = await launchBrowser();
    tp = await openPage(browser, { locale: 'ko-KR', baseURL: red.url });
    await tp.page.addInitScript(COUNT_FRAMES);
    await tp.page.goto(DASHBOARD_PATH);
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
    await sim?.stop();
  });

  it('loads both widget bundles from /resources through package.json node-red-dashboard-2', async () => {
    for (const file of ['ui-kis-orderbook.umd.js', 'ui-kis-candles.umd.js']) {
      const res = await red.request(`/resources/@kis-nodes/node-red-kis/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(await res.text(), /KisOrderBook|KisCandles/);
    }
    const sets = await red.nodeSets();
    const set = sets.find((s) => s.id.endsWith('/kis-dashboard'));
    assert.ok(set?.enabled && set.err === undefined, JSON.stringify(set));
  });

  it('order book: 10 asks above 10 bids with depth bars, totals, the last trade marked, KST time, Korean colours', async () => {
    const page = tp.page;
    await page.waitForSelector('.kis-ob .kis-ob-bid', { timeout: 30000 });
    await page.waitForFunction(() => document.querySelector('.kis-ob-trade') !== null, undefined, { timeout: 20000 });
    const book = await page.evaluate(() => {
      const num = (el: Element | null): number => Number((el?.textContent ?? '').replace(/[^\d]/g, ''));
      const rows = (sel: string) => [...document.querySelectorAll(sel)].map((r) => ({
        price: num(r.querySelector('.kis-ob-price')),
        color: getComputedStyle(r.querySelector('.kis-ob-price')!).color,
        bar: (r.querySelector('.kis-ob-bar') as HTMLElement | null)?.style.width ?? '',
        last: r.classList.contains('kis-ob-lastrow'),
      }));
      return {
        code: document.querySelector('.kis-ob')!.getAttribute('data-code'),
        asks: rows('.kis-ob-ask'),
        bids: rows('.kis-ob-bid'),
        time: document.querySelector('.kis-ob-time')!.textContent,
        total: document.querySelector('.kis-ob-total')!.textContent,
        last: document.querySelector('.kis-ob-last')?.textContent ?? '',
        head: document.querySelector('.kis-ob-cols')!.textContent,
      };
    });
    assert.equal(book.code, '005930');
    assert.equal(book.asks.length, 10);
    assert.equal(book.bids.length, 10);
    const prices = [...book.asks, ...book.bids].map((r) => r.price);
    for (let i = 1; i < prices.length; i++) assert.ok(prices[i]! < prices[i - 1]!, `prices descend top to bottom: ${prices.join(' ')}`);
    assert.ok([...book.asks, ...book.bids].every((r) => /^\d+%$/.test(r.bar) && r.bar !== '0%'), 'every level has a depth bar');
    assert.match(book.time!, /^\d\d:\d\d:\d\d KST$/);
    assert.match(book.total!, /총잔량/);
    assert.match(book.head!, /매도잔량.*호가.*매수잔량/);
    // Colours: red above the previous close, blue below (the simulator's 005930 moves around its close).
    const red = 'rgb(224, 41, 74)', blue = 'rgb(31, 111, 229)';
    assert.ok([...book.asks, ...book.bids].every((r) => [red, blue, 'rgb(138, 143, 152)'].includes(r.color)), JSON.stringify(book.asks.map((r) => r.color)));
    assert.ok(book.asks[0]!.color !== book.bids[9]!.color || book.asks[0]!.color !== 'rgb(138, 143, 152)');
    // The last trade's price row is outlined when it is on the book (the simulator trades at the touch).
    await page.waitForFunction(() => document.querySelector('.kis-ob-lastrow') !== null, undefined, { timeout: 10000 });
    await screenshot(page, 'widget-orderbook');
  });

  it('candles: bars from kis-bars appear and grow, the live bar moves, zoom changes the bars shown', async () => {
    const page = tp.page;
    await page.waitForFunction(() => Number(document.querySelector('.kis-cd')?.getAttribute('data-bars') ?? 0) >= 4, undefined, { timeout: 30000 });
    const before = Number(await page.getAttribute('.kis-cd', 'data-bars'));
    await page.waitForFunction((n) => Number(document.querySelector('.kis-cd')!.getAttribute('data-bars')) > n, before, { timeout: 10000 });
    const head = await page.textContent('.kis-cd-head');
    assert.match(head!, /005930.*1s.*O [\d,]+ H [\d,]+ L [\d,]+ C [\d,]+ V [\d,]+ · \d\d:\d\d:\d\d KST/s);
    // Something was drawn: the canvas has red or blue pixels.
    const coloured = await page.evaluate(() => {
      const c = document.querySelector('.kis-cd-canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if ((d[i] === 224 && d[i + 1] === 41) || (d[i] === 31 && d[i + 2] === 229)) n++;
      return n;
    });
    assert.ok(coloured > 50, `${coloured} candle pixels`);
    await screenshot(page, 'widget-candles');
    // Zoom: wheel-in shows fewer bars (their bodies get wider).
    const box = (await page.locator('.kis-cd-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const widthOfBodies = () => page.evaluate(() => {
      const c = document.querySelector('.kis-cd-canvas') as HTMLCanvasElement;
      const g = c.getContext('2d')!;
      const row = g.getImageData(0, Math.floor(c.height * 0.9), c.width, 1).data;
      let n = 0;
      for (let i = 0; i < row.length; i += 4) if (row[i + 3]! > 0) n++;
      return n;
    });
    const wide = await widthOfBodies();
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
    await page.waitForTimeout(600);
    assert.notEqual(await widthOfBodies(), wide, 'zoom changed the drawing');
  });

  it('conflates on the server: the browser gets at most a few updates a second per widget', async () => {
    const page = tp.page;
    const frames = () => page.evaluate(() => ({ ...(window as unknown as { __kisFrames: Record<string, number> }).__kisFrames }));
    const a = await frames();
    const records0 = sim.stats().totalRecordsSent;
    await page.waitForTimeout(4000);
    const b = await frames();
    const inputRate = (sim.stats().totalRecordsSent - records0) / 4;
    const bookRate = ((b['w-book'] ?? 0) - (a['w-book'] ?? 0)) / 4;
    const candleRate = ((b['w-candles-0'] ?? 0) - (a['w-candles-0'] ?? 0)) / 4;
    assert.ok(inputRate > 40, `the simulator sent ${inputRate}/s`);
    assert.ok(bookRate > 1 && bookRate <= 1000 / 200 + 0.5, `order book: ${bookRate} updates/s for ${inputRate} records/s`);
    assert.ok(candleRate > 0.5 && candleRate <= 1000 / 250 + 0.5, `candles: ${candleRate} updates/s`);
    assert.deepEqual(tp.pageErrors, []);
  });
});
