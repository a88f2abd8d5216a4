/** kis-quote: 실시간 호가 (H0STASP0 / H0NXASP0 / H0UNASP0), one msg per order-book update. */
import type { NodeAPI } from 'node-red';
import { registerMarketDataNode } from './market-data-node';

export = function (RED: NodeAPI): void {
  registerMarketDataNode(RED, 'quote');
};
