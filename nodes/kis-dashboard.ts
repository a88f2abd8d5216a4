/**
 * KIS widgets for FlowFuse Dashboard 2.0: ui-kis-orderbook (호가창) and ui-kis-candles (캔들차트).
 * Optional: without Dashboard 2.0 installed this node set registers nothing (one line in the log says
 * why), and the rest of the package runs as before.
 */
import type { NodeAPI } from 'node-red';
import { CandlesView, DEFAULT_MAX_BARS } from './dashboard/candles-view';
import { OrderBookView } from './dashboard/order-book-view';
import { registerWidget, type WidgetDef } from './dashboard/widget-node';

const NS = '@kis-nodes/node-red-kis/kis-dashboard:';
const DASHBOARD_MODULE = '@flowfuse/node-red-dashboard';

function dashboardInstalled(RED: NodeAPI): boolean {
  const settings = RED.settings as unknown as { userDir?: string; kisDashboardModule?: string };
  // A setting only so the tests can play "not installed"; users never set it.
  const name = typeof settings.kisDashboardModule === 'string' ? settings.kisDashboardModule : DASHBOARD_MODULE;
  const paths = [settings.userDir, process.cwd(), __dirname].filter((p): p is string => typeof p === 'string' && p !== '');
  try {
    require.resolve(`${name}/package.json`, { paths });
    return true;
  } catch {
    return false;
  }
}

function code(def: WidgetDef): string {
  return typeof def.code === 'string' ? def.code.trim().toUpperCase() : '';
}

export = function (RED: NodeAPI): void {
  if (!dashboardInstalled(RED)) {
    // Register nothing: the widget types stay unknown to the runtime (a flow using them waits for
    // them, as it would for ui-group), the node set itself loads without error, and the other kis
    // nodes are untouched. One line in the log says why.
    RED.log.info(RED._(`${NS}kis-dashboard.errors.no-dashboard`));
    return;
  }
  registerWidget(RED, 'ui-kis-orderbook', 200, (def) => new OrderBookView(code(def)), `${NS}kis-dashboard.`);
  registerWidget(RED, 'ui-kis-candles', 250, (def) => {
    const max = Number(def.maxBars);
    return new CandlesView(code(def), Number.isInteger(max) && max >= 10 && max <= 5000 ? max : DEFAULT_MAX_BARS);
  }, `${NS}kis-dashboard.`);
};
