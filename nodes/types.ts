/**
 * Types shared by the Node-RED nodes (kis-config, kis-tick, kis-quote). Kept out of the entry
 * files because `export =` forbids other exports there.
 */
import type { Node, NodeDef, NodeStatus } from 'node-red';
import type { Exchange } from '../lib/protocol/exchange';
import type { MarketPhase } from '../lib/protocol/market-op';
import type { CustType } from '../lib/protocol/messages';
import type { MasterStore } from '../lib/master';
import type { TrId, Venue } from '../lib/protocol/tr-tables';
import type { ServerChoice } from '../lib/session/servers';
import type { RecordSink, SessionState, SubscriptionHandle } from '../lib/session/types';

export interface KisCredentials {
  appKey?: string;
  appSecret?: string;
  /** HTS ID: the tr_key of 체결통보 (kis-notice). A secret like the app key. */
  htsId?: string;
}

/** What the editor saves for a kis-config node (contract: defaults of kis-config). */
export interface KisConfigDef extends NodeDef {
  server?: ServerChoice;
  restUrl?: string;
  wsUrl?: string;
  custType?: CustType;
  reconnectInitialMs?: number | string;
  reconnectMaxMs?: number | string;
  maxRetries?: number | string;
  pacingMs?: number | string;
}

export type OutputMode = 'each' | 'conflate';
export type PayloadMode = 'full' | 'compact';

/** What the editor saves for a kis-tick / kis-quote / kis-realtime node. */
export interface MarketDataDef extends NodeDef {
  server?: string;
  /** kis-realtime only: the data kind (a TrKind of the tables, e.g. 예상체결). */
  data?: string;
  codes?: string;
  exchange?: Exchange;
  output?: OutputMode;
  conflateMs?: number | string;
  payload?: PayloadMode;
}

/** The market clock of a venue as the status badge needs it. */
export interface MarketClock {
  readonly open: boolean;
  /** `HH:MM` (KST) of the next opening, when closed. */
  readonly opensAt: string | null;
  /** Set when a 장운영정보 subscription announced the phase (rather than the calendar). */
  readonly phase?: MarketPhase;
}

/** A data node as the config node sees it: it receives the session's state and its readiness. */
export interface SessionUser {
  readonly node: Node;
  /** The session is up (or was replaced): (re)subscribe the codes. */
  onSessionReady(): void;
  /** The session state changed (fan-out from the config node). */
  onSessionState(state: SessionState): void;
  /** Optional: a frame the session could not use (e.g. 'no-key': a 체결통보 before its ack after a reconnect). */
  onFrameError?(error: { readonly code: string; readonly trId?: string }): void;
  /** Optional: a (new) copy of the stock master is loaded; names and NXT eligibility may have changed. */
  onMasterReady?(): void;
}

/** The part of a kis-config node the data nodes use. */
export interface KisConfigNode extends Node<KisCredentials> {
  /** Required by the runtime under exactly this name: status/errors of the config node reach the flows of these nodes. */
  users: Record<string, Node>;
  register(user: SessionUser): void;
  deregister(user: SessionUser, removed: boolean, done: () => void): void;
  /** Subscribe a sink; null when there is no session (not ready, failed, closed). Throws on a refused request (e.g. LIMIT). */
  subscribe(trId: TrId, code: string, sink: RecordSink): SubscriptionHandle | null;
  /** Current state of the session (idle before the first user). */
  sessionState(): SessionState;
  /** True when the session exists and can take subscriptions. */
  sessionReady(): boolean;
  /** The market clock for a venue, or null when the clock does not apply (the embedded simulator is always open). */
  marketClock(exchange: Exchange): MarketClock | null;
  /** A 장운영정보 record announced a market-wide phase for a venue (the badges follow it). Optional: older config nodes lack it. */
  observeMarket?(venue: Venue, phase: MarketPhase): void;
  /** Translate a runtime text of the kis-config catalog (all runtime strings live there). */
  text(key: string, params?: Record<string, string | number>): string;
  /** A NodeStatus for a user from the session state and the user's own facts. */
  statusFor(state: SessionState, facts: UserFacts): NodeStatus;
  /** Remove every secret of this config node from a text (defence in depth for errors from lower layers). */
  redact(text: string): string;
  /** The stock master of this config's server (null: none, e.g. custom without a REST URL). */
  kisMaster(): MasterStore | null;
  /** Korean name of a code from the stock master, when it is loaded and knows the code. */
  stockName(code: string): string | undefined;
  /** Whether NXT trades a code (stock master); undefined when the master cannot tell. */
  isNxtTradable(code: string): boolean | undefined;
  /** For kis-notice: the HTS ID (a secret: never put it in a text) and the 체결통보 TR ids to try; null without an HTS ID. */
  noticeKey(): { readonly htsId: string; readonly trIds: readonly TrId[] } | null;
}

/** What a data node adds to the session state for its own badge. */
export interface UserFacts {
  readonly codes: number;
  readonly exchange: Exchange;
  /** The last refusal KIS (or the session) reported for one of this node's codes, until the set changes. */
  readonly refused: { readonly code: string; readonly trKey: string } | null;
  /** A problem of the node itself (bad codes in config, missing config). */
  readonly problem: string | null;
}
