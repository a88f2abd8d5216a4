/**
 * The status badge of a data node, from the session state and the node's own facts. Pure, so it is
 * unit-tested without a runtime. Fixed states use core keys (translated in the editor); texts with
 * parameters are translated here, on the runtime side, through `t` (RED._ of kis-config).
 */
import type { NodeStatus } from 'node-red';
import { egwInfo, isEgwCode } from '../lib/protocol/egw';
import { opspInfo } from '../lib/protocol/opsp';
import type { SessionState } from '../lib/session/types';
import type { MarketClock, UserFacts } from './types';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A short meaning for a code (OPSP, EGW or ours): the catalog's short text, else the table's English meaning. */
export function shortMeaning(code: string, t: Translate): string {
  const egw = isEgwCode(code);
  const key = `kis-config.${egw ? 'egw' : 'opsp'}.${code}`;
  const text = t(key);
  if (text !== key) return text;
  return egw ? egwInfo(code).en : opspInfo(code).en;
}

/** The reconnecting badge: what it waits for, and how long when KIS or the ceiling set the wait. */
function reconnectingText(state: Extract<SessionState, { state: 'reconnecting' }>, t: Translate): string {
  const seconds = Math.max(1, Math.ceil(state.delayMs / 1000));
  if (state.waiting === 'ceiling') return t('kis-config.status.waiting-ceiling', { s: seconds });
  if (state.waiting === 'rate-limit') return t('kis-config.status.waiting-rate-limit', { s: seconds });
  if (state.waiting === 'in-use') return t('kis-config.status.waiting-in-use', { s: seconds });
  const retry = { retry: state.retry, max: state.maxRetries > 0 ? state.maxRetries : '∞' };
  return state.code !== undefined ? t('kis-config.status.reconnecting-why', { ...retry, why: `${state.code} ${shortMeaning(state.code, t)}` }) : t('kis-config.status.reconnecting', retry);
}

export function statusFor(state: SessionState, facts: UserFacts, clock: MarketClock | null, t: Translate): NodeStatus {
  if (facts.problem !== null) return { fill: 'red', shape: 'ring', text: facts.problem };
  switch (state.state) {
    case 'idle':
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: 'node-red:common.status.disconnected' };
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: 'node-red:common.status.connecting' };
    case 'reconnecting':
      return { fill: 'yellow', shape: 'ring', text: reconnectingText(state, t) };
    case 'failed':
      return {
        fill: 'red',
        shape: 'ring',
        text: state.code !== undefined ? `${state.code} ${shortMeaning(state.code, t)}` : `${t('kis-config.status.failed')}: ${state.reason}`,
      };
    case 'connected':
      if (facts.refused !== null) return { fill: 'red', shape: 'ring', text: `${facts.refused.code} ${shortMeaning(facts.refused.code, t)}` };
      if (clock !== null && clock.phase !== undefined && clock.phase !== 'open') {
        // Announced by a 장운영정보 subscription: what the market is actually doing.
        const fill = clock.phase === 'halted' ? 'yellow' : 'blue';
        return { fill, shape: clock.phase === 'auction' ? 'dot' : 'ring', text: t(`kis-config.status.market-${clock.phase}`, { n: facts.codes }) };
      }
      if (clock !== null && !clock.open) {
        return { fill: 'blue', shape: 'ring', text: clock.opensAt !== null ? t('kis-config.status.closed-opens', { time: clock.opensAt }) : t('kis-config.status.closed') };
      }
      return { fill: 'green', shape: 'dot', text: t(facts.codes === 1 ? 'kis-config.status.connected-one' : 'kis-config.status.connected', { n: facts.codes }) };
  }
}

/** A node's badge that is only redrawn when it changes (the status goes to every open editor). */
export class Badge {
  private last: NodeStatus | null = null;

  constructor(private readonly node: { status(status: NodeStatus): void }) {}

  show(status: NodeStatus): void {
    const last = this.last;
    if (last !== null && last.fill === status.fill && last.shape === status.shape && last.text === status.text) return;
    this.last = status;
    this.node.status(status);
  }
}
