/**
 * Contract of the KIS session layer (issue 5). No Node-RED in here: the nodes are thin adapters
 * over these types. Implemented in lib/session/.
 */
import type { ControlFrame, DataFrame } from '../protocol/parse-frame';
import type { CustType } from '../protocol/messages';
import type { KisRecord } from '../protocol/record-parser';
import type { TrId } from '../protocol/tr-tables';

export interface ReconnectOptions {
  /** First delay after a drop (default 1000 ms). */
  readonly initialDelayMs?: number;
  /** Cap of the exponential backoff (default 60 000 ms). */
  readonly maxDelayMs?: number;
  /** Give up after this many failed attempts in a row; 0 = retry forever (default 0). */
  readonly maxRetries?: number;
  /** Random jitter: each delay is shortened by up to this fraction (default 0.2 → 0.8–1.0 × the delay; at most 0.5). */
  readonly jitter?: number;
  /** Delay after OPSP8996 ALREADY IN USE appkey (default 30 000 ms). */
  readonly inUseDelayMs?: number;
}

export interface KisSessionOptions {
  readonly appKey: string;
  readonly appSecret: string;
  /** REST base URL, e.g. https://openapi.koreainvestment.com:9443 */
  readonly restUrl: string;
  /** WebSocket URL, e.g. ws://ops.koreainvestment.com:21000/tryitout */
  readonly wsUrl: string;
  readonly custType?: CustType;
  /** Registration limit enforced client-side (default 41). */
  readonly maxRegistrations?: number;
  /** Minimum spacing between subscribe/unsubscribe requests (default 100 ms). */
  readonly pacingMs?: number;
  /** A request with no ack after this long fails (default 5000 ms). */
  readonly ackTimeoutMs?: number;
  /** Approval-key request timeout (default 10 000 ms). */
  readonly approvalTimeoutMs?: number;
  /** Connection is declared dead when nothing (data or PINGPONG) arrived for this long (default 300 000 ms). */
  readonly idleTimeoutMs?: number;
  readonly reconnect?: ReconnectOptions;
  /**
   * Which KIS server this is, for refusing TRs it does not serve before KIS sees them
   * (paper serves only H0STCNT0, H0STASP0, H0STCNI9; doc §9.9). Default: inferred from the
   * wsUrl port (21000 real, 31000 paper); any other URL (the simulator) is not checked client-side.
   */
  readonly server?: 'real' | 'paper';
  /** Diagnostics sink. Texts never contain the app key, app secret or approval key. */
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', text: string) => void;
}

export type SessionState =
  | { readonly state: 'idle' }
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'connected'; readonly registrations: number }
  | { readonly state: 'reconnecting'; readonly retry: number; readonly maxRetries: number; readonly delayMs: number; readonly reason: string; readonly code?: string }
  | { readonly state: 'failed'; readonly reason: string; readonly code?: string }
  | { readonly state: 'closed' };

/** Why one subscription was refused or lost. `code` is an OPSP msg_cd or one of ours. */
export interface SubscriptionError {
  readonly trId: string;
  readonly trKey: string;
  /** OPSP msg_cd (e.g. OPSP0008), or LIMIT (41 reached client-side), ACK_TIMEOUT, BAD_CODE, NOT_ON_SERVER. */
  readonly code: string;
  readonly message: string;
}

/**
 * Receives the records of one (TR, code) registration. An object with methods, not a closure per
 * subscription, so dispatch is one map lookup and a method call per record.
 */
export interface RecordSink {
  /** The record is the sink's own object (never shared with another sink): it may keep or change it. */
  onRecord(record: KisRecord, frame: DataFrame): void;
  /** The registration was refused (or dropped by the server); the sink receives nothing more for it. */
  onSubscriptionError(error: SubscriptionError): void;
  /** Optional: the registration is acknowledged by KIS (OPSP0000 or OPSP0002). */
  onSubscribed?(trId: TrId, trKey: string, ack: ControlFrame): void;
}

export interface SubscriptionHandle {
  readonly trId: TrId;
  readonly trKey: string;
  /** Remove this sink; the wire registration goes when its last sink goes. Idempotent. */
  unsubscribe(): void;
}

/** Defaults of `ReconnectOptions` (doc §6.5). */
export const RECONNECT_DEFAULTS: Readonly<Required<ReconnectOptions>> = Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetries: 0,
  jitter: 0.2,
  inUseDelayMs: 30_000,
});

/** Defaults of the numeric `KisSessionOptions`. */
export const SESSION_DEFAULTS = Object.freeze({
  custType: 'P' as CustType,
  /** Server limit per session (doc §6.1). */
  maxRegistrations: 41,
  /** ≥ 100 ms between subscription requests, as the official samples do (doc §6.3). */
  pacingMs: 100,
  ackTimeoutMs: 5000,
  approvalTimeoutMs: 10_000,
  /** ~3 × the observed ~100 s PINGPONG interval would be 300 s (doc §6.5). */
  idleTimeoutMs: 300_000,
});

/** Codes of `SubscriptionError` that come from this client rather than from KIS. */
export const CLIENT_ERROR_CODES = Object.freeze({
  LIMIT: 'LIMIT',
  ACK_TIMEOUT: 'ACK_TIMEOUT',
  BAD_CODE: 'BAD_CODE',
  NOT_ON_SERVER: 'NOT_ON_SERVER',
  /** The TR id is not one this package knows. */
  UNKNOWN_TR: 'UNKNOWN_TR',
  /** subscribe() on a session that was stopped. */
  SESSION_CLOSED: 'SESSION_CLOSED',
} as const);
