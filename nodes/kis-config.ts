/**
 * kis-config: owns the KIS session of one app key (MQTT-broker model, conventions §2).
 * - The session comes from the pool (one per app key in the runtime, so two config nodes with the
 *   same key share it instead of fighting into OPSP8996); with server 'simulator' the embedded
 *   simulator is started first and its URLs and demo credentials are used.
 * - Connects when the first data node registers; a restart of users (removed=false) keeps it; it
 *   goes when the last user is removed or the config node closes.
 * - Fans the session state out to every user, which turns it into its badge.
 * Secrets stay in `credentials` and the session options: every text from below is redacted.
 */
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { venueOf, type Exchange } from '../lib/protocol/exchange';
import type { MarketPhase } from '../lib/protocol/market-op';
import { noticeTrIds } from '../lib/protocol/notices';
import type { FrameError } from '../lib/protocol/parse-frame';
import type { TrId, Venue } from '../lib/protocol/tr-tables';
import { redactSecrets } from '../lib/session/redact';
import { isLoopbackUrl, KIS_SERVERS, type ServerChoice } from '../lib/session/servers';
import type { KisSessionOptions, RecordSink, SessionState, SubscriptionHandle } from '../lib/session/types';
import type { RunningSimulator } from '../lib/simulator/types';
import type { MasterStore } from '../lib/master';
import { marketClockOf } from './market-clock';
import { masterForServer, registerMasterAdmin } from './master-port';
import { MarketObserver } from './market-observer';
import { acquire, acquireSimulator, release, releaseSimulator, type SessionPort } from './session-port';
import { statusFor } from './status';
import type { KisConfigDef, KisConfigNode, KisCredentials, MarketClock, SessionUser, UserFacts } from './types';

/** Connect ceiling for a server on this machine (the simulator): loose, it is not KIS. */
const LOOPBACK_CEILING = Object.freeze({ perMinute: 600, perHour: 36_000 });

/** How often the market-clock part of the badges is refreshed while connected. */
const CLOCK_REFRESH_MS = 30_000;

type Settings = Record<string, unknown>;

