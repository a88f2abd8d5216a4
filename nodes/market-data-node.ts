/**
 * The one implementation behind kis-tick (체결) and kis-quote (호가): a thin adapter that keeps a
 * set of codes subscribed on the kis-config's session and turns each record into one msg.
 *
 * Hot path: session → onRecord(record, frame) → node.send({topic, payload, kis}). This object is
 * the RecordSink of all its codes (no closure per code or record); the compact projection is
 * resolved when the TR is chosen, not per record; conflation keeps the latest msg per code and one
 * timer per node while there is pending data.
 */
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { isExchange, trIdFor, venueOf, type Exchange, type MarketKind } from '../lib/protocol/exchange';
import type { DataFrame } from '../lib/protocol/parse-frame';
import type { KisRecord } from '../lib/protocol/record-parser';
import { isValidStockCode, splitCodes } from '../lib/protocol/stock-codes';
import { TR_TABLES, type TrId, type Venue } from '../lib/protocol/tr-tables';
import type { RecordSink, SessionState, SubscriptionError, SubscriptionHandle } from '../lib/session/types';
import { compactProjector, type Projector } from './payload';
import type { KisConfigNode, MarketDataDef, OutputMode, PayloadMode, SessionUser, UserFacts } from './types';

/** `msg.kis`: where a record came from. */
export interface KisMsgMeta {
  readonly trId: TrId;
  readonly exchange: Exchange;
  readonly venue: Venue;
  readonly kind: MarketKind;
  /** Epoch ms when the frame carrying the record was handed to this node. */
  readonly receivedAt: number;
  /** The stock's Korean name from KIS's stock master, when the master knows the code. */
  readonly name: string | undefined;
}

export interface KisOutputMsg extends NodeMessage {
  topic: string;
  payload: Record<string, KisRecord[string]>;
  kis: KisMsgMeta;
}

export type SubscriptionAction = 'subscribe' | 'unsubscribe' | 'replace';

/** An input msg, understood: what to do with which codes (already split, not yet validated). */
export interface SubscriptionCommand {
  readonly action: SubscriptionAction;
  readonly codes: readonly string[];
  readonly exchange: Exchange | null;
}

/** Namespace of every runtime text (they all live in the kis-config catalog). */
const NS = '@kis-nodes/node-red-kis/kis-config:';
const DEFAULT_CONFLATE_MS = 500;
const MIN_CONFLATE_MS = 10;


function codesOf(value: unknown): string[] | null {
  if (typeof value === 'string') return splitCodes(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return splitCodes(value.join(' '));
  return null;
}

/** Read an input msg payload: `{action, codes, exchange?}`, or a string / array of codes (= replace). */
export function parseCommand(payload: unknown): SubscriptionCommand | string {
  const shorthand = codesOf(payload);
  if (shorthand !== null) return { action: 'replace', codes: shorthand, exchange: null };
  if (typeof payload !== 'object' || payload === null) return 'kis-config.errors.bad-command';
  const p = payload as { action?: unknown; codes?: unknown; exchange?: unknown };
  const action = p.action ?? 'replace';
  if (action !== 'subscribe' && action !== 'unsubscribe' && action !== 'replace') return 'kis-config.errors.bad-action';
  const codes = p.codes === undefined ? [] : codesOf(p.codes);
  if (codes === null) return 'kis-config.errors.bad-command';
  if (p.exchange !== undefined && !isExchange(p.exchange)) return 'kis-config.errors.bad-exchange';
  return { action, codes, exchange: p.exchange ?? null };
}

/** Split codes into valid and invalid ones (KIS short-code syntax, see stock-codes.ts). */
export function partitionCodes(codes: readonly string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const c of codes) (isValidStockCode(c) ? valid : invalid).push(c);
  return { valid, invalid };
}

function toNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/**
 * The sink of one code: carries the code's name, looked up once when the code is subscribed (or,
 * while the master is still loading, until it is found), so the hot path does no lookup per record.
 */
class NamedSink implements RecordSink {
  private name: string | undefined;

  constructor(
    private readonly owner: RecordSink & { onRecord(record: KisRecord, frame: DataFrame, name?: string): void },
    private readonly config: KisConfigNode,
    private readonly code: string,
  ) {
    this.name = config.stockName(code);
  }

  onRecord(record: KisRecord, frame: DataFrame): void {
    if (this.name === undefined) this.name = this.config.stockName(this.code);
    this.owner.onRecord(record, frame, this.name);
  }

  onSubscriptionError(error: SubscriptionError): void {
    this.owner.onSubscriptionError(error);
  }
}

