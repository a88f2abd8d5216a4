/**
 * kis-notice: 체결통보 (H0STCNI0 real / H0STCNI9 paper) of the kis-config's customer, one msg per
 * notice, ready for an alert flow (docs/protocol/notices.md). A thin adapter: the kinds, field
 * meanings and the wrong-HTS-ID diagnosis are pure functions of lib/protocol/notices.ts.
 *
 * Secrets: the HTS ID (the subscription's tr_key) never goes into a text, a badge or a msg
 * (CUST_ID is masked); the account number is masked in msgs unless the node's option shows it.
 */
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { maskAccount, summarizeNotice, WrongHtsIdDetector, type NoticeSummary } from '../lib/protocol/notices';
import type { DataFrame } from '../lib/protocol/parse-frame';
import type { KisRecord } from '../lib/protocol/record-parser';
import { TR_TABLES, type TrId } from '../lib/protocol/tr-tables';
import { CLIENT_ERROR_CODES, type RecordSink, type SessionState, type SubscriptionError, type SubscriptionHandle } from '../lib/session/types';
import type { KisConfigNode, SessionUser } from './types';
import { Badge } from './status';

const CONFIG_NS = '@kis-nodes/node-red-kis/kis-config:';
/** Refusals that mean "this server does not serve this TR": try the other 체결통보 TR. */
const NOT_SERVED = new Set([CLIENT_ERROR_CODES.NOT_ON_SERVER, 'OPSP8991']);
/** Orders whose fills are summed at a time (oldest forgotten first). */
const MAX_TRACKED_ORDERS = 1000;
const HIDDEN = '***';

interface NoticeDef {
  readonly id: string;
  readonly server?: string;
  readonly showAccount?: boolean | string;
}

/** msg.payload of kis-notice. */
interface NoticePayload extends NoticeSummary {
  /** Filled so far of this order (this notice included) and what is left; `complete` when nothing is. */
  readonly cumulativeQty: number;
  readonly remainingQty: number | null;
  readonly complete: boolean;
  /** 계좌번호, masked unless the node shows it. */
  readonly account: string;
  readonly timestamp: string | null;
  readonly epochMs: number | null;
  /** Every field of the record, typed (CUST_ID hidden, ACNT_NO as `account`). */
  readonly fields: KisRecord;
}

class NoticeRuntime implements RecordSink, SessionUser {
  private readonly config: KisConfigNode | null;
  private readonly showAccount: boolean;
  private handle: SubscriptionHandle | null = null;
  private trIds: readonly TrId[] = [];
  private trIndex = 0;
  private registered = false;
  /** The registration is acknowledged on the current connection (its key is known). */
  private live = false;
  private closed = false;
  private state: SessionState = { state: 'idle' };
  /** Red-badge problem of this node (no HTS ID, wrong HTS ID, refusal), or null. */
  private problem: string | null = null;
  private readonly trap = new WrongHtsIdDetector();
  /** Encrypted notices that arrived before their key: in total, and since the last ack. */
  private lost = 0;
  private lostSinceAck = 0;
  private notices = 0;
  private readonly filled = new Map<string, { qty: number | null; filled: number }>();

  private readonly badge: Badge;

  constructor(
    private readonly RED: NodeAPI,
    readonly node: Node,
    def: NoticeDef,
  ) {
    this.badge = new Badge(node);
    this.showAccount = def.showAccount === true || def.showAccount === 'true';
    const found = def.server ? RED.nodes.getNode(def.server) : null;
    this.config = found !== null && typeof (found as Partial<KisConfigNode>).noticeKey === 'function' ? (found as KisConfigNode) : null;
    node.on('input', (msg: NodeMessageInFlow, _send: (m: NodeMessage) => void, done: (err?: Error) => void) => this.onInput(done));
    node.on('close', (removed: boolean, done: () => void) => this.onClose(removed, done));
    if (this.config === null) {
      this.problem = RED._(`${CONFIG_NS}kis-config.errors.missing-config`);
      node.error(this.problem);
      this.updateStatus();
      return;
    }
    this.registered = true;
    this.config.register(this);
  }

  // ---- SessionUser ----

  onSessionReady(): void {
    this.handle = null;
    this.live = false;
    this.trIndex = 0;
    this.subscribe();
    this.updateStatus();
  }

  onSessionState(state: SessionState): void {
    const previous = this.state.state;
    this.state = state;
    if (state.state !== 'connected') this.live = false;
    if (previous === 'connected' && (state.state === 'reconnecting' || state.state === 'failed') && this.handle !== null) {
      if (this.trap.onDrop(Date.now())) this.trapped();
    }
    this.updateStatus();
  }

  onFrameError(error: { readonly code: string; readonly trId?: string }): void {
    if (error.code !== 'no-key' || error.trId === undefined || !this.trIds.includes(error.trId as TrId)) return;
    this.lost++;
    this.lostSinceAck++;
    if (this.lostSinceAck === 1) this.node.warn(this.t('log.lost-first'));
    this.updateStatus();
  }

  // ---- RecordSink ----

  onRecord(record: KisRecord, frame: DataFrame): void {
    if (this.handle === null || frame.trId !== this.handle.trId) return;
    this.trap.onNotice();
    this.notices++;
    this.node.send(this.message(record, frame));
    if (this.notices === 1) this.updateStatus();
  }

  onSubscribed(): void {
    this.live = true;
    this.trap.onAck(Date.now());
    if (this.lostSinceAck > 0) this.node.warn(this.t('log.lost', { n: this.lostSinceAck, total: this.lost }));
    this.lostSinceAck = 0;
    if (this.problem !== null && this.handle !== null) this.problem = null;
    this.updateStatus();
  }