function num(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function isServer(value: unknown): value is ServerChoice {
  return value === 'simulator' || value === 'real' || value === 'paper' || value === 'custom';
}

class ConfigRuntime {
  readonly users: Record<string, Node> = {};
  private readonly members = new Map<string, SessionUser>();
  private readonly server: ServerChoice;
  private session: SessionPort | null = null;
  private simulator: RunningSimulator | null = null;
  private state: SessionState = { state: 'idle' };
  private closed = false;
  /** After a user restarts (removed=false) keep the session while it has no users; cleared by a removal. */
  private holdEmpty = false;
  /** Open/close steps run one after another; each decides from the state at the time it runs. */
  private chain: Promise<void> = Promise.resolve();
  private clockTimer: NodeJS.Timeout | null = null;
  private readonly secrets: string[] = [];
  /** The stock master this config's server publishes (names, NXT eligibility); loaded on first use. */
  readonly master: MasterStore | null;
  private masterSeen = 0;
  /** What 장운영정보 subscriptions announced; it overrides the calendar in the badges. */
  private readonly observer = new MarketObserver();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: KisConfigNode,
    private readonly def: KisConfigDef,
  ) {
    this.server = isServer(def.server) ? def.server : 'simulator';
    this.master = masterForServer(RED, this.server, def.restUrl);
    const creds: KisCredentials = node.credentials ?? {};
    for (const s of [creds.appKey, creds.appSecret, creds.htsId]) if (typeof s === 'string' && s !== '') this.secrets.push(s);
    this.onState = this.onState.bind(this);
    this.onFrameError = this.onFrameError.bind(this);
    this.refreshClock = this.refreshClock.bind(this);
  }

  private get settings(): Settings {
    return this.RED.settings as unknown as Settings;
  }

  // ---- what the data nodes call (installed on the node object) ----

  register(user: SessionUser): void {
    if (this.closed) return;
    if (this.master !== null) {
      // A user that resolved its routes before the copy it now meets was loaded catches up.
      if (this.masterSeen !== 0) user.onMasterReady?.();
      void this.master.ensure().then(() => this.masterLoaded());
    }
    this.users[user.node.id] = user.node;
    this.members.set(user.node.id, user);
    user.onSessionState(this.state);
    if (this.session !== null) user.onSessionReady();
    else this.reconcile();
  }

  /** Tell the users once per new copy of the master (their routes may change: NXT eligibility). */
  private masterLoaded(): void {
    const at = this.master?.downloadedAt ?? 0;
    if (this.closed || at === 0 || at === this.masterSeen) return;
    this.masterSeen = at;
    for (const user of [...this.members.values()]) user.onMasterReady?.();
  }

  deregister(user: SessionUser, removed: boolean, done: () => void): void {
    if (this.members.get(user.node.id) === user) {
      this.members.delete(user.node.id);
      delete this.users[user.node.id];
    }
    if (this.closed) return done();
    if (this.members.size === 0) this.holdEmpty = !removed;
    if (removed && this.members.size === 0) {
      this.reconcile();
      this.chain.then(done, done);
      return;
    }
    done();
  }

  subscribe(trId: TrId, code: string, sink: RecordSink): SubscriptionHandle | null {
    return this.session !== null ? this.session.subscribe(trId, code, sink) : null;
  }

  sessionState(): SessionState {
    return this.state;
  }

  sessionReady(): boolean {
    return this.session !== null;
  }

  marketClock(exchange: Exchange): MarketClock | null {
    const venue = venueOf(exchange);
    const now = this.now();
    return this.observer.clockFor(venue, now, this.calendarClock(venue, now));
  }

  /** The calendar's clock, or null when it does not apply (the embedded simulator's market is always open). */
  private calendarClock(venue: Venue, now: number): MarketClock | null {
    if (this.server === 'simulator' || this.settings.kisConfigMarketClock === false) return null;
    return marketClockOf(venue, now);
  }

  private now(): number {
    const clock = this.settings.kisConfigClock;
    return typeof clock === 'function' ? (clock as () => number)() : Date.now();
  }

  observeMarket(venue: Venue, phase: MarketPhase): void {
    const now = this.now();
    if (this.observer.observe(venue, phase, now, this.calendarClock(venue, now))) this.refreshClock();
  }

  text(key: string, params?: Record<string, string | number>): string {
    return this.redact(this.RED._(key, params));
  }

  statusFor(state: SessionState, facts: UserFacts): NodeStatus {
    const status = statusFor(state, facts, state.state === 'connected' ? this.marketClock(facts.exchange) : null, (k, p) => this.text(k, p));
    return status.text !== undefined ? { ...status, text: this.redact(String(status.text)) } : status;
  }

  redact(text: string): string {
    return this.secrets.length === 0 ? text : redactSecrets(text, this.secrets);
  }

  noticeKey(): { htsId: string; trIds: readonly TrId[] } | null {
    const own = (this.node.credentials?.htsId ?? '').trim();
    // The embedded simulator serves its own demo HTS ID when none is set.
    const htsId = own !== '' ? own : this.server === 'simulator' ? (this.simulator?.htsId ?? '') : '';
    if (htsId === '') return null;
    const paperPort = this.server === 'custom' && /:31000(\/|$)/.test(this.def.wsUrl ?? '');
    return { htsId, trIds: noticeTrIds(this.server === 'real' || this.server === 'paper' ? this.server : paperPort ? 'paper' : undefined) };
  }

  close(removed: boolean, done: () => void): void {
    this.closed = true;
    this.members.clear();
    this.reconcile();
    this.chain.then(done, done);
    void removed;
  }

  // ---- session lifecycle ----

  private wanted(): boolean {
    return !this.closed && (this.members.size > 0 || this.holdEmpty);
  }

  private reconcile(): void {
    this.chain = this.chain.then(async () => {
      if (this.wanted() && this.session === null) await this.open();
      else if (!this.wanted() && this.session !== null) await this.shut();
    });
  }

  private async open(): Promise<void> {
    let options: KisSessionOptions;
    try {
      options = await this.sessionOptions();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.wanted()) {
      await this.dropSimulator();
      return;
    }
    let session: SessionPort;
    try {
      session = acquire(options, this.node.id);
    } catch (err) {
      await this.dropSimulator();
      this.fail(err);
      return;
    }
    this.session = session;
    session.on('state', this.onState);
    session.on('frameError', this.onFrameError);
    this.onState(session.state);
    for (const user of [...this.members.values()]) user.onSessionReady();
  }

  private async shut(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.stopClock();
    if (session !== null) {
      session.off('state', this.onState);
      session.off('frameError', this.onFrameError);
      try {
        await release(this.node.id);
      } catch (err) {
        this.node.warn(this.describe(err));
      }
    }
    await this.dropSimulator();
    this.state = { state: 'idle' };
  }

  private async dropSimulator(): Promise<void> {
    const sim = this.simulator;
    this.simulator = null;
    if (sim !== null) await releaseSimulator(sim).catch((err: unknown) => this.node.warn(this.describe(err)));
  }

  private async sessionOptions(): Promise<KisSessionOptions> {
    const def = this.def;
    const creds: KisCredentials = this.node.credentials ?? {};
    let appKey = creds.appKey ?? '';
    let appSecret = creds.appSecret ?? '';
    let restUrl: string;
    let wsUrl: string;
    if (this.server === 'simulator') {
      const sim = await acquireSimulator();
      this.simulator = sim;
      ({ restUrl, wsUrl, appKey, appSecret } = sim);
    } else if (this.server === 'custom') {
      restUrl = (def.restUrl ?? '').trim();
      wsUrl = (def.wsUrl ?? '').trim();
      if (restUrl === '' || wsUrl === '') throw new Error(this.text('kis-config.errors.missing-urls'));
    } else {
      ({ restUrl, wsUrl } = KIS_SERVERS[this.server]);
    }
    if (appKey === '' || appSecret === '') throw new Error(this.text('kis-config.errors.missing-credentials'));
    const s = this.settings;
    const optional = <T>(key: string): T | undefined => (s[key] === undefined ? undefined : (s[key] as T));
    // The connect ceiling protects a KIS account from connect loops; a server on this machine (the
    // simulator, tests) is not KIS, so its default is loose. A setting overrides both.
    const loopback = isLoopbackUrl(restUrl) && isLoopbackUrl(wsUrl);
    const ceiling = {
      perMinute: optional<number>('kisConfigConnectsPerMinute') ?? (loopback ? LOOPBACK_CEILING.perMinute : undefined),
      perHour: optional<number>('kisConfigConnectsPerHour') ?? (loopback ? LOOPBACK_CEILING.perHour : undefined),
    };
    return {
      appKey,
      appSecret,
      restUrl,
      wsUrl,
      custType: def.custType === 'B' ? 'B' : 'P',
      server: this.server === 'real' || this.server === 'paper' ? this.server : undefined,
      pacingMs: num(def.pacingMs, 100),
      ackTimeoutMs: optional<number>('kisConfigAckTimeoutMs'),
      approvalTimeoutMs: optional<number>('kisConfigApprovalTimeoutMs'),
      idleTimeoutMs: optional<number>('kisConfigIdleTimeoutMs'),
      minIdleTimeoutMs: optional<number>('kisConfigMinIdleTimeoutMs'),
      healthyAfterMs: optional<number>('kisConfigHealthyAfterMs'),
      forceCloseMs: optional<number>('kisConfigForceCloseMs'),
      connectCeiling: ceiling,
      // Keeps the ceiling's count across a Node-RED restart (a crash loop must not reconnect freely).
      connectLedgerDir: loopback ? optional<string>('kisConfigConnectLedgerDir') : (optional<string>('kisConfigConnectLedgerDir') ?? optional<string>('userDir')),
      reconnect: {
        initialDelayMs: num(def.reconnectInitialMs, 1000),
        maxDelayMs: num(def.reconnectMaxMs, 60_000),
        maxRetries: num(def.maxRetries, 0),
        jitter: optional<number>('kisConfigJitter'),
        inUseDelayMs: optional<number>('kisConfigInUseDelayMs'),
      },
      log: (level, text) => this.log(level, text),
    };
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', text: string): void {
    const safe = this.redact(text);
    if (level === 'debug') this.node.debug(safe);
    else if (level === 'info') this.node.log(safe);
    else this.node.warn(safe);
  }

  // ---- state fan-out ----

  private onState(state: SessionState): void {
    const previous = this.state.state;
    this.state = state;
    if (state.state !== previous) this.logTransition(state);
    if (state.state === 'connected') this.startClock();
    else this.stopClock();
    for (const user of [...this.members.values()]) user.onSessionState(state);
  }

  private onFrameError(error: FrameError): void {
    for (const user of [...this.members.values()]) user.onFrameError?.(error);
  }

  /**
   * One log line per change of state kind, never per retry: "connection lost" only for a
   * connection that worked, "cannot connect yet" otherwise; the code once, then the reason.
   */
  private logTransition(state: SessionState): void {
    if (state.state === 'connected') this.node.log(this.text('kis-config.log.connected'));
    else if (state.state === 'reconnecting' || state.state === 'failed') {
      const reason = this.redact(state.code !== undefined ? `${state.code} ${state.reason}` : state.reason);
      const key = state.state === 'failed' ? (state.cause === 'config' ? 'failed-config' : 'failed') : state.lost === false ? 'retrying' : 'reconnecting';
      this.node.warn(`${this.text(`kis-config.log.${key}`)}: ${reason}`);
    }
  }

  private fail(err: unknown): void {
    const reason = this.describe(err);
    this.onState({ state: 'failed', reason });
  }

  private describe(err: unknown): string {
    return this.redact(err instanceof Error ? err.message : String(err));
  }

  private startClock(): void {
    if (this.clockTimer !== null || this.marketClock('UN') === null) return;
    this.clockTimer = setInterval(this.refreshClock, CLOCK_REFRESH_MS);
    this.clockTimer.unref();
  }

  private stopClock(): void {
    if (this.clockTimer !== null) clearInterval(this.clockTimer);
    this.clockTimer = null;
  }

  private refreshClock(): void {
    for (const user of [...this.members.values()]) user.onSessionState(this.state);
  }
}

