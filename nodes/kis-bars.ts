/**
 * kis-bars: OHLCV bars (candles) from kis-tick msgs. A thin adapter around lib/bars (the rules live
 * there, see docs/protocol/bars.md): one timer for the next bar that is due, one for the optional
 * running partial bar, and the msg shape.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { barPayload, influxPayload, type Bar } from '../lib/bars/bar';
import { BarBuilder } from '../lib/bars/builder';
import { parseInterval } from '../lib/bars/interval';
import { tradeFromPayload } from '../lib/bars/trade';
import { kstTime } from '../lib/protocol/kst';

interface KisBarsDef extends NodeDef {
  interval?: string;
  graceMs?: number | string;
  partialMs?: number | string;
  shape?: string;
}

const NS = '@kis-nodes/node-red-kis/kis-bars:';
const DEFAULT_GRACE_MS = 2000;
const MAX_GRACE_MS = 60_000;
/** The running partial bar goes out at most this often per code. */
const MIN_PARTIAL_MS = 250;
/** Repeat an input error in the debug sidebar at most once per this many ms (bad input can come at tick rate). */
const ERROR_REPEAT_MS = 10_000;

function toNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

export = function (RED: NodeAPI): void {
  function t(key: string, params?: Record<string, string | number>): string {
    return RED._(NS + key, params);
  }

  function KisBarsNode(this: Node, def: KisBarsDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const interval = parseInterval(def.interval ?? '1m');
    if (interval === null) {
      const text = `${t('kis-bars.errors.bad-interval')}: ${String(def.interval)}`;
      node.error(text);
      node.status({ fill: 'red', shape: 'ring', text });
      node.on('input', (_msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => done(new Error(text)));
      return;
    }
    const graceMs = Math.min(MAX_GRACE_MS, Math.max(0, toNumber(def.graceMs, DEFAULT_GRACE_MS)));
    const partialSetting = toNumber(def.partialMs, 0);
    const partialMs = partialSetting > 0 ? Math.max(MIN_PARTIAL_MS, partialSetting) : 0;
    const influx = def.shape === 'influx';
    const builder = new BarBuilder({ intervalMs: interval.ms, graceMs, startedAt: Date.now() });

    let closeTimer: NodeJS.Timeout | null = null;
    let closeDue = Infinity;
    let partialTimer: NodeJS.Timeout | null = null;
    /** Codes whose open bar changed since the last partial output. */
    const dirty = new Set<string>();
    let barsOut = 0;
    let lastError = 0;
    let closed = false;

    function msgOf(bar: Bar, final: boolean): NodeMessage {
      const payload = barPayload(bar, final);
      const msg: NodeMessage & { measurement?: string } = { topic: bar.code, payload: influx ? influxPayload(payload) : payload };
      if (influx) msg.measurement = 'kis_bars';
      return msg;
    }

    function closeDueBars(): void {
      closeTimer = null;
      closeDue = Infinity;
      if (closed) return;
      const bars = builder.close(Date.now());
      for (const bar of bars) {
        dirty.delete(bar.code);
        node.send(msgOf(bar, true));
      }
      if (bars.length > 0) {
        barsOut += bars.length;
        const last = bars[bars.length - 1]!;
        node.status({ fill: 'green', shape: 'dot', text: t('kis-bars.status.bars', { interval: interval!.label, codes: builder.codeCount(), time: kstTime(last.start).replace(/(\d\d)(\d\d)(\d\d)/, '$1:$2:$3'), count: barsOut }) });
      }
      schedule();
    }

    function schedule(): void {
      const due = builder.nextDue();
      if (due === null || due >= closeDue) return;
      if (closeTimer !== null) clearTimeout(closeTimer);
      closeDue = due;
      closeTimer = setTimeout(closeDueBars, Math.max(0, due - Date.now()));
    }

    function sendPartials(): void {
      partialTimer = null;
      if (closed) return;
      for (const code of dirty) {
        const open = builder.openBars(code);
        const bar = open[open.length - 1];
        if (bar !== undefined) node.send(msgOf(bar, false));
      }
      dirty.clear();
    }

    node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => {
      const trade = tradeFromPayload(msg.payload, msg.topic);
      if (typeof trade === 'string') {
        const now = Date.now();
        if (now - lastError >= ERROR_REPEAT_MS) {
          lastError = now;
          node.status({ fill: 'red', shape: 'ring', text: t(`kis-bars.errors.${trade}`) });
          return done(new Error(t(`kis-bars.errors.${trade}`)));
        }
        return done();
      }
      const bar = builder.add(trade, Date.now());
      if (bar !== null) {
        // Only a new bar can be due before the timer already set.
        if (bar.trades === 1) schedule();
        if (partialMs > 0) {
          dirty.add(bar.code);
          if (partialTimer === null) partialTimer = setTimeout(sendPartials, partialMs);
        }
      }
      done();
    });

    node.on('close', (done: () => void) => {
      closed = true;
      if (closeTimer !== null) clearTimeout(closeTimer);
      if (partialTimer !== null) clearTimeout(partialTimer);
      closeTimer = partialTimer = null;
      done();
    });

    node.status({ fill: 'grey', shape: 'ring', text: t('kis-bars.status.waiting', { interval: interval.label }) });
  }

  RED.nodes.registerType('kis-bars', KisBarsNode);
};
