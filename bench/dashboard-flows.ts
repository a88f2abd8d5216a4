/**
 * Dashboard flows for the widget tests and the browser-CPU benchmark: a KIS session on a simulator
 * (custom server URLs), kis-quote / kis-tick / kis-bars, and either the KIS widgets or the stock
 * ui-chart fed with the same ticks.
 */
export interface FlowNode {
  readonly id: string;
  readonly type: string;
  readonly [property: string]: unknown;
}

export interface SimEndpoint {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
}

export const DASHBOARD_PATH = '/dashboard/kisw';

const TAB: FlowNode = { id: 'w-tab', type: 'tab', label: 'widgets' };

function uiFrame(groups: readonly { id: string; name: string; width: number }[]): FlowNode[] {
  return [
    { id: 'w-base', type: 'ui-base', name: 'KIS', path: '/dashboard', includeClientData: true, acceptsClientConfig: ['ui-notification', 'ui-control'], showPathInSidebar: false, navigationStyle: 'none', titleBarStyle: 'default', showReconnectNotification: false, showDisconnectNotification: false, allowInstall: false },
    { id: 'w-theme', type: 'ui-theme', name: 'KIS dark', colors: { surface: '#1e222d', primary: '#2962ff', bgPage: '#131722', groupBg: '#181c27', groupOutline: '#2a2e39' }, sizes: { density: 'compact', pagePadding: '12px', groupGap: '12px', groupBorderRadius: '6px', widgetGap: '8px' } },
    { id: 'w-page', type: 'ui-page', name: 'KIS widgets', ui: 'w-base', path: '/kisw', icon: 'chart-line', layout: 'grid', theme: 'w-theme', breakpoints: [{ name: 'Default', px: '0', cols: '12' }], order: 1, className: '', visible: 'true', disabled: 'false' },
    ...groups.map((g, i) => ({ id: g.id, type: 'ui-group', name: g.name, page: 'w-page', width: g.width, height: 1, order: i + 1, showTitle: true, className: '', visible: 'true', disabled: 'false', groupType: 'default' })),
  ];
}

function config(sim: SimEndpoint, id = 'w-cfg'): FlowNode {
  return {
    id, type: 'kis-config', name: 'sim', server: 'custom', restUrl: sim.restUrl, wsUrl: sim.wsUrl, custType: 'P',
    reconnectInitialMs: 100, reconnectMaxMs: 1000, maxRetries: 0, pacingMs: 5, credentials: { appKey: sim.appKey, appSecret: sim.appSecret },
  };
}

function tick(id: string, codes: readonly string[], wires: string[]): FlowNode {
  return { id, type: 'kis-tick', z: 'w-tab', name: '', server: 'w-cfg', codes: codes.join(' '), exchange: 'KRX', output: 'each', conflateMs: 500, payload: 'full', wires: [wires] };
}
function quote(id: string, codes: readonly string[], wires: string[], server = 'w-cfg'): FlowNode {
  return { id, type: 'kis-quote', z: 'w-tab', name: '', server, codes: codes.join(' '), exchange: 'KRX', output: 'each', conflateMs: 500, payload: 'full', wires: [wires] };
}

export interface WidgetFlowOptions {
  readonly codes: readonly string[];
  /** Candle widgets: one per code of this list (default: the first code only). */
  readonly candleCodes?: readonly string[];
  readonly barInterval?: string;
  readonly orderBookCode?: string;
  readonly lang?: string;
  /** A second app key for the 호가 subscription (41 체결 codes fill the first session). */
  readonly quoteSim?: SimEndpoint;
}

/** kis-quote + kis-tick → ui-kis-orderbook; kis-tick → kis-bars → ui-kis-candles (one per candle code). */
export function widgetFlow(sim: SimEndpoint, o: WidgetFlowOptions): FlowNode[] {
  const candleCodes = o.candleCodes ?? [o.codes[0]!];
  const small = candleCodes.length > 4;
  const candles = candleCodes.map((code, i) => ({
    id: `w-candles-${i}`, type: 'ui-kis-candles', z: 'w-tab', group: 'w-g-candles', name: '', order: i + 1,
    width: small ? 3 : 8, height: small ? 3 : 6, code, conflateMs: 250, maxBars: 240, lang: o.lang ?? '', wires: [],
  }));
  return [
    TAB,
    ...uiFrame([{ id: 'w-g-book', name: '호가 Order book', width: 4 }, { id: 'w-g-candles', name: '캔들 Candles', width: small ? 12 : 8 }]),
    config(sim),
    ...(o.quoteSim !== undefined ? [config(o.quoteSim, 'w-cfg2')] : []),
    quote('w-quote', [o.orderBookCode ?? o.codes[0]!], ['w-book'], o.quoteSim !== undefined ? 'w-cfg2' : 'w-cfg'),
    tick('w-tick', o.codes, ['w-book', 'w-bars']),
    { id: 'w-bars', type: 'kis-bars', z: 'w-tab', name: '', interval: o.barInterval ?? '1s', graceMs: 300, partialMs: 250, shape: 'object', wires: [candles.map((c) => c.id)] },
    { id: 'w-book', type: 'ui-kis-orderbook', z: 'w-tab', group: 'w-g-book', name: '', order: 1, width: 4, height: 0, code: o.orderBookCode ?? o.codes[0]!, conflateMs: 200, lang: o.lang ?? '', wires: [] },
    ...candles,
  ];
}

/** The same ticks into the stock ui-chart: one point per trade, a series per code (what users wire up first). */
export function stockChartFlow(sim: SimEndpoint, codes: readonly string[], chartCodes: readonly string[] = codes): FlowNode[] {
  const only = chartCodes.length < codes.length ? `if (!${JSON.stringify(chartCodes)}.includes(msg.topic)) return null;\n` : '';
  return [
    TAB,
    ...uiFrame([{ id: 'w-g-chart', name: 'ui-chart', width: 12 }]),
    config(sim),
    tick('w-tick', codes, ['w-point']),
    {
      id: 'w-point', type: 'function', z: 'w-tab', name: 'tick → point', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [],
      func: only + 'return { topic: msg.topic, payload: { x: msg.payload.epochMs, y: msg.payload.STCK_PRPR } };', wires: [['w-chart']],
    },
    {
      id: 'w-chart', type: 'ui-chart', z: 'w-tab', group: 'w-g-chart', name: 'price chart', label: '', order: 1, chartType: 'line', category: 'topic', categoryType: 'msg',
      xAxisLabel: '', xAxisProperty: 'x', xAxisPropertyType: 'property', xAxisType: 'time', xAxisFormat: 'HH:mm:ss', xAxisFormatType: 'custom', xmin: '', xmax: '',
      yAxisLabel: '', yAxisProperty: 'y', yAxisPropertyType: 'property', ymin: '', ymax: '', bins: 10, action: 'append', stackSeries: false, pointShape: 'false', pointRadius: 0,
      showLegend: false, removeOlder: '15', removeOlderUnit: '60', removeOlderPoints: '1800', colors: ['#f6465d', '#3b82f6'], textColor: ['#787b86'], textColorDefault: false,
      gridColor: ['#2a2e39'], gridColorDefault: false, width: 12, height: 8, className: '', interpolation: 'linear', wires: [[]],
    },
  ];
}
