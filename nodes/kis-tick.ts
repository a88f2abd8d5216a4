/** kis-tick: 실시간 체결가 (H0STCNT0 / H0NXCNT0 / H0UNCNT0), one msg per trade. */
import type { NodeAPI } from 'node-red';
import { registerMarketDataNode } from './market-data-node';

export = function (RED: NodeAPI): void {
  registerMarketDataNode(RED, 'tick');
};
