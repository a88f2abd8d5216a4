import type { LayoutEdition } from '../protocol/tr-tables';

/**
 * Contract of the local KIS simulator. Implemented in lib/simulator/; the session tests,
 * the node tests, the demo and the benchmarks all drive it through this interface.
 */

export interface SimulatorCredentials {
  readonly appKey: string;
  readonly appSecret: string;
}

export interface SimulatorOptions {
  /** Interface to bind; always loopback by default. */
  readonly host?: string;
  /** TCP port for both REST and WebSocket (0 = any free port, the default). */
  readonly port?: number;
  /** `paper` serves only the TRs the paper server has (H0STCNT0, H0STASP0, H0STCNI9). */
  readonly mode?: 'real' | 'paper';
  /** Seed of the deterministic market (default 1). */
  readonly seed?: number;
  /** Records per second per subscribed (TR, code) (default 2 for the demo). */
  readonly rate?: number;
  /** Per-code overrides of `rate`. */
  readonly rates?: Readonly<Record<string, number>>;
  /** `always` = market always open (demo default); `kst` = follow the KRX/NXT session calendar (docs/protocol/market-calendar.md). */
  readonly hours?: 'always' | 'kst';
  /**
   * Trigger VIs in KRX continuous trading when a trade (or an occasional aggressive order) would
   * pass the static or dynamic band, followed by a 2-minute single-price call. Default: on with
   * `hours: 'kst'`, off with `always` (the demo's market never pauses a stock by itself; use
   * `triggerVi` there).
   */
  readonly vi?: boolean;
  /**
   * Which field layouts to send: `doc` (default: the documented counts, e.g. 체결 46) or `2026-09`
   * (the portal's lists of 2026-09-11: 체결 47 with MARKET_CLS_CODE, 호가 62/63 KRX, 62 NXT, 66 통합, …).
   */
  readonly layout?: LayoutEdition;
  /** Clock (epoch ms); injectable for tests. */
  readonly now?: () => number;
  /** Accepted app keys; default: the one demo credential pair (DEMO_APP_KEY / DEMO_APP_SECRET). */
  readonly credentials?: readonly SimulatorCredentials[];
  /** PINGPONG interval in ms (default 100 000, as observed on KIS). */
  readonly pingIntervalMs?: number;
  /** Close a session that has not echoed a PINGPONG within this many ms (default 100 000). */
  readonly pingTimeoutMs?: number;
  /** After an unclean close, keep the app key's slot occupied this long (OPSP8996 meanwhile). */
  readonly slotHoldMs?: number;
  /** Registrations per session (default 41). */
  readonly maxRegistrations?: number;
  /** Most records packed into one frame during bursts (default 8, at most 999). */
  readonly maxBatch?: number;
  /**
   * Called after every data frame is handed to the socket, with performance.now() ms, so in-process
   * benchmarks can measure latency and loss. Keep it cheap: it runs on the simulator's hot path.
   */
  readonly onFrameSent?: (trId: string, code: string, count: number, atMs: number) => void;
  /** Mean interval of the simulated fills on a 체결통보 subscription (default 15 000 ms; 0 = only on demand). */
  readonly noticeIntervalMs?: number;
  /**
   * Also count a WebSocket pong (or ping) control frame from the client as the PINGPONG answer.
   * Default false: only the text echo counts, because whether real KIS accepts a control frame is
   * not settled (the official samples send one).
   */
  readonly acceptControlPong?: boolean;
  /** Minimum time between two POST /oauth2/tokenP calls of one app key; sooner gets EGW00133 (default 60 000; 0 = no limit). */
  readonly tokenMinIntervalMs?: number;
  /** Skip (and count) data for a socket whose send buffer holds more than this (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** Scheduler period in ms (default 10). */
  readonly tickMs?: number;
  /**
   * HTS ID of the simulated customer (CLI `--hts-id`). Set: 체결통보 notices go only to that tr_key, and a
   * 체결통보 subscription with another one is dropped without a close frame shortly after its ack, as KIS
   * does (docs/protocol/notices.md). Unset: any HTS ID gets the notices (`htsId` reads 'kisdemo').
   */
  readonly htsId?: string;
  /** Account number in the notices (CLI `--account`): 10 digits, or 8 (product code 01 added). Default 5012345601. */
  readonly account?: string;
  /** Mean interval of the automatic, seeded orders while a 체결통보 subscription exists (default 6000 ms; 0 = only placed orders). */
  readonly autoOrderIntervalMs?: number;
  /** Delay between the ack of a wrong-HTS-ID 체결통보 subscription and the drop (default 300 ms). */
  readonly wrongHtsIdDropMs?: number;
}