class MarketDataRuntime implements RecordSink, SessionUser {
  private readonly config: KisConfigNode | null;
  private exchange: Exchange;
  private venue: Venue;
  private trId: TrId;
  private projector: Projector | null;
  private readonly payloadMode: PayloadMode;
  private readonly conflateMs: number;
  /** The codes this node wants, in order. */
  private codes: string[] = [];
  private readonly handles = new Map<string, SubscriptionHandle>();
  /** The input msg that asked for a code, so a later refusal reaches catch nodes with it. */
  private readonly causes = new Map<string, NodeMessage>();
  private registered = false;
  private closed = false;
  private state: SessionState = { state: 'idle' };
  private refused: UserFacts['refused'] = null;
  private problem: string | null = null;
  private lastStatus: NodeStatus | null = null;
  /** Conflation: latest msg per code, and the one timer that flushes them. */
  private readonly pending = new Map<string, KisOutputMsg>();
  private timer: NodeJS.Timeout | null = null;
  private lastFrame: DataFrame | null = null;
  private receivedAt = 0;

  constructor(
    private readonly RED: NodeAPI,
    readonly node: Node,
    def: MarketDataDef,
    private readonly kind: MarketKind,
  ) {
    this.exchange = isExchange(def.exchange) ? def.exchange : 'UN';
    this.venue = venueOf(this.exchange);
    this.trId = trIdFor(kind, this.exchange);
    this.payloadMode = def.payload === 'compact' ? 'compact' : 'full';
    this.projector = this.payloadMode === 'compact' ? compactProjector(this.trId) : null;
    const output: OutputMode = def.output === 'conflate' ? 'conflate' : 'each';
    this.conflateMs = output === 'conflate' ? Math.max(MIN_CONFLATE_MS, toNumber(def.conflateMs, DEFAULT_CONFLATE_MS)) : 0;
    this.flush = this.flush.bind(this);

    const found = def.server ? RED.nodes.getNode(def.server) : null;
    this.config = found !== null && typeof (found as Partial<KisConfigNode>).register === 'function' ? (found as KisConfigNode) : null;

    node.on('input', (msg: NodeMessageInFlow, send: (m: NodeMessage) => void, done: (err?: Error) => void) => this.onInput(msg, done));
    node.on('close', (removed: boolean, done: () => void) => this.onClose(removed, done));

    if (this.config === null) {
      this.problem = RED._(`${NS}kis-config.errors.missing-config`);
      node.error(this.problem);
      this.updateStatus();
      return;
    }
    const { valid, invalid } = partitionCodes(splitCodes(def.codes ?? ''));
    this.codes = valid;
    if (invalid.length > 0) {
      this.problem = this.withDetail('kis-config.errors.bad-codes', invalid.join(', '));
      node.error(this.problem);
    }
    if (this.codes.length > 0) this.ensureRegistered();
    else this.updateStatus();
  }

  // ---- SessionUser (called by kis-config) ----

  onSessionReady(): void {
    // Handles of a previous session are void; subscribe the whole set on this one.
    this.handles.clear();
    this.sync();
    this.updateStatus();
  }

  onSessionState(state: SessionState): void {
    const previous = this.state.state;
    this.state = state;
    if (state.state === 'failed' && previous !== 'failed') this.reportConnectionFailure(state);
    this.updateStatus();
  }

  // ---- RecordSink (called by the session, hot path) ----

  onRecord(record: KisRecord, frame: DataFrame, name?: string): void {
    if (frame.trId !== this.trId) return; // in flight from before an exchange change
    if (frame !== this.lastFrame) {
      this.lastFrame = frame;
      this.receivedAt = Date.now();
    }
    // The session gives each sink a record of its own, so it can go out as it is.
    const payload: KisOutputMsg['payload'] = this.projector === null ? record : this.projector(record);
    const code = record.MKSC_SHRN_ISCD as string;
    const msg: KisOutputMsg = {
      topic: code,
      payload,
      kis: { trId: frame.trId, exchange: this.exchange, venue: this.venue, kind: this.kind, receivedAt: this.receivedAt, name },
    };
    if (this.conflateMs === 0) {
      this.node.send(msg);
      return;
    }
    this.pending.set(code, msg);
    if (this.timer === null) this.timer = setTimeout(this.flush, this.conflateMs);
  }

  onSubscriptionError(error: SubscriptionError): void {
    if (error.trId !== this.trId) return;
    this.handles.delete(error.trKey);
    this.refused = { code: error.code, trKey: error.trKey };
    const cause = this.causes.get(error.trKey);
    this.causes.delete(error.trKey);
    this.node.error(new Error(this.describeRefusal(error)), cause ?? { topic: error.trKey, payload: { code: error.code, trId: error.trId, trKey: error.trKey } });
    this.updateStatus();
  }

  // ---- input: change the subscription without a redeploy ----

