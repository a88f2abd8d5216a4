/**
 * The runtime's stock master (lib/master): download from a local HTTP server on 127.0.0.1, the
 * on-disk cache, once a trading day, and the offline fallbacks (a dead URL: keep the last copy;
 * no copy: syntax-only, said once).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { choseong, MasterStore, masterTradingDay, StockIndex, type StockInfo } from '../../lib/master';
import { masterUrls, MASTER_FILES } from '../../lib/protocol/master-file';
import { masterArchives, type UniverseStock } from '../../lib/simulator/master-files';

const UNIVERSE: UniverseStock[] = [
  { code: '005930', name: '삼성전자', market: 'KOSPI', nxt: true },
  { code: '005935', name: '삼성전자우', market: 'KOSPI', nxt: true },
  { code: '009150', name: '삼성전기', market: 'KOSPI', nxt: true },
  { code: '010130', name: '고려아연', market: 'KOSPI', nxt: false },
  { code: '247540', name: '에코프로비엠', market: 'KOSDAQ', nxt: true },
  { code: '263750', name: '펄어비스', market: 'KOSDAQ', nxt: false, suspended: true },
  { code: '041510', name: '에스엠', market: 'KOSDAQ', nxt: false, managed: true },
];

interface FileServer {
  readonly origin: string;
  readonly hits: string[];
  close(): Promise<void>;
}

async function serveMaster(files: ReadonlyMap<string, Buffer>, missing: readonly string[] = []): Promise<FileServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = missing.includes(req.url ?? '') ? undefined : files.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An origin nothing listens on (a port we opened and closed): connection refused, like no network. */
async function deadOrigin(): Promise<string> {
  const s = await serveMaster(new Map());
  await s.close();
  return s.origin;
}

const DAY = 86_400_000;
/** Tuesday 2026-12-01 10:00 KST. */
const TUESDAY = Date.UTC(2026, 11, 1, 1, 0, 0);

describe('master: search index', () => {
  const stock = (code: string, name: string, nameEn?: string): StockInfo => ({ code, name, nameEn, market: 'KOSPI', group: 'ST', suspended: false, managed: false, nxt: true });
  const index = new StockIndex([stock('005935', '삼성전자우'), stock('005930', '삼성전자', 'Samsung Electronics'), stock('009150', '삼성전기'), stock('000660', 'SK하이닉스', 'SK hynix'), stock('028260', '삼성물산')]);

  it('finds by Korean name, 초성, code and English name, best first', () => {
    assert.equal(choseong('삼성전자'), 'ㅅㅅㅈㅈ');
    assert.deepEqual(index.search('ㅅㅅㅈㅈ').map((h) => h.code), ['005930', '005935']);
    assert.deepEqual(index.search('삼성').map((h) => h.code).slice(0, 2), ['005930', '009150']);
    assert.equal(index.search('ㅅㅅ').length, 4);
    assert.deepEqual(index.search('삼ㅅㅈㅈ').map((h) => h.code), ['005930', '005935'], 'syllables and initials mixed');
    assert.deepEqual(index.search('0059').map((h) => h.code), ['005930', '005935']);
    assert.deepEqual(index.search('005930').map((h) => h.code), ['005930']);
    assert.deepEqual(index.search('samsung').map((h) => h.code), ['005930']);
    assert.deepEqual(index.search('하이닉스').map((h) => h.code), ['000660']);
    assert.deepEqual(index.search('sk h').map((h) => h.code), ['000660']);
    assert.deepEqual(index.search('ㅋㅋ'), []);
  });
});