export = function (RED: NodeAPI): void {
  registerMasterAdmin(RED);
  function KisConfig(this: KisConfigNode, def: KisConfigDef): void {
    RED.nodes.createNode(this, def);
    const runtime = new ConfigRuntime(RED, this, def);
    this.users = runtime.users;
    this.register = (user) => runtime.register(user);
    this.deregister = (user, removed, done) => runtime.deregister(user, removed, done);
    this.subscribe = (trId, code, sink) => runtime.subscribe(trId, code, sink);
    this.sessionState = () => runtime.sessionState();
    this.sessionReady = () => runtime.sessionReady();
    this.marketClock = (exchange) => runtime.marketClock(exchange);
    this.observeMarket = (venue, phase) => runtime.observeMarket(venue, phase);
    this.text = (key, params) => runtime.text(key, params);
    this.statusFor = (state, facts) => runtime.statusFor(state, facts);
    this.redact = (text) => runtime.redact(text);
    this.kisMaster = () => runtime.master;
    this.stockName = (code) => runtime.master?.nameOf(code);
    this.isNxtTradable = (code) => runtime.master?.isNxtTradable(code);
    this.noticeKey = () => runtime.noticeKey();
    this.on('close', (removed: boolean, done: () => void) => runtime.close(removed, done));
  }
  RED.nodes.registerType<KisConfigNode, KisConfigDef, unknown, KisCredentials>('kis-config', KisConfig, {
    credentials: { appKey: { type: 'password' }, appSecret: { type: 'password' }, htsId: { type: 'password' } },
  });
};
