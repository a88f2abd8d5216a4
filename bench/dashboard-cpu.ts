/**
 * Browser CPU of a dashboard at an opening-burst rate: 41 codes of 체결 (and one 호가) from the
 * simulator, 005930 the busiest, into (a) the KIS widgets — ui-kis-candles (kis-bars, 1 s bars with
 * a live bar) and ui-kis-orderbook for 005930, conflated on the server, the other 40 codes dropped
 * there — and the same ticks into the stock ui-chart, one point per trade, (b) for 005930 only (the
 * same picture) and (c) for all 41 codes (a series each). Real Node-RED + Dashboard 2.0, real headless chromium; the CPU is the browser's
 * own accounting (CDP SystemInfo.getProcessInfo: every chromium process) over a fixed window.
 */
import { chromium, type Browser } from 'playwright-core';
import { startSimulator } from '../lib/simulator';
import type { RunningSimulator } from '../lib/simulator/types';
import { DASHBOARD_PATH, stockChartFlow, widgetFlow, type FlowNode, type SimEndpoint } from './dashboard-flows';
import type { Benchmark, BenchReport } from './run';
import { CODES_41 } from './e2e-common';
import { startNodeRed, type NodeRedProcess } from '../test/helpers/node-red-process';

const CODES = 41;
/** Records per second per (TR, code): ~1,600 trades/s over 41 codes, a busy 09:00. */
const RATE = Number(process.env.KIS_BENCH_DASH_RATE ?? 20);
/** 005930 at the open: the busiest stock of the market. */
const HOT_RATE = Number(process.env.KIS_BENCH_DASH_HOT_RATE ?? 100);
const HOT = '005930';
const ALL_SERIES = process.env.KIS_BENCH_DASH_ALL === '1';
const WARMUP_MS = Number(process.env.KIS_BENCH_DASH_WARMUP_MS ?? 8000);
const WINDOW_MS = Number(process.env.KIS_BENCH_DASH_WINDOW_MS ?? 20000);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Codes of the simulator's universe (a code outside it gets no data, as on KIS). */
function codes(): string[] {
  return CODES_41.slice(0, CODES);
}

interface Sample {
  readonly cpuPct: number;
  readonly mainThreadPct: number;
  readonly framesPerSec: number;
  readonly ticksPerSec: number;
}

/** Count the dashboard's socket.io msg frames reaching the page. */
const COUNT_FRAMES = `(() => {
  window.__kisFrames = 0;
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (e) => { if (typeof e.data === 'string' && e.data.indexOf('msg-input:') >= 0) window.__kisFrames++; });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();`;

async function measure(red: NodeRedProcess, sim: RunningSimulator, flow: FlowNode[], browser: Browser, ready: string): Promise<Sample> {
  await red.deploy(flow);
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 900 }, baseURL: red.url });
  const page = await context.newPage();
  await page.addInitScript(COUNT_FRAMES);
  await page.goto(DASHBOARD_PATH, { waitUntil: 'domcontentloaded', timeout: 90000 });
  await page.waitForSelector(ready, { timeout: 90000 });
  await page.waitForTimeout(WARMUP_MS);
  const cdp = await browser.newBrowserCDPSession();
  const pageCdp = await context.newCDPSession(page);
  await pageCdp.send('Performance.enable');
  const cpu = async (): Promise<number> => {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { cpuTime: number }[] };
    return info.processInfo.reduce((s, p) => s + p.cpuTime, 0);
  };
  const taskDuration = async (): Promise<number> => {
    const m = (await pageCdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return m.metrics.find((x) => x.name === 'TaskDuration')?.value ?? 0;
  };
  const frames = (): Promise<number> => page.evaluate(() => (window as unknown as { __kisFrames: number }).__kisFrames);
  const [c0, t0, f0, r0, w0] = [await cpu(), await taskDuration(), await frames(), sim.stats().totalRecordsSent, Date.now()];
  await page.waitForTimeout(WINDOW_MS);
  const [c1, t1, f1, r1, w1] = [await cpu(), await taskDuration(), await frames(), sim.stats().totalRecordsSent, Date.now()];
  await context.close();
  const secs = (w1 - w0) / 1000;
  return { cpuPct: ((c1 - c0) / secs) * 100, mainThreadPct: ((t1 - t0) / secs) * 100, framesPerSec: (f1 - f0) / secs, ticksPerSec: (r1 - r0) / secs };
}

