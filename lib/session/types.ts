/**
 * Contract of the KIS session layer (issue 5). No Node-RED in here: the nodes are thin adapters
 * over these types. Implemented in lib/session/.
 */
import type { ControlFrame, DataFrame, FrameError } from '../protocol/parse-frame';
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
  /** Approval-key request timeout (default 15 000 ms); doubled after each timeout in a row, up to 4×. */
  readonly approvalTimeoutMs?: number;
  /**
   * Before the PINGPONG cadence of a connection is known: declared dead after this long without any
   * message (default 165 000 ms = 1.5 × 110 s). Once two PINGPONGs arrived, the figure is 1.5 × the
   * longest of the last three PINGPONG intervals seen on that connection, never below
   * `minIdleTimeoutMs`. No WebSocket ping frame is ever sent.
   */
  readonly idleTimeoutMs?: number;
  /** Floor of the learned dead-connection figure (default min(10 000, idleTimeoutMs / 2)). */
  readonly minIdleTimeoutMs?: number;
  /** A connection counts as healthy (the failure streak ends) once it stayed up this long (default 60 000 ms). */
  readonly healthyAfterMs?: number;
  /**
   * Most connects per app key and server, per minute and per hour, counted process-wide over every
   * session object (default 6 and 60). A connect over the ceiling waits (state `reconnecting`,
   * code `CEILING`).
   */
  readonly connectCeiling?: { readonly perMinute?: number; readonly perHour?: number };
  /**
   * A directory where the connect times of the last hour are kept (a small file, times only), so
   * the ceiling also holds across a restart of the process. Default: none (in memory only);
   * kis-config uses the Node-RED user directory for KIS servers.
   */
  readonly connectLedgerDir?: string;
  /** Wait after HTTP 429 without Retry-After (default 61 000 ms). */
  readonly rateLimitDelayMs?: number;
  /** A close frame unanswered for this long: the socket is destroyed (default 2000 ms). */
  readonly forceCloseMs?: number;
  /** At most one log line per (frame error kind, TR) per this long (default 60 000 ms). */
  readonly frameErrorLogIntervalMs?: number;
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
  | {
      readonly state: 'reconnecting';
      readonly retry: number;
      readonly maxRetries: number;
      readonly delayMs: number;
      /** Never repeats `code`. */
      readonly reason: string;
      readonly code?: string;
      /** What the wait is: plain backoff, a KIS rate limit, OPSP8996, or the connect ceiling. */
      readonly waiting?: WaitKind;
      /** True when a working connection was lost; false when none was made yet. */
      readonly lost?: boolean;
    }
  | {
      readonly state: 'failed';
      /** Never repeats `code`. */
      readonly reason: string;
      readonly code?: string;
      /** `config`: a configuration error no retry can fix (starts again on the next deploy). */
      readonly cause?: 'config' | 'retries';
    }
  | { readonly state: 'closed' };

export type WaitKind = 'backoff' | 'rate-limit' | 'in-use' | 'ceiling';

/**
 * Payload of the session's 'frameError' event: a message the session could not use (the parser's
 * FrameError, or `binary` / `unmatched-ack` from the session), with how many of this kind and TR
 * the session has seen. E.g. count encrypted 체결통보 that arrive before their ack key:
 * `session.on('frameError', (e) => { if (e.code === 'no-key') … e.count … })`. Messages are redacted.
 */
export type SessionFrameError =
  | (FrameError & { readonly count: number })
  | { readonly type: 'error'; readonly code: 'binary' | 'unmatched-ack'; readonly message: string; readonly trId?: string; readonly count: number };

/** Typed events of a session. */
export interface KisSessionEvents {
  state: (state: SessionState) => void;
  frameError: (error: SessionFrameError) => void;
}

/** Why one subscription was refused or lost. `code` is an OPSP msg_cd or one of ours. */
export interface SubscriptionError {
  readonly trId: string;
  /** The code subscribed; `***` for a 체결통보 registration (its key is the HTS ID, a secret). */
  readonly trKey: string;
  /** OPSP msg_cd (e.g. OPSP0008), or LIMIT (41 reached client-side), BAD_CODE, NOT_ON_SERVER… (redacted, code-shaped). */
  readonly code: string;
  /** What it means; names neither the code nor the TR and code again (the fields do). */
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
  /** KIS sometimes answers the approval slowly; doubled after each timeout (docs/protocol/session.md). */
  approvalTimeoutMs: 15_000,
  /** 1.5 × 110 s, the longest PINGPONG interval reported (docs/protocol/session.md). */
  idleTimeoutMs: 165_000,
  /** Ceiling of the learned dead-connection floor. */
  minIdleTimeoutMs: 10_000,
  forceCloseMs: 2000,
  frameErrorLogIntervalMs: 60_000,
});

/** Codes of `SubscriptionError` that come from this client rather than from KIS. */
export const CLIENT_ERROR_CODES = Object.freeze({
  LIMIT: 'LIMIT',
  /** Not a refusal any more: an unanswered subscribe is re-sent (kept for callers that match on it). */
  ACK_TIMEOUT: 'ACK_TIMEOUT',
  BAD_CODE: 'BAD_CODE',
  NOT_ON_SERVER: 'NOT_ON_SERVER',
  /** The TR id is not one this package knows. */
  UNKNOWN_TR: 'UNKNOWN_TR',
  /** subscribe() on a session that was stopped. */
  SESSION_CLOSED: 'SESSION_CLOSED',
} as const);
