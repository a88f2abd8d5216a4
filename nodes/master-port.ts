/**
 * Where the nodes meet the stock master (lib/master): which store a kis-config reads, and the
 * admin HTTP endpoint that feeds the editor's code search (nodes/editor/code-search.js).
 *
 * - real / paper: KIS's download URLs (settings.js `kisMasterUrls` overrides any of them), cached
 *   on disk in `<userDir>/kis-master/` (settings.js `kisMasterDir` moves it).
 * - simulator: the embedded simulator's own master files, fetched from its HTTP port; memory only.
 * - custom: the same paths on the custom REST URL's origin (a standalone kis-simulator); memory only.
 */
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { masterStore, type MasterStore, type MasterUrls, type StockInfo } from '../lib/master';
import { masterUrls, type MasterFileId } from '../lib/protocol/master-file';
import { isValidStockCode, splitCodes } from '../lib/protocol/stock-codes';
import { isLoopbackUrl, type ServerChoice } from '../lib/session/servers';
import { acquireSimulator, releaseSimulator } from './session-port';

type Settings = Record<string, unknown>;

/** The admin endpoint's path (under Node-RED's httpAdmin root). */
export const MASTER_ADMIN_PATH = '/kis-config/master';
const MAX_RESULTS = 50;

function settingsOf(RED: NodeAPI): Settings {
  return RED.settings as unknown as Settings;
}

/** KIS's URLs with the user's overrides (settings.js `kisMasterUrls: {kospi: '…', …}`). */
export function kisMasterUrls(RED: NodeAPI): MasterUrls {
  const urls: Record<MasterFileId, string> = masterUrls();
  const overrides = settingsOf(RED).kisMasterUrls;
  if (typeof overrides === 'object' && overrides !== null) {
    for (const [id, url] of Object.entries(overrides as Record<string, unknown>)) {
      if (id in urls && typeof url === 'string' && url.trim() !== '') urls[id as MasterFileId] = url.trim();
    }
  }
  return urls;
}

/**
 * The cache directory of KIS's files: settings.js `kisMasterDir`, else `<userDir>/kis-master`;
 * null (memory only) when the runtime has no user directory.
 */
export function kisMasterDir(RED: NodeAPI): string | null {
  const s = settingsOf(RED);
  if (typeof s.kisMasterDir === 'string' && s.kisMasterDir !== '') return s.kisMasterDir;
  return typeof s.userDir === 'string' && s.userDir !== '' ? path.join(s.userDir, 'kis-master') : null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function logTo(RED: NodeAPI): (level: 'info' | 'warn', text: string) => void {
  return (level, text) => (level === 'warn' ? RED.log.warn(`[kis-config] ${text}`) : RED.log.info(`[kis-config] ${text}`));
}

/** The store a kis-config with this server choice reads, or null when it has none (custom without a URL). */
export function masterForServer(RED: NodeAPI, server: ServerChoice, restUrl?: string): MasterStore | null {
  const log = logTo(RED);
  const retryMs = typeof settingsOf(RED).kisMasterRetryMs === 'number' ? (settingsOf(RED).kisMasterRetryMs as number) : undefined;
  const timeoutMs = typeof settingsOf(RED).kisMasterTimeoutMs === 'number' ? (settingsOf(RED).kisMasterTimeoutMs as number) : undefined;
  if (server === 'real' || server === 'paper') {
    const urls = kisMasterUrls(RED);
    const dir = kisMasterDir(RED);
    return masterStore(`kis|${dir}|${JSON.stringify(urls)}`, () => ({ source: async () => ({ urls }), cacheDir: dir, log, retryMs, timeoutMs }));
  }
  if (server === 'simulator') {
    return masterStore('simulator', () => ({
      source: async () => {
        const sim = await acquireSimulator();
        return { urls: masterUrls(sim.restUrl), release: () => releaseSimulator(sim) };
      },
      cacheDir: null,
      log,
      retryMs: retryMs ?? 5_000,
      timeoutMs,
    }));
  }
  const origin = originOf(restUrl ?? '');
  if (origin === null) return null;
  return masterStore(`custom|${origin}`, () => ({ source: async () => ({ urls: masterUrls(origin) }), cacheDir: null, log, retryMs: retryMs ?? 60_000, timeoutMs }));
}

function one(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

interface CodeReport extends Partial<StockInfo> {
  readonly code: string;
  readonly valid: boolean;
  readonly known: boolean;
}

/**
 * GET <httpAdmin>/kis-config/master?server=…[&config=id][&restUrl=…]&q=삼성[&limit=20] — search;
 * …&codes=005930,ABCDEFG — what the master says about each code. Both answer `{state, size,
 * downloadedAt}`; `state` is none (syntax-only), stale or fresh.
 */
const withEndpoint = new WeakSet<object>();

export function registerMasterAdmin(RED: NodeAPI): void {
  // Once per admin app, however often the node set is loaded (test runtimes load it per test).
  if (withEndpoint.has(RED.httpAdmin)) return;
  withEndpoint.add(RED.httpAdmin);
  RED.httpAdmin.get(MASTER_ADMIN_PATH, RED.auth.needsPermission('kis-config.read'), (req, res) => {
    void (async () => {
      const q = req.query as Record<string, unknown>;
      const configId = one(q.config);
      const deployed = configId !== '' ? (RED.nodes.getNode(configId) as unknown as { kisMaster?: () => MasterStore | null } | null) : null;
      const serverParam = one(q.server);
      const server: ServerChoice = serverParam === 'real' || serverParam === 'paper' || serverParam === 'custom' ? serverParam : 'simulator';
      // The deployed config's own store when the dialog still shows its server; otherwise the
      // store of the server picked in the dialog (a custom URL only when it is on this machine).
      const own = typeof deployed?.kisMaster === 'function' && one(q.deployedServer) !== 'changed' ? deployed.kisMaster() : undefined;
      const store = own !== undefined && own !== null ? own : masterForServer(RED, server, isLoopbackUrl(one(q.restUrl)) ? one(q.restUrl) : '');
      if (store !== null) await store.ensure();
      const head = { state: store?.state ?? 'none', size: store?.size ?? 0, downloadedAt: store?.downloadedAt ?? 0 };
      const codes = one(q.codes);
      if (codes !== '') {
        const reports: CodeReport[] = splitCodes(codes).slice(0, 200).map((code) => {
          const info = store?.lookup(code);
          return { ...(info ?? {}), code, valid: isValidStockCode(code), known: info !== undefined };
        });
        res.json({ ...head, codes: reports });
        return;
      }
      const limit = Math.min(MAX_RESULTS, Math.max(1, Number(one(q.limit)) || 20));
      const results = store?.search(one(q.q).slice(0, 40), limit) ?? [];
      res.json({ ...head, results: results.map(({ rank: _rank, ...info }) => info) });
    })().catch((err: unknown) => {
      res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    });
  });
}
