/**
 * The runtime's copy of KIS's stock master (docs/protocol/master-files.md): downloaded on first
 * use and at most once a trading day, kept as the downloaded zips in a cache directory, read
 * from there when offline. With no copy at all, codes are checked by syntax only and the store
 * says so once. I/O lives here; parsing is lib/protocol/master-file.ts, search is ./search.ts.
 */
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { kstDate, KST_OFFSET_MS } from '../protocol/kst';
import { MASTER_FILE_IDS, MASTER_FILES, parseMasterFile, type MasterFileId } from '../protocol/master-file';
import { readZip } from '../protocol/zip';
import { StockIndex, type SearchHit, type StockInfo } from './search';

export type MasterUrls = Readonly<Record<MasterFileId, string>>;

/** Where the files come from this time; `release` is called after the download (the simulator's hold). */
export interface MasterSource {
  readonly urls: MasterUrls;
  release?(): Promise<void>;
}

export type MasterLog = (level: 'info' | 'warn', text: string) => void;

export interface MasterStoreOptions {
  /** Resolved at each download: KIS's URLs (with the user's overrides) or a simulator's. */
  readonly source: () => Promise<MasterSource>;
  /** Directory for the cached zips; null keeps the copy in memory only (the simulator's). */
  readonly cacheDir: string | null;
  /** English names by code (KIS's master has none). */
  readonly englishNames?: ReadonlyMap<string, string>;
  readonly now?: () => number;
  readonly log?: MasterLog;
  /** Per-file download timeout. */
  readonly timeoutMs?: number;
  /** After a failed download, wait this long before trying again. */
  readonly retryMs?: number;
}

export type MasterState = 'none' | 'stale' | 'fresh';

/** The files without which there is no master; the others add KONEX and NXT eligibility. */
const REQUIRED: readonly MasterFileId[] = ['kospi', 'kosdaq'];
const MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024;
const META_FILE = 'meta.json';

/** The KST date (YYYYMMDD) of the trading day whose master is current at `epochMs`: weekends fall back to Friday. */
export function masterTradingDay(epochMs: number): string {
  const day = new Date(epochMs + KST_OFFSET_MS).getUTCDay();
  const back = day === 0 ? 2 : day === 6 ? 1 : 0;
  return kstDate(epochMs - back * 86_400_000);
}

