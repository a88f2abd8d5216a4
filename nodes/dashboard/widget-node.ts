/**
 * The server half of a KIS Dashboard 2.0 widget: registered with its ui-group the way FlowFuse's
 * third-party widget guide describes, plus server-side conflation. Dashboard 2.0 forwards every
 * input msg of a widget to every browser; at the open that is hundreds a second. So the widget keeps
 * a view (what it shows) and feeds the dashboard's own input handler one update per `conflateMs`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';

/** A view the widget keeps on the server (order book, candles). */
export interface WidgetView {
  accept(topic: unknown, payload: unknown): boolean;
  select(code: string): void;
  /** The update for the browsers now, or null for none. */
  flush(): unknown;
  /** Everything, for a browser that (re)loads the page; null for nothing yet. */
  snapshot(): unknown;
}

export interface WidgetDef extends NodeDef {
  group?: string;
  code?: string;
  conflateMs?: number | string;
  maxBars?: number | string;
}

/** What this package's package.json says about its widgets (`node-red-dashboard-2`). */
interface WidgetManifest {
  readonly packageName: string;
  readonly root: string;
  readonly widgets: Readonly<Record<string, { output: string; component: string }>>;
}

type InputHandler = (msg: NodeMessageInFlow, send: (m: NodeMessage) => void, done: (err?: Error) => void) => unknown;

interface DashboardGroup {
  register(node: Node, config: WidgetDef, events: Record<string, unknown>): void;
  getBase(): DashboardBase;
}
interface DashboardBase {
  stores?: { data?: { save(base: DashboardBase, node: Node, msg: NodeMessage): void } };
  uiShared?: { contribs?: Record<string, unknown> };
}

const MIN_CONFLATE_MS = 50;

let manifest: WidgetManifest | null = null;
function widgetManifest(): WidgetManifest {
  if (manifest === null) {
    // dist/nodes/dashboard/ → the package root.
    const root = path.join(__dirname, '..', '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; 'node-red-dashboard-2'?: { widgets?: WidgetManifest['widgets'] } };
    manifest = { packageName: pkg.name, root, widgets: pkg['node-red-dashboard-2']?.widgets ?? {} };
  }
  return manifest;
}

/**
 * Dashboard 2.0 looks for third-party widgets in the user dir's package.json (only dependencies
 * named `*node-red-dashboard-2-*`), in nodesDir and in the app root. This package has another name,
 * so after a palette install it would not be found: add our own entry when it is missing, from our
 * package.json, in the same form the dashboard builds.
 */
function ensureContrib(base: DashboardBase, type: string): void {
  const contribs = base.uiShared?.contribs;
  if (contribs === undefined || contribs[type] !== undefined) return;
  const m = widgetManifest();
  const w = m.widgets[type];
  if (w === undefined) return;
  contribs[type] = { package: m.packageName, name: type, src: w.output, path: m.root, component: w.component };
}

function toNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

export function registerWidget(RED: NodeAPI, type: string, defaultConflateMs: number, makeView: (def: WidgetDef) => WidgetView, ns: string): void {
  function WidgetNode(this: Node, def: WidgetDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const group = def.group ? (RED.nodes.getNode(def.group) as unknown as DashboardGroup | null) : null;
    if (group === null || typeof group.register !== 'function') {
      node.error(RED._(`${ns}errors.no-group`));
      node.status({ fill: 'red', shape: 'ring', text: RED._(`${ns}errors.no-group`) });
      return;
    }
    const base = group.getBase();
    const view = makeView(def);
    const conflateMs = Math.max(MIN_CONFLATE_MS, toNumber(def.conflateMs, defaultConflateMs));
    let timer: NodeJS.Timeout | null = null;
    let closed = false;

    // Our handler first: it takes every msg into the view.
    node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => {
      const update = (msg as { ui_update?: { code?: unknown } }).ui_update;
      if (update !== undefined && typeof update.code === 'string') {
        view.select(update.code.trim());
        schedule();
      }
      if (view.accept(msg.topic, msg.payload)) schedule();
      done();
    });

    // The dashboard's handler is captured, not installed: flush() feeds it the conflated updates.
    let dashboardInput: InputHandler | null = null;
    type On = (this: Node, event: string, listener: unknown) => Node;
    const ownOn = node.on as unknown as On;
    const capture: On = function (this: Node, event, listener) {
      if (event === 'input' && dashboardInput === null) {
        dashboardInput = listener as InputHandler;
        return this;
      }
      return ownOn.call(this, event, listener);
    };
    node.on = capture as unknown as typeof node.on;
    try {
      ensureContrib(base, type);
      group.register(node, def, {});
    } finally {
      node.on = ownOn as unknown as typeof node.on;
    }

    function schedule(): void {
      if (timer === null && !closed) timer = setTimeout(flush, conflateMs);
    }

    function flush(): void {
      timer = null;
      const payload = view.flush();
      if (closed || payload === null || dashboardInput === null) return;
      const noop = (): void => undefined;
      Promise.resolve(dashboardInput({ payload, _msgid: RED.util.generateId() } as NodeMessageInFlow, noop, noop))
        .then(() => {
          // A browser that loads the page gets the whole view, not the last increment.
          const all = view.snapshot();
          if (all !== null && !closed) base.stores?.data?.save(base, node, { payload: all });
        })
        .catch((err: unknown) => node.error(err instanceof Error ? err.message : String(err)));
    }

    node.on('close', (done: () => void) => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      done();
    });
  }
  RED.nodes.registerType(type, WidgetNode);
}
