/**
 * The one implementation behind kis-tick (체결), kis-quote (호가) and kis-realtime (every other
 * market-data TR: 예상체결, 장운영정보, 회원사, 프로그램매매, 시간외, 업종지수, ELW, ETF NAV): a thin
 * adapter that keeps a set of codes subscribed on the kis-config's session and turns each record
 * into one msg. Which TR a code takes is lib/protocol/route.ts's rule (per code: for 통합 a stock
 * NXT does not trade takes the KRX TR).
 *
 * Hot path: session → onRecord(record, frame) → node.send({topic, payload, kis}). This object is
 * the RecordSink of all its codes (no closure per code or record); each code's route (TR, venue,
 * compact projection) is resolved when the code or exchange is set, not per record; conflation
 * keeps the latest msg per code and one timer per node while there is pending data.
 */
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { isExchange, type Exchange } from '../lib/protocol/exchange';
import { phaseOfMarketOp } from '../lib/protocol/market-op';
import type { DataFrame } from '../lib/protocol/parse-frame';
import type { KisRecord } from '../lib/protocol/record-parser';
import { dataKinds, exchangesOf, isDataKind, isValidKey, knownNxtTradable, routeTr, routesOf, tablesOf, type DataKind, type Route, type RouteReason } from '../lib/protocol/route';
import { splitCodes } from '../lib/protocol/stock-codes';
import type { TrId, Venue } from '../lib/protocol/tr-tables';
import type { RecordSink, SessionState, SubscriptionError, SubscriptionHandle } from '../lib/session/types';
import { parseCommand, partitionCodes } from './market-data-command';
import { compactProjector, hasCompactPayload, type Projector } from './payload';
import type { KisConfigNode, MarketDataDef, OutputMode, PayloadMode, SessionUser, UserFacts } from './types';
import { Badge } from './status';

export { parseCommand, partitionCodes, type SubscriptionAction, type SubscriptionCommand } from './market-data-command';

/** `msg.kis`: where a record came from. */
export interface KisMsgMeta {
  readonly trId: TrId;
  /** The exchange chosen in the node (or by the last input msg). */
  readonly exchange: Exchange;
  /** The venue whose data this is (KRX when the 통합 rule routed the code there). */
  readonly venue: Venue;
  readonly kind: DataKind;
  /** Epoch ms when the frame carrying the record was handed to this node. */
  readonly receivedAt: number;
  /** The stock's Korean name from KIS's stock master, when the master knows the code. */
  readonly name: string | undefined;
  /** The venue the 통합 rule routed this code to instead of the chosen exchange's TR, else null. */
  readonly routedTo: Venue | null;
  /** Why (`not-nxt-tradable`, `nxt-unknown`), else null. */
  readonly routeReason: RouteReason | null;
}

export interface KisOutputMsg extends NodeMessage {
  topic: string;
  payload: Record<string, KisRecord[string]>;
  kis: KisMsgMeta;
}

/** Namespace of every runtime text (they all live in the kis-config catalog). */
const NS = '@kis-nodes/node-red-kis/kis-config:';
const DEFAULT_CONFLATE_MS = 500;
const MIN_CONFLATE_MS = 10;

/** A code's route, with what the hot path needs of it resolved once. */
interface CodeRoute extends Route {
  readonly projector: Projector | null;
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

/** True for a kind whose records announce market phases (장운영정보: it has `MKOP_CLS_CODE`). */
function announcesMarketPhase(kind: DataKind): boolean {
  return tablesOf(kind).some((t) => t.fields.some((f) => f.name === 'MKOP_CLS_CODE'));
}

class MarketDataRuntime implements RecordSink, SessionUser {
  private readonly config: KisConfigNode | null;
  private exchange: Exchange;
  private readonly payloadMode: PayloadMode;
  private readonly conflateMs: number;
  /** Records of this kind announce market phases to the badges (장운영정보). */
  private readonly announces: boolean;
  /** The codes this node wants, in order. */
  private codes: string[] = [];
  /** Each wanted code's route for the current exchange. */
  private readonly routes = new Map<string, CodeRoute>();
  private readonly handles = new Map<string, SubscriptionHandle>();
  /** The input msg that asked for a code, so a later refusal reaches catch nodes with it. */
  private readonly causes = new Map<string, NodeMessage>();
  private registered = false;
  private closed = false;
  private state: SessionState = { state: 'idle' };
  private refused: UserFacts['refused'] = null;
  private problem: string | null = null;
  /** Conflation: latest msg per code, and the one timer that flushes them. */
  private readonly pending = new Map<string, KisOutputMsg>();
  private timer: NodeJS.Timeout | null = null;
  private lastFrame: DataFrame | null = null;
  private receivedAt = 0;