/** GET a URL into a Buffer (http or https, one redirect at most, size- and time-limited). */
export function download(url: string, timeoutMs: number, redirects = 1): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`bad URL ${url}`));
      return;
    }
    const get = parsed.protocol === 'https:' ? https.get : parsed.protocol === 'http:' ? http.get : null;
    if (get === null) {
      reject(new Error(`unsupported URL ${url}`));
      return;
    }
    const req = get(parsed, { timeout: timeoutMs }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location !== undefined && redirects > 0) {
        res.resume();
        download(new URL(res.headers.location, parsed).toString(), timeoutMs, redirects - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`HTTP ${status} for ${url}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOWNLOAD_BYTES) {
          req.destroy(new Error(`${url}: larger than ${MAX_DOWNLOAD_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms for ${url}`)));
    req.on('error', reject);
  });
}

interface Meta {
  readonly fetchedAt: number;
  readonly files: readonly MasterFileId[];
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class MasterStore {
  private index: StockIndex | null = null;
  private fetchedAt = 0;
  private loading: Promise<void> | null = null;
  private lastFailure = -Infinity;
  private loadedFromDisk = false;
  private saidNone = false;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: MasterStoreOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retryMs = options.retryMs ?? 10 * 60_000;
  }

  /** none: syntax-only checks; stale: a copy from an earlier trading day; fresh: today's. */
  get state(): MasterState {
    if (this.index === null) return 'none';
    return kstDate(this.fetchedAt) >= masterTradingDay(this.now()) ? 'fresh' : 'stale';
  }

  /** Epoch ms of the download of the copy in use (0 when none). */
  get downloadedAt(): number {
    return this.index === null ? 0 : this.fetchedAt;
  }

  get size(): number {
    return this.index?.size ?? 0;
  }

  /**
   * Make the copy current: read the cache on first use, download when it is missing or from an
   * earlier trading day (not more often than `retryMs` after a failure). Never rejects.
   */
  ensure(): Promise<void> {
    if (this.loading !== null) return this.loading;
    const needDisk = !this.loadedFromDisk;
    const needDownload = (): boolean => this.state !== 'fresh' && this.now() - this.lastFailure >= this.retryMs;
    if (!needDisk && !needDownload()) return Promise.resolve();
    this.loading = (async () => {
      if (needDisk) {
        this.loadedFromDisk = true;
        await this.readCache();
      }
      if (needDownload()) await this.refresh();
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  lookup(code: string): StockInfo | undefined {
    return this.index?.get(code);
  }

  /** Korean name of a code, when the master knows it. */
  nameOf(code: string): string | undefined {
    return this.index?.get(code)?.name;
  }

  /**
   * Does NXT trade this code? undefined when it cannot be told: no master, no NXT files, or a
   * code the master does not know.
   */
  isNxtTradable(code: string): boolean | undefined {
    return this.index?.get(code)?.nxt;
  }

  search(query: string, limit?: number): SearchHit[] {
    return this.index?.search(query, limit) ?? [];
  }

  private log(level: 'info' | 'warn', text: string): void {
    this.options.log?.(level, text);
  }

  private async readCache(): Promise<void> {
    const dir = this.options.cacheDir;
    if (dir === null) return;
    let meta: Meta;
    try {
      meta = JSON.parse(await fs.readFile(path.join(dir, META_FILE), 'utf8')) as Meta;
    } catch {
      return; // no copy yet
    }
    try {
      const zips = new Map<MasterFileId, Buffer>();
      for (const id of meta.files) if (MASTER_FILE_IDS.includes(id)) zips.set(id, await fs.readFile(path.join(dir, path.basename(MASTER_FILES[id].path))));
      this.install(zips, meta.fetchedAt);
    } catch (err) {
      this.log('warn', `master cache in ${dir} unreadable: ${describe(err)}`);
    }
  }

  private async refresh(): Promise<void> {
    let source: MasterSource;
    try {
      source = await this.options.source();
    } catch (err) {
      this.failed(describe(err));
      return;
    }
    const zips = new Map<MasterFileId, Buffer>();
    const errors: string[] = [];
    try {
      await Promise.all(
        MASTER_FILE_IDS.map(async (id) => {
          try {
            const zip = await download(source.urls[id], this.timeoutMs);
            readZip(zip); // refuse a corrupt archive before it replaces a good copy
            zips.set(id, zip);
          } catch (err) {
            errors.push(`${id}: ${describe(err)}`);
          }
        }),
      );
    } finally {
      await source.release?.().catch(() => undefined);
    }
    const missing = REQUIRED.filter((id) => !zips.has(id));
    if (missing.length > 0) {
      this.failed(errors.join('; '));
      return;
    }
    const fetchedAt = this.now();
    try {
      this.install(zips, fetchedAt);
    } catch (err) {
      this.failed(describe(err));
      return;
    }
    if (errors.length > 0) this.log('warn', `master files partly unavailable (${errors.join('; ')})`);
    this.log('info', `stock master: ${this.size} codes`);
    await this.writeCache(zips, fetchedAt);
  }

  private failed(reason: string): void {
    this.lastFailure = this.now();
    if (this.index !== null) {
      this.log('warn', `stock master download failed, using the copy of ${kstDate(this.fetchedAt)}: ${reason}`);
    } else if (!this.saidNone) {
      this.saidNone = true;
      this.log('warn', `stock master unavailable, codes are checked by syntax only: ${reason}`);
    }
  }

  private install(zips: ReadonlyMap<MasterFileId, Buffer>, fetchedAt: number): void {
    const nxt = new Set<string>();
    const haveNxt = zips.has('nxtKospi') && zips.has('nxtKosdaq');
    const stocks: StockInfo[] = [];
    const english = this.options.englishNames;
    const parsed: Array<{ id: MasterFileId; records: ReturnType<typeof parseMasterFile>['records'] }> = [];
    for (const [id, zip] of zips) {
      const spec = MASTER_FILES[id];
      const member = readZip(zip).find((e) => e.name === spec.member) ?? readZip(zip)[0];
      if (member === undefined) throw new Error(`${id}: empty archive`);
      parsed.push({ id, records: parseMasterFile(member.data, spec.market).records });
    }
    for (const { id, records } of parsed) if (MASTER_FILES[id].nxt) for (const r of records) nxt.add(r.code);
    for (const { id, records } of parsed) {
      if (MASTER_FILES[id].nxt) continue;
      for (const r of records) {
        stocks.push({
          code: r.code,
          name: r.name,
          nameEn: english?.get(r.code),
          market: r.market,
          group: r.group,
          suspended: r.suspended,
          managed: r.managed,
          nxt: haveNxt ? nxt.has(r.code) : undefined,
        });
      }
    }
    if (stocks.length === 0) throw new Error('master files hold no records');
    this.index = new StockIndex(stocks);
    this.fetchedAt = fetchedAt;
  }

  private async writeCache(zips: ReadonlyMap<MasterFileId, Buffer>, fetchedAt: number): Promise<void> {
    const dir = this.options.cacheDir;
    if (dir === null) return;
    try {
      await fs.mkdir(dir, { recursive: true });
      for (const [id, zip] of zips) {
        const file = path.join(dir, path.basename(MASTER_FILES[id].path));
        await fs.writeFile(file + '.tmp', zip);
        await fs.rename(file + '.tmp', file);
      }
      const meta: Meta = { fetchedAt, files: [...zips.keys()] };
      await fs.writeFile(path.join(dir, META_FILE), JSON.stringify(meta));
    } catch (err) {
      this.log('warn', `stock master not cached in ${dir}: ${describe(err)}`);
    }
  }
}