  onSubscriptionError(error: SubscriptionError): void {
    if (this.handle === null || error.trId !== this.handle.trId) return;
    this.handle = null;
    if (NOT_SERVED.has(error.code) && this.trIndex + 1 < this.trIds.length) {
      this.trIndex++;
      this.subscribe();
      return;
    }
    // Never the tr_key (the HTS ID) in the text: the code and the session's (redacted) message only.
    const message = this.config !== null ? this.config.redact(error.message) : error.message;
    this.problem = `${error.code} ${error.trId}`;
    this.node.error(new Error(`${this.t('errors.refused')}: ${error.code} ${error.trId}: ${message}`), { payload: { code: error.code, trId: error.trId } });
    this.updateStatus();
  }

  // ---- internals ----

  private subscribe(): void {
    const config = this.config;
    if (config === null || this.closed || !config.sessionReady()) return;
    const key = config.noticeKey();
    if (key === null) {
      if (this.problem === null) {
        this.problem = this.t('errors.no-hts-id');
        this.node.error(this.problem);
      }
      return;
    }
    this.trIds = key.trIds;
    const trId = this.trIds[this.trIndex] ?? this.trIds[0]!;
    try {
      this.handle = config.subscribe(trId, key.htsId, this);
    } catch (err) {
      this.problem = config.redact(err instanceof Error ? err.message : String(err));
      this.node.error(this.problem);
    }
  }

  /** The wrong-HTS-ID pattern: stop subscribing (the session and the other nodes calm down) and say why. */
  private trapped(): void {
    this.handle?.unsubscribe();
    this.handle = null;
    this.live = false;
    this.problem = this.t('status.hts-id');
    const text = this.t('errors.hts-id', { n: this.trap.suspicion });
    this.node.warn(text);
    this.node.error(new Error(text), { payload: { code: 'HTS_ID', trIds: [...this.trIds] } });
  }

  private onInput(done: (err?: Error) => void): void {
    // Any msg retries (after fixing the HTS ID in kis-config and deploying, or to test again).
    this.trap.reset();
    this.problem = null;
    if (this.handle === null) {
      this.trIndex = 0;
      this.subscribe();
    }
    this.updateStatus();
    done();
  }

  private message(record: KisRecord, frame: DataFrame): NodeMessage & { payload: NoticePayload } {
    const s = summarizeNotice(record);
    const account = typeof record.ACNT_NO === 'string' ? (this.showAccount ? record.ACNT_NO : maskAccount(record.ACNT_NO)) : '';
    record.ACNT_NO = account;
    record.CUST_ID = HIDDEN;
    const key = `${s.branchNo}|${s.orderNo}`;
    let t = this.filled.get(key);
    if (t === undefined) {
      t = { qty: s.quantity, filled: 0 };
      this.filled.set(key, t);
      if (this.filled.size > MAX_TRACKED_ORDERS) this.filled.delete(this.filled.keys().next().value as string);
    }
    if (s.quantity !== null) t.qty = s.quantity;
    t.filled += s.filledQty;
    const remaining = t.qty === null ? null : Math.max(0, t.qty - t.filled);
    const complete = s.kind === 'filled' && remaining === 0;
    if (complete || s.kind === 'rejected' || s.kind === 'cancelled') this.filled.delete(key);
    const payload: NoticePayload = {
      ...s,
      cumulativeQty: t.filled,
      remainingQty: remaining,
      complete,
      account,
      timestamp: record.timestamp,
      epochMs: record.epochMs,
      fields: record,
    };
    return { topic: s.code, payload, kis: { trId: frame.trId, kind: 'notice', en: TR_TABLES[frame.trId].en, receivedAt: Date.now() } } as NodeMessage & { payload: NoticePayload };
  }

  private t(key: string, params?: Record<string, string | number>): string {
    // RED._ of this node set reads its own catalog (locales/*/kis-notice.json).
    const text = this.RED._(`kis-notice.${key}`, params);
    return this.config !== null ? this.config.redact(text) : text;
  }

  private updateStatus(): void {
    if (this.closed) return;
    let status: NodeStatus;
    if (this.problem !== null || this.config === null) {
      status = { fill: 'red', shape: 'ring', text: this.problem ?? '' };
    } else if (this.state.state === 'connected' && this.handle !== null && !this.live) {
      status = { fill: 'yellow', shape: 'ring', text: this.t('status.subscribing') };
    } else if (this.state.state === 'connected' && this.handle !== null) {
      const lost = this.lost > 0 ? ` · ${this.t('status.lost', { n: this.lost })}` : '';
      const suspect = this.trap.suspicion > 0 ? ` · ${this.t('status.suspect')}` : '';
      status = { fill: this.lost > 0 || suspect !== '' ? 'yellow' : 'green', shape: 'dot', text: `${this.t('status.listening', { n: this.notices })}${lost}${suspect}` };
    } else {
      status = this.config.statusFor(this.state, { codes: 1, exchange: 'KRX', refused: null, problem: null });
      if (this.lost > 0 && typeof status.text === 'string') status = { ...status, text: `${status.text} · ${this.t('status.lost', { n: this.lost })}` };
    }
    this.badge.show(status);
  }

  private onClose(removed: boolean, done: () => void): void {
    this.closed = true;
    this.handle?.unsubscribe();
    this.handle = null;
    this.filled.clear();
    if (this.config !== null && this.registered) this.config.deregister(this, removed, done);
    else done();
  }
}

export = function (RED: NodeAPI): void {
  function KisNotice(this: Node, def: NoticeDef): void {
    RED.nodes.createNode(this, def as never);
    new NoticeRuntime(RED, this, def);
  }
  RED.nodes.registerType('kis-notice', KisNotice);
};
