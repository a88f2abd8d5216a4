/**
 * kis-realtime: every other domestic real-time TR (예상체결, 장운영정보, 회원사, 프로그램매매, 시간외,
 * 업종지수, ELW, ETF NAV), the kind picked in the node; one msg per record, like kis-tick.
 */
import type { NodeAPI } from 'node-red';
import { registerRealtimeNode } from './market-data-node';

export = function (RED: NodeAPI): void {
  registerRealtimeNode(RED);
};