export const benchmark: Benchmark = {
  name: 'dashboard-cpu',
  description: `browser CPU with ${CODES} codes at ${RATE} records/s each: KIS widgets (server-side conflation) vs the stock ui-chart fed the same ticks`,
  async run(): Promise<BenchReport> {
    const keys = [
      { appKey: 'PSbenchDashboardKeyOne00000000000000', appSecret: 'b'.repeat(180) },
      { appKey: 'PSbenchDashboardKeyTwo00000000000000', appSecret: 'c'.repeat(180) },
    ];
    const sim = await startSimulator({ seed: 9, rate: RATE, rates: { [HOT]: HOT_RATE }, maxBatch: 8, credentials: keys });
    const endpoint = (i: number): SimEndpoint => ({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, appKey: keys[i]!.appKey, appSecret: keys[i]!.appSecret });
    const red = await startNodeRed({ settings: { logging: { console: { level: 'warn', metrics: false, audit: false } } } });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
    try {
      const list = codes();
      const widgets = await measure(red, sim, widgetFlow(endpoint(0), { codes: list, candleCodes: [HOT], orderBookCode: HOT, barInterval: '1s', quoteSim: endpoint(1) }), browser, '.kis-cd canvas');
      const stockOne = await measure(red, sim, stockChartFlow(endpoint(0), list, [HOT]), browser, '.nrdb-ui-chart canvas, .nrdb-ui-chart svg');
      // All 41 codes into one ui-chart saturates Node-RED itself (a deploy afterwards went unanswered
      // for 5 minutes on the 2-core machine), so it runs only on request.
      const stock = ALL_SERIES ? await measure(red, sim, stockChartFlow(endpoint(0), list), browser, '.nrdb-ui-chart canvas, .nrdb-ui-chart svg') : null;
      const row = (name: string, s: Sample): string[] => [name, s.ticksPerSec.toFixed(0), s.framesPerSec.toFixed(1), s.cpuPct.toFixed(1), s.mainThreadPct.toFixed(1)];
      return {
        title: `Browser CPU, ${CODES} codes, ${(WINDOW_MS / 1000).toFixed(0)} s window after ${(WARMUP_MS / 1000).toFixed(0)} s warm-up`,
        columns: ['dashboard', 'simulator records/s', 'msgs to browser/s', 'browser CPU % of one core', 'page main thread %'],
        rows: [
          row(`KIS widgets: ui-kis-candles (1s bars, live bar) + ui-kis-orderbook, ${HOT}`, widgets),
          row(`stock ui-chart: every tick of ${HOT} (one point each)`, stockOne),
          ...(stock !== null ? [row('stock ui-chart: every tick of the 41 codes (41 series)', stock)] : []),
        ],
        notes: [
          'browser CPU = Δ Σ cpuTime of every chromium process (CDP SystemInfo.getProcessInfo) / wall time; main thread = Δ TaskDuration (CDP Performance.getMetrics) of the page.',
          `${CODES} codes at ${RATE} records/s per TR and code, ${HOT} at ${HOT_RATE}/s; the widget rows' msgs/s count what the dashboard's socket delivers.`,
          `goal for the KIS widgets: < 10 % of one core. Ratio stock ui-chart / KIS widgets: ${(stockOne.cpuPct / Math.max(0.1, widgets.cpuPct)).toFixed(1)} × (${HOT} only), ${stock !== null ? (stock.cpuPct / Math.max(0.1, widgets.cpuPct)).toFixed(1) + ' × (41 series)' : 'the 41-series case: KIS_BENCH_DASH_ALL=1'}.`,
        ],
      };
    } finally {
      await browser.close();
      await red.stop();
      await sim.stop();
    }
  },
};