  private onInput(msg: NodeMessageInFlow, done: (err?: Error) => void): void {
    const t = this.t.bind(this);
    if (this.config === null) return done(new Error(this.RED._(`${NS}kis-config.errors.missing-config`)));
    const command = parseCommand(msg.payload);
    if (typeof command === 'string') {
      this.problem = t(command);
      this.updateStatus();
      return done(new Error(this.problem));
    }
    const { valid, invalid } = partitionCodes(command.codes);
    if (command.exchange !== null && command.exchange !== this.exchange) this.changeExchange(command.exchange);
    if (command.action === 'replace') this.codes = valid;
    else if (command.action === 'subscribe') this.codes = [...this.codes, ...valid.filter((c) => !this.codes.includes(c))];
    else this.codes = this.codes.filter((c) => !valid.includes(c));
    if (this.refused !== null && !this.codes.includes(this.refused.trKey)) this.refused = null;
    if (command.action !== 'unsubscribe') for (const c of valid) this.causes.set(c, msg);
    this.problem = invalid.length > 0 ? this.withDetail('kis-config.errors.bad-codes', invalid.join(', ')) : null;
    // A re-request of a refused code tries again.
    if (this.refused !== null && command.action !== 'unsubscribe' && valid.includes(this.refused.trKey)) this.refused = null;
    if (this.codes.length > 0) this.ensureRegistered();
    const failures = this.sync();
    this.updateStatus();
    if (this.problem !== null) return done(new Error(this.problem));
    if (failures.length > 0) return done(new Error(failures.join('; ')));
    done();
  }

  private changeExchange(exchange: Exchange): void {
    for (const handle of this.handles.values()) handle.unsubscribe();
    this.handles.clear();
    this.exchange = exchange;
    this.venue = venueOf(exchange);
    this.trId = trIdFor(this.kind, exchange);
    if (this.payloadMode === 'compact') this.projector = compactProjector(this.trId);
    this.refused = null;
  }

  /** Make the session's registrations match `codes`. Returns the texts of synchronous refusals. */
  private sync(): string[] {
    const failures: string[] = [];
    for (const [code, handle] of this.handles) {
      if (!this.codes.includes(code)) {
        handle.unsubscribe();
        this.handles.delete(code);
        this.causes.delete(code);
        this.pending.delete(code);
      }
    }
    if (this.config === null || !this.registered || !this.config.sessionReady()) return failures;
    for (const code of this.codes) {
      if (this.handles.has(code) || (this.refused !== null && this.refused.trKey === code)) continue;
      try {
        const handle = this.config.subscribe(this.trId, code, new NamedSink(this, this.config, code));
        if (handle !== null) this.handles.set(code, handle);
      } catch (err) {
        failures.push(this.config.redact(err instanceof Error ? err.message : String(err)));
      }
    }
    return failures;
  }

  private ensureRegistered(): void {
    if (this.registered || this.config === null || this.closed) return;
    this.registered = true;
    this.config.register(this);
  }

  private reportConnectionFailure(state: Extract<SessionState, { state: 'failed' }>): void {
    if (this.config === null) return;
    const reason = this.config.redact(state.reason);
    const text = this.withDetail('kis-config.errors.connection-failed', state.code !== undefined ? `${state.code} ${reason}` : reason);
    // With a msg, so catch nodes of this node's flow see it (connection failures reach every node of the session).
    this.node.error(new Error(text), { payload: { state: 'failed', code: state.code ?? null, reason } });
  }

  private describeRefusal(error: SubscriptionError): string {
    const config = this.config;
    const message = config !== null ? config.redact(error.message) : error.message;
    return `${error.code} ${error.trId} ${error.trKey}: ${message}`;
  }

  /** A translated label followed by untranslated detail (codes, KIS's own text), so the detail survives any catalog. */
  private withDetail(key: string, detail: string): string {
    return `${this.t(key)}: ${detail}`;
  }

  private t(key: string, params?: Record<string, string | number>): string {
    return this.config !== null ? this.config.text(key, params) : this.RED._(NS + key, params);
  }

  private flush(): void {
    this.timer = null;
    if (this.closed) return;
    const msgs = [...this.pending.values()];
    this.pending.clear();
    for (const msg of msgs) this.node.send(msg);
  }

  updateStatus(): void {
    if (this.closed) return;
    const facts: UserFacts = { codes: this.codes.length, exchange: this.exchange, refused: this.refused, problem: this.problem };
    const status: NodeStatus =
      this.config !== null ? this.config.statusFor(this.state, facts) : { fill: 'red', shape: 'ring', text: this.problem ?? '' };
    const last = this.lastStatus;
    if (last !== null && last.fill === status.fill && last.shape === status.shape && last.text === status.text) return;
    this.lastStatus = status;
    this.node.status(status);
  }

  private onClose(removed: boolean, done: () => void): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    for (const handle of this.handles.values()) handle.unsubscribe();
    this.handles.clear();
    this.causes.clear();
    if (this.config !== null && this.registered) this.config.deregister(this, removed, done);
    else done();
  }
}

/** Register kis-tick or kis-quote. */
export function registerMarketDataNode(RED: NodeAPI, kind: MarketKind): void {
  const type = kind === 'tick' ? 'kis-tick' : 'kis-quote';
  function MarketDataNode(this: Node, def: MarketDataDef): void {
    RED.nodes.createNode(this, def);
    new MarketDataRuntime(RED, this, def, kind);
  }
  RED.nodes.registerType(type, MarketDataNode);
}

/** TR ids a node of this kind can stream (for docs and tests). */
export function trIdsOf(kind: MarketKind): TrId[] {
  return (Object.keys(TR_TABLES) as TrId[]).filter((id) => TR_TABLES[id].kind === kind);
}