  private readonly badge: Badge;

  constructor(
    private readonly RED: NodeAPI,
    readonly node: Node,
    def: MarketDataDef,
    private readonly kind: DataKind,
  ) {
    this.badge = new Badge(node);
    this.exchange = isExchange(def.exchange) ? def.exchange : 'UN';
    this.payloadMode = def.payload === 'compact' && hasCompactPayload(kind) ? 'compact' : 'full';
    const output: OutputMode = def.output === 'conflate' ? 'conflate' : 'each';
    this.conflateMs = output === 'conflate' ? Math.max(MIN_CONFLATE_MS, toNumber(def.conflateMs, DEFAULT_CONFLATE_MS)) : 0;
    this.announces = announcesMarketPhase(kind);
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
    const { valid, invalid } = this.partition(splitCodes(def.codes ?? ''));
    this.setCodes(valid);
    if (invalid.length > 0) {
      this.problem = this.withDetail(this.badCodesKey(), invalid.join(', '));
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

  onMasterReady(): void {
    if (this.closed) return;
    // NXT eligibility from the master may change a code's route (통합 ↔ KRX): re-route, resubscribe what changed.
    if (!this.rerouteAll()) return;
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
    const code = record[frame.table.keyField] as string;
    const route = this.routes.get(code);
    if (route === undefined || route.trId !== frame.trId) return; // in flight from before a change
    if (frame !== this.lastFrame) {
      this.lastFrame = frame;
      this.receivedAt = Date.now();
    }
    if (this.announces) this.announce(record, route.venue);
    // The session gives each sink a record of its own, so it can go out as it is.
    const payload: KisOutputMsg['payload'] = route.projector === null ? record : route.projector(record);
    const msg: KisOutputMsg = {
      topic: code,
      payload,
      kis: { trId: frame.trId, exchange: this.exchange, venue: route.venue, kind: this.kind, receivedAt: this.receivedAt, routedTo: route.routedTo, routeReason: route.reason, name },
    };
    if (this.conflateMs === 0) {
      this.node.send(msg);
      return;
    }
    this.pending.set(code, msg);
    if (this.timer === null) this.timer = setTimeout(this.flush, this.conflateMs);
  }

  onSubscriptionError(error: SubscriptionError): void {
    if (this.routes.get(error.trKey)?.trId !== error.trId) return;
    this.handles.delete(error.trKey);
    this.refused = { code: error.code, trKey: error.trKey };
    const cause = this.causes.get(error.trKey);
    this.causes.delete(error.trKey);
    this.node.error(new Error(this.describeRefusal(error)), cause ?? { topic: error.trKey, payload: { code: error.code, trId: error.trId, trKey: error.trKey } });
    this.updateStatus();
  }

  /** A 장운영정보 record with a market-wide phase tells the config node (and so every badge of the session). */
  private announce(record: KisRecord, venue: Venue): void {
    const phase = phaseOfMarketOp(record.MKOP_CLS_CODE);
    if (phase !== null && this.config !== null) this.config.observeMarket?.(venue, phase);
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
    const { valid, invalid } = this.partition(command.codes);
    if (command.exchange !== null && command.exchange !== this.exchange) this.changeExchange(command.exchange);
    if (command.action === 'replace') this.setCodes(valid);
    else if (command.action === 'subscribe') this.setCodes([...this.codes, ...valid.filter((c) => !this.codes.includes(c))]);
    else this.setCodes(this.codes.filter((c) => !valid.includes(c)));
    if (this.refused !== null && !this.codes.includes(this.refused.trKey)) this.refused = null;
    if (command.action !== 'unsubscribe') for (const c of valid) this.causes.set(c, msg);
    this.problem = invalid.length > 0 ? this.withDetail(this.badCodesKey(), invalid.join(', ')) : null;
    // A re-request of a refused code tries again.
    if (this.refused !== null && command.action !== 'unsubscribe' && valid.includes(this.refused.trKey)) this.refused = null;
    if (this.codes.length > 0) this.ensureRegistered();
    const failures = this.sync();
    this.updateStatus();
    if (this.problem !== null) return done(new Error(this.problem));
    if (failures.length > 0) return done(new Error(failures.join('; ')));
    done();
  }

  private partition(codes: readonly string[]): { valid: string[]; invalid: string[] } {
    return partitionCodes(codes, (c) => isValidKey(this.kind, c));
  }

  private badCodesKey(): string {
    return routesOf(this.kind).key === 'index' ? 'kis-config.errors.bad-index-codes' : 'kis-config.errors.bad-codes';
  }

  /** Set the wanted codes and resolve each one's route (once, not per record). */
  private setCodes(codes: string[]): void {
    this.codes = codes;
    for (const code of [...this.routes.keys()]) if (!codes.includes(code)) this.routes.delete(code);
    for (const code of codes) if (!this.routes.has(code)) this.routes.set(code, this.routeOf(code));
  }

  private routeOf(code: string): CodeRoute {
    // NXT eligibility from the config's stock master when it is loaded, else the bundled list.
    const route = routeTr(this.kind, this.exchange, code, this.config?.isNxtTradable(code) ?? knownNxtTradable(code));
    return { ...route, projector: this.payloadMode === 'compact' ? compactProjector(route.trId) : null };
  }

  private changeExchange(exchange: Exchange): void {
    // Codes whose TR changes are resubscribed by sync(); the others keep their registration.
    this.exchange = exchange;
    this.rerouteAll();
    this.refused = null;
  }

  /** Resolve every code's route again; true when any TR changed. */
  private rerouteAll(): boolean {
    let changed = false;
    for (const code of this.codes) {
      const route = this.routeOf(code);
      if (this.routes.get(code)?.trId !== route.trId) changed = true;
      this.routes.set(code, route);
    }
    return changed;
  }

  /** Make the session's registrations match `codes` and their routes. Returns the texts of synchronous refusals. */
  private sync(): string[] {
    const failures: string[] = [];
    for (const [code, handle] of this.handles) {
      const route = this.routes.get(code);
      if (route === undefined || route.trId !== handle.trId) {
        handle.unsubscribe();
        this.handles.delete(code);
        this.pending.delete(code);
        if (route === undefined) this.causes.delete(code);
      }
    }
    if (this.config === null || !this.registered || !this.config.sessionReady()) return failures;
    for (const code of this.codes) {
      if (this.handles.has(code) || (this.refused !== null && this.refused.trKey === code)) continue;
      const route = this.routes.get(code) as CodeRoute;
      try {
        const handle = this.config.subscribe(route.trId, code, new NamedSink(this, this.config, code));
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

  /** The exchange whose clock the badge shows: the chosen one, or the single venue of a kind without a choice. */
  private clockExchange(): Exchange {
    if (exchangesOf(this.kind).length > 0) return this.exchange;
    const venues = Object.keys(routesOf(this.kind).trIds) as Venue[];
    return venues[0] ?? 'KRX';
  }

  updateStatus(): void {
    if (this.closed) return;
    const facts: UserFacts = { codes: this.codes.length, exchange: this.clockExchange(), refused: this.refused, problem: this.problem };
    const status: NodeStatus =
      this.config !== null ? this.config.statusFor(this.state, facts) : { fill: 'red', shape: 'ring', text: this.problem ?? '' };
    this.badge.show(status);
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

/** The node types of this package that stream market data, and the kind each streams (null: chosen in the node). */
export const MARKET_DATA_TYPES = Object.freeze({ 'kis-tick': 'tick', 'kis-quote': 'quote', 'kis-realtime': null } as const);
export type MarketDataType = keyof typeof MARKET_DATA_TYPES;

/** The kinds kis-realtime offers: every market-data kind of the tables except those of kis-tick and kis-quote. */
export function realtimeKinds(): DataKind[] {
  const own = new Set<string>(Object.values(MARKET_DATA_TYPES).filter((k): k is 'tick' | 'quote' => k !== null));
  return dataKinds().filter((k) => !own.has(k));
}

/** Register kis-tick or kis-quote (fixed kind). */
export function registerMarketDataNode(RED: NodeAPI, kind: 'tick' | 'quote'): void {
  const type = kind === 'tick' ? 'kis-tick' : 'kis-quote';
  function MarketDataNode(this: Node, def: MarketDataDef): void {
    RED.nodes.createNode(this, def);
    new MarketDataRuntime(RED, this, def, kind);
  }
  RED.nodes.registerType(type, MarketDataNode);
}

/** Register kis-realtime: the kind is the node's `data` property; an unknown one is a clear error, nothing else stops. */
export function registerRealtimeNode(RED: NodeAPI): void {
  function RealtimeNode(this: Node, def: MarketDataDef): void {
    RED.nodes.createNode(this, def);
    const kind = def.data;
    if (isDataKind(kind) && realtimeKinds().includes(kind)) {
      new MarketDataRuntime(RED, this, def, kind);
      return;
    }
    const text = `${RED._(`${NS}kis-config.errors.bad-data`)}: ${String(kind ?? '')}`;
    this.error(text);
    this.status({ fill: 'red', shape: 'ring', text });
    this.on('input', (_msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => done(new Error(text)));
  }
  RED.nodes.registerType('kis-realtime', RealtimeNode);
}

/** TR ids a node of this kind can stream (for docs and tests). */
export function trIdsOf(kind: DataKind): TrId[] {
  return tablesOf(kind).map((t) => t.trId);
}
