/**
 * The stock master in a Node-RED runtime: the kis-config admin endpoint that feeds the editor's
 * search, msg.kis.name, and a real-server config with no network (cached copy, or syntax only).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MasterStore, resetMasterStores } from '../../lib/master';
import { masterUrls, MASTER_FILE_IDS } from '../../lib/protocol/master-file';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import configModule from '../../nodes/kis-config';
import tickModule from '../../nodes/kis-tick';
import { configNode, credsFor, dataNode, helper, helperNode, Sink, SENTINEL, TAB, until, type FlowNode } from './support';

helper.init(require.resolve('node-red'));
const MODULES = [configModule, tickModule] as unknown as ((RED: never) => void)[];
const SETTINGS = { nodeCloseTimeout: 500, kisConfigAckTimeoutMs: 1500, kisConfigApprovalTimeoutMs: 1500, kisConfigMarketClock: false };

interface Answer {
  state: string;
  size: number;
  results?: Array<{ code: string; name: string; market: string; nxt?: boolean }>;
  codes?: Array<{ code: string; valid: boolean; known: boolean; name?: string; nxt?: boolean }>;
}

async function ask(query: Record<string, string>): Promise<Answer> {
  const res = await (helper as unknown as { request(): { get(p: string): { query(q: object): Promise<{ status: number; body: Answer }> } } }).request().get('/kis-config/master').query(query);
  assert.equal(res.status, 200);
  return res.body;
}

async function deadOrigin(): Promise<string> {
  const sim = await startSimulator({});
  const origin = new URL(sim.restUrl).origin;
  await sim.stop();
  return origin;
}

describe('stock master in the Node-RED runtime', function () {
  this.timeout(30000);
  let sim: RunningSimulator;
  let dir: string;

  before(() => helper.startServer());
  after(() => helper.stopServer());

  beforeEach(async () => {
    resetMasterStores();
    sim = await startSimulator({ credentials: [SENTINEL], seed: 7, rate: 20 });
    dir = mkdtempSync(path.join(tmpdir(), 'kis-master-red-'));
    helper.settings(SETTINGS);
  });

  afterEach(async () => {
    await helper.unload();
    await sim.stop();
    helper.settings({});
    rmSync(dir, { recursive: true, force: true });
  });

  function flow(extra: FlowNode[], config: Partial<FlowNode> = {}): FlowNode[] {
    return [TAB, { ...configNode({ restUrl: sim.restUrl, wsUrl: sim.wsUrl }), ...config }, ...extra];
  }

  it('the admin endpoint searches the simulator\'s master by name, 초성 and code, and checks codes', async () => {
    await helper.load(MODULES, flow([]), credsFor());
    const byName = await ask({ config: 'c1', server: 'custom', q: '삼성' });
    assert.equal(byName.state, 'fresh');
    assert.ok(byName.size >= 30, `size ${byName.size}`);
    assert.equal(byName.results?.[0]?.code, '005930');
    assert.equal(byName.results?.[0]?.name, '삼성전자');
    assert.equal(byName.results?.[0]?.market, 'KOSPI');
    const byInitials = await ask({ config: 'c1', server: 'custom', q: 'ㅅㅅㅈㅈ' });
    assert.deepEqual(byInitials.results?.map((r) => r.name), ['삼성전자']);
    const english = await ask({ config: 'c1', server: 'custom', q: 'ecopro' });
    assert.deepEqual(english.results?.map((r) => r.code).sort(), ['086520', '247540']);
    const codes = await ask({ config: 'c1', server: 'custom', codes: '005930,ABCDEFG,999999,010130' });
    assert.deepEqual(
      codes.codes?.map((c) => [c.code, c.valid, c.known, c.name ?? null, c.nxt ?? null]),
      [['005930', true, true, '삼성전자', true], ['ABCDEFG', false, false, null, null], ['999999', true, false, null, null], ['010130', true, true, '고려아연', false]],
    );
  });

  it('a "simulator" config uses the embedded simulator\'s master files', async () => {
    const answer = await ask({ server: 'simulator', q: 'ㅅㅅ' });
    assert.equal(answer.state, 'fresh');
    assert.ok(answer.results?.some((r) => r.code === '005930' && r.name === '삼성전자'));
  });

  it('msgs carry msg.kis.name from the master', async () => {
    await helper.load(MODULES, flow([dataNode('kis-tick', 'n1', { codes: '005930, 000660' }, ['o1']), helperNode('o1')]), credsFor());
    const sink = new Sink(helper.getNode('o1'));
    await until('named msgs of both codes', () => {
      const named = new Map(sink.msgs.map((m) => [m.topic, (m.kis as { name?: string }).name]));
      return named.get('005930') === '삼성전자' && named.get('000660') === 'SK하이닉스';
    }, 10000);
  });

  it('NXT eligibility from the master picks the TR: 통합 for a code NXT trades, KRX for one it does not (neither in the built-in list)', async () => {
    // 058470 (NXT-tradable) and 214150 (not) are in the simulator's universe but not in the package's list of well-known stocks.
    await helper.load(MODULES, flow([dataNode('kis-tick', 'n1', { codes: '058470 214150', exchange: 'UN' }, ['o1']), helperNode('o1')]), credsFor());
    const sink = new Sink(helper.getNode('o1'));
    const kis = (m: Record<string, unknown>): { trId: string; routedTo: string | null; routeReason: string | null; name?: string } => m.kis as never;
    await until('058470 on 통합', () => sink.msgs.some((m) => m.topic === '058470' && kis(m).trId === 'H0UNCNT0'), 10000);
    await until('214150 on KRX', () => sink.msgs.some((m) => m.topic === '214150' && kis(m).trId === 'H0STCNT0'), 10000);
    const last = (code: string) => kis([...sink.msgs].reverse().find((m) => m.topic === code)!);
    assert.deepEqual({ ...last('058470') }, { ...last('058470'), trId: 'H0UNCNT0', routedTo: null, routeReason: null, name: '리노공업' });
    assert.equal(last('214150').routeReason, 'not-nxt-tradable');
    assert.equal(last('214150').name, '클래시스');
  });

  it('a real-server config with no network and no copy: syntax-only checks, said once, nothing breaks', async () => {
    const dead = await deadOrigin();
    helper.settings({ ...SETTINGS, userDir: dir, kisMasterUrls: masterUrls(dead), kisMasterRetryMs: 0 });
    await helper.load(MODULES, flow([dataNode('kis-tick', 'n1', { codes: '005930' }, ['o1']), helperNode('o1')], { server: 'real', restUrl: '', wsUrl: '' }), { c1: {} });
    const first = await ask({ config: 'c1', server: 'real', q: '삼성' });
    const second = await ask({ config: 'c1', server: 'real', codes: '005930,ABCDEFG' });
    assert.equal(first.state, 'none');
    assert.deepEqual(first.results, []);
    assert.deepEqual(second.codes?.map((c) => [c.code, c.valid, c.known]), [['005930', true, false], ['ABCDEFG', false, false]]);
    const warnings = helper.log().getCalls().map((c) => JSON.stringify(c.args)).filter((t) => t.includes('syntax only'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
  });

  it('a real-server config with no network keeps the copy cached in the user directory', async () => {
    // Yesterday's copy, downloaded from a local server into <userDir>/kis-master.
    const earlier = new MasterStore({ source: async () => ({ urls: masterUrls(new URL(sim.restUrl).origin) }), cacheDir: path.join(dir, 'kis-master'), now: () => Date.now() - 3 * 86_400_000 });
    await earlier.ensure();
    assert.equal(earlier.size > 0, true);
    const dead = await deadOrigin();
    const urls = masterUrls(dead);
    helper.settings({ ...SETTINGS, userDir: dir, kisMasterUrls: Object.fromEntries(MASTER_FILE_IDS.map((id) => [id, urls[id]])) });
    await helper.load(MODULES, flow([], { server: 'real', restUrl: '', wsUrl: '' }), { c1: {} });
    const answer = await ask({ config: 'c1', server: 'real', q: 'ㅅㅅㅈㅈ' });
    assert.equal(answer.state, 'stale');
    assert.deepEqual(answer.results?.map((r) => r.code), ['005930']);
  });
});