describe('master: download, cache and offline fallback', function () {
  this.timeout(20000);
  let dir: string;
  let files: ReadonlyMap<string, Buffer>;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kis-master-'));
    files = masterArchives(1, UNIVERSE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('downloads KIS\'s files from their URLs, caches them and answers names, markets and flags', async () => {
    const server = await serveMaster(files);
    const logs: string[] = [];
    try {
      const store = new MasterStore({ source: async () => ({ urls: masterUrls(server.origin) }), cacheDir: dir, now: () => TUESDAY, log: (l, t) => logs.push(`${l} ${t}`) });
      assert.equal(store.state, 'none');
      await store.ensure();
      assert.equal(store.state, 'fresh');
      assert.equal(store.size, UNIVERSE.length);
      assert.deepEqual(server.hits.sort(), Object.values(MASTER_FILES).map((f) => f.path).sort());
      assert.equal(store.nameOf('005930'), '삼성전자');
      assert.equal(store.lookup('247540')?.market, 'KOSDAQ');
      assert.equal(store.lookup('263750')?.suspended, true);
      assert.equal(store.lookup('041510')?.managed, true);
      assert.equal(store.isNxtTradable('005930'), true);
      assert.equal(store.isNxtTradable('010130'), false);
      assert.equal(store.isNxtTradable('999999'), undefined, 'a code the master does not know');
      assert.equal(store.search('ㅅㅅ')[0]?.code, '005930');
      assert.ok(readdirSync(dir).includes('kospi_code.mst.zip'));
      assert.ok(readdirSync(dir).includes('meta.json'));
      // Same trading day: no second download.
      await store.ensure();
      assert.equal(server.hits.length, 5);
    } finally {
      await server.close();
    }
  });

  it('downloads again once a trading day (not on the weekend after Friday)', async () => {
    const server = await serveMaster(files);
    try {
      let now = Date.UTC(2026, 11, 4, 1, 0, 0); // Friday 10:00 KST
      const store = new MasterStore({ source: async () => ({ urls: masterUrls(server.origin) }), cacheDir: null, now: () => now });
      await store.ensure();
      assert.equal(server.hits.length, 5);
      now += DAY; // Saturday
      assert.equal(masterTradingDay(now), '20261204');
      assert.equal(store.state, 'fresh');
      await store.ensure();
      assert.equal(server.hits.length, 5, 'Saturday reads Friday\'s copy');
      now += 2 * DAY; // Monday
      assert.equal(store.state, 'stale');
      await store.ensure();
      assert.equal(server.hits.length, 10, 'Monday downloads again');
      assert.equal(store.state, 'fresh');
    } finally {
      await server.close();
    }
  });

  it('no network: keeps the last copy from disk, says which copy it uses', async () => {
    const server = await serveMaster(files);
    try {
      const first = new MasterStore({ source: async () => ({ urls: masterUrls(server.origin) }), cacheDir: dir, now: () => TUESDAY - DAY });
      await first.ensure();
      assert.equal(first.state, 'fresh');
    } finally {
      await server.close();
    }
    const dead = await deadOrigin();
    const logs: string[] = [];
    const offline = new MasterStore({ source: async () => ({ urls: masterUrls(dead) }), cacheDir: dir, now: () => TUESDAY, log: (l, t) => logs.push(`${l} ${t}`), timeoutMs: 2000 });
    await offline.ensure();
    assert.equal(offline.state, 'stale', 'yesterday\'s copy, kept');
    assert.equal(offline.nameOf('005930'), '삼성전자');
    assert.equal(offline.isNxtTradable('010130'), false);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /^warn stock master download failed, using the copy of 20261130/);
  });

  it('no network and no copy: syntax-only, said once', async () => {
    const dead = await deadOrigin();
    const logs: string[] = [];
    const store = new MasterStore({ source: async () => ({ urls: masterUrls(dead) }), cacheDir: dir, now: () => TUESDAY, log: (l, t) => logs.push(`${l} ${t}`), retryMs: 0, timeoutMs: 2000 });
    await store.ensure();
    await store.ensure();
    assert.equal(store.state, 'none');
    assert.equal(store.lookup('005930'), undefined);
    assert.equal(store.isNxtTradable('005930'), undefined);
    assert.deepEqual(store.search('삼성'), []);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /^warn stock master unavailable, codes are checked by syntax only/);
  });

  it('without NXT\'s files, NXT eligibility is unknown rather than false', async () => {
    const server = await serveMaster(files, [MASTER_FILES.nxtKospi.path]);
    try {
      const store = new MasterStore({ source: async () => ({ urls: masterUrls(server.origin) }), cacheDir: null, now: () => TUESDAY });
      await store.ensure();
      assert.equal(store.nameOf('005930'), '삼성전자');
      assert.equal(store.isNxtTradable('005930'), undefined);
      assert.equal(store.isNxtTradable('010130'), undefined);
    } finally {
      await server.close();
    }
  });

  it('a corrupt download never replaces a good copy', async () => {
    const good = await serveMaster(files);
    const store = new MasterStore({ source: async () => ({ urls: masterUrls(good.origin) }), cacheDir: dir, now: () => TUESDAY - DAY, retryMs: 0 });
    try {
      await store.ensure();
    } finally {
      await good.close();
    }
    const corrupt = new Map([...files].map(([p, z]) => [p, z.subarray(0, z.length - 30)]));
    const bad = await serveMaster(corrupt);
    try {
      const later = new MasterStore({ source: async () => ({ urls: masterUrls(bad.origin) }), cacheDir: dir, now: () => TUESDAY, retryMs: 0 });
      await later.ensure();
      assert.equal(later.nameOf('005930'), '삼성전자');
      assert.equal(later.state, 'stale');
    } finally {
      await bad.close();
    }
    // One corrupt optional file (KONEX) costs only that file: today's KOSPI/KOSDAQ are taken.
    const partly = new Map(files);
    partly.set(MASTER_FILES.konex.path, files.get(MASTER_FILES.konex.path)!.subarray(0, 40));
    const mixed = await serveMaster(partly);
    try {
      const today = new MasterStore({ source: async () => ({ urls: masterUrls(mixed.origin) }), cacheDir: dir, now: () => TUESDAY + DAY, retryMs: 0 });
      await today.ensure();
      assert.equal(today.state, 'fresh');
      assert.equal(today.isNxtTradable('010130'), false);
    } finally {
      await mixed.close();
    }
  });
});