/** An order for the simulated account (RunningSimulator.orders.place, POST /sim/orders). */
export interface SimulatorOrder {
  readonly code: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  /** Limit price on the tick grid; 0 or absent = market order. */
  readonly price?: number;
  readonly condition?: 'none' | 'ioc' | 'fok';
}

export interface SimulatorOrderResult {
  readonly orderNo: string;
  readonly branchNo: string;
  readonly accepted: boolean;
  readonly reason?: string;
}

/** The simulated account's orders: each produces 체결통보 notices (accepted, fills, …) for the subscribers. */
export interface SimulatorOrders {
  place(order: SimulatorOrder): SimulatorOrderResult;
  cancel(orderNo: string): SimulatorOrderResult;
  modify(orderNo: string, change: { readonly price?: number; readonly qty?: number }): SimulatorOrderResult;
  working(): readonly { readonly orderNo: string; readonly code: string; readonly side: 'buy' | 'sell'; readonly qty: number; readonly filled: number; readonly price: number }[];
}

/** One request the simulator received on a WebSocket, for pacing and duplicate checks in tests. */
export interface ReceivedRequest {
  readonly at: number; // performance.now() ms
  readonly sessionId: number;
  readonly trType: string;
  readonly trId: string;
  readonly trKey: string;
  /** msg_cd the simulator answered with. */
  readonly answered: string;
}

export interface SimulatorStats {
  /** WebSocket connections currently open (all app keys). */
  readonly openSockets: number;
  /** Open sockets per app key. */
  readonly openSocketsByAppKey: Readonly<Record<string, number>>;
  /** Approval keys issued so far. */
  readonly approvalsIssued: number;
  /** Access tokens issued so far (POST /oauth2/tokenP; a reused token is not counted again). */
  readonly tokensIssued: number;
  /** Data records sent so far, per (trId|code). */
  readonly recordsSent: Readonly<Record<string, number>>;
  readonly totalRecordsSent: number;
  /** Data frames sent so far. */
  readonly framesSent: number;
  /** Records not sent because a socket's send buffer was over `maxBufferedBytes` (backpressure). */
  readonly recordsSkipped: number;
  /** Every subscribe/unsubscribe request received, in order. */
  readonly requests: readonly ReceivedRequest[];
}

/** Faults on demand, for the reliability tests. */
export interface SimulatorFaults {
  /** Drop every open socket: with a close frame (clean) or by destroying the TCP socket. */
  dropAll(opts?: { clean?: boolean }): void;
  /** Stop sending anything (data and PINGPONG) without closing: a half-open connection. */
  goSilent(on: boolean): void;
  /** Make the OAuth endpoints (approval key, access token) fail until cleared: HTTP 500, 403, or never answer (timeout). */
  approval(mode: 'ok' | '500' | '403' | 'timeout'): void;
  /** Hold an app key's slot for `ms` after its next unclean close (OPSP8996 meanwhile). */
  holdSlot(ms: number): void;
  /** Answer the next subscribe for (trId, trKey) — or any, if omitted — with this msg_cd. */
  refuseNext(msgCd: string, match?: { trId?: string; trKey?: string }): void;
  /** Send raw text to every open socket (malformed, oversized, unknown TR…). */
  sendRaw(text: string): void;
}

export interface RunningSimulator {
  /** REST base URL (approval key at POST {restUrl}/oauth2/Approval, access token at POST {restUrl}/oauth2/tokenP). */
  readonly restUrl: string;
  /** WebSocket URL (any path is accepted; clients use /tryitout). */
  readonly wsUrl: string;
  readonly port: number;
  /** The demo credentials the simulator accepts (first entry of `credentials`). */
  readonly appKey: string;
  readonly appSecret: string;
  readonly faults: SimulatorFaults;
  /** The simulated customer's HTS ID (the configured one, else 'kisdemo') and account number. */
  readonly htsId: string;
  readonly account: string;
  readonly orders: SimulatorOrders;
  stats(): SimulatorStats;
  /**
   * Place a market order for the simulated customer that fills at once and send its 체결통보 (accepted,
   * then the fill or fills; encrypted) to every H0STCNI0/H0STCNI9 subscription (only those whose tr_key
   * is `htsId`, if given). Returns the number of subscriptions that got them.
   */
  emitNotice(htsId?: string): number;
  /** Make the next KRX continuous trade of `code` trigger a VI (2-minute call, announced in 장운영정보). */
  triggerVi(code: string): void;
  /** Halt (거래정지) or resume trading of `code` on every venue, announced in 장운영정보. */
  setHalt(code: string, halted: boolean, reason?: string): void;
  /** Change the per-(TR, code) rate while running. */
  setRate(rate: number, code?: string): void;
  /** Stop: close every socket with a close frame, stop timers, free the port. */
  stop(): Promise<void>;
}
