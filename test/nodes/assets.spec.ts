/**
 * Static checks of the node assets: both locales carry the same keys, every key the runtime and
 * the editor use exists, the help got its generated field tables, and the dialog its protocol data.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { compactFieldNames } from '../../nodes/payload';
import { parseCommand, partitionCodes } from '../../nodes/market-data-node';
import { statusFor } from '../../nodes/status';

const root = path.join(__dirname, '..', '..', '..');
const dist = path.join(root, 'dist', 'nodes');
const NODES = ['kis-config', 'kis-tick', 'kis-quote'];
const LANGS = ['en-US', 'ko'];

function keysOf(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function catalog(lang: string, node: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(root, 'nodes', 'locales', lang, `${node}.json`), 'utf8')) as Record<string, unknown>;
}

function has(obj: unknown, key: string): boolean {
  return key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj) !== undefined;
}

describe('node assets', () => {
  it('en-US and ko catalogs have the same keys', () => {
    for (const node of NODES) assert.deepEqual(keysOf(catalog('ko', node)).sort(), keysOf(catalog('en-US', node)).sort(), node);
  });

  it('every i18n key used by the runtime and the editor exists in both languages', () => {
    const used = new Set<string>();
    for (const file of fs.readdirSync(path.join(root, 'nodes'))) {
      if (!/\.(ts|html)$/.test(file)) continue;
      const text = fs.readFileSync(path.join(root, 'nodes', file), 'utf8');
      for (const m of text.matchAll(/['"`](?:node-red-contrib-kis\/(kis-[a-z]+):)?((kis-(?:config|tick|quote))\.[a-zA-Z0-9.-]+[a-zA-Z0-9])['"`]/g)) used.add(`${m[1] ?? m[3]}|${m[2]}`);
      for (const m of text.matchAll(/data-i18n="(?:\[[a-z]+\])?(?:node-red-contrib-kis\/(kis-[a-z]+):)?((kis-[a-z]+)\.[a-zA-Z0-9.-]+)"/g)) used.add(`${m[1] ?? m[3]}|${m[2]}`);
    }
    const editor = fs.readFileSync(path.join(root, 'nodes', 'editor', 'market-data-editor.js'), 'utf8');
    for (const m of editor.matchAll(/\bt\('([a-z-]+)'/g)) used.add(`kis-config|kis-config.data.${m[1]}`);
    assert.ok(used.size > 40, `found ${used.size} keys`);
    for (const entry of used) {
      if (/\.(svg|js|html|json)$/.test(entry)) continue; // file names, not keys
      const [node, key] = entry.split('|') as [string, string];
      for (const lang of LANGS) assert.ok(has(catalog(lang, node), key), `${lang}/${node}.json lacks ${key}`);
    }
  });

  it('help in both languages has generated field tables for every field of every TR, and no marker left', () => {
    for (const lang of LANGS) {
      for (const [node, kind] of [['kis-tick', 'tick'], ['kis-quote', 'quote']] as const) {
        const html = fs.readFileSync(path.join(dist, 'locales', lang, `${node}.html`), 'utf8');
        assert.ok(!html.includes('KIS_'), `${lang}/${node}.html still has a marker`);
        for (const table of Object.values(TR_TABLES).filter((t) => t.kind === kind)) {
          for (const f of table.fields) {
            assert.ok(html.includes(`<code>${f.name}</code>`), `${lang}/${node}: ${f.name}`);
            assert.ok(html.includes(f.ko.replace(/&/g, '&amp;')), `${lang}/${node}: ${f.ko}`);
          }
        }
        for (const name of compactFieldNames(kind)) assert.ok(html.includes(`<code>${name}</code>`));
        assert.match(html, /OPSP0008/);
        assert.match(html, /data-help-name="kis-(tick|quote)"/);
      }
    }
  });

  it('the editor of both data nodes carries the protocol data and the shared dialog logic', () => {
    for (const node of ['kis-tick', 'kis-quote']) {
      const html = fs.readFileSync(path.join(dist, `${node}.html`), 'utf8');
      assert.ok(!html.includes('/* KIS_EDITOR_SHARED'));
      assert.match(html, /var KIS_EDITOR_DATA = \{/);
      assert.match(html, /삼성전자/);
      assert.match(html, /function isValidStockCode/);
      assert.match(html, /window\.KisEditor = window\.KisEditor \|\|/);
      assert.match(html, new RegExp(`RED\\.nodes\\.registerType\\('${node}', \\{`));
      for (const id of ['node-input-server', 'node-input-codes', 'node-input-exchange', 'node-input-output', 'node-input-conflateMs', 'node-input-payload', 'node-input-codes-usage']) {
        assert.ok(html.includes(`id="${id}"`), `${node}: #${id}`);
      }
    }
    for (const icon of ['kis-tick.svg', 'kis-quote.svg', 'kis-config.svg']) assert.ok(fs.existsSync(path.join(dist, 'icons', icon)));
  });
});

describe('data node logic (no runtime)', () => {
  it('reads input commands', () => {
    assert.deepEqual(parseCommand('005930, 000660\n035720'), { action: 'replace', codes: ['005930', '000660', '035720'], exchange: null });
    assert.deepEqual(parseCommand(['005930', '000660']), { action: 'replace', codes: ['005930', '000660'], exchange: null });
    assert.deepEqual(parseCommand({ action: 'subscribe', codes: 'q500001', exchange: 'NXT' }), { action: 'subscribe', codes: ['Q500001'], exchange: 'NXT' });
    assert.equal(parseCommand({ action: 'drop', codes: '005930' }), 'kis-config.errors.bad-action');
    assert.equal(parseCommand({ codes: '005930', exchange: 'NYSE' }), 'kis-config.errors.bad-exchange');
    assert.equal(parseCommand(42), 'kis-config.errors.bad-command');
    assert.equal(parseCommand({ codes: [1, 2] }), 'kis-config.errors.bad-command');
    assert.deepEqual(partitionCodes(['005930', 'ABC', '0009K0', '12345']), { valid: ['005930', '0009K0'], invalid: ['ABC', '12345'] });
  });

  it('maps session states to badges', () => {
    const t = (k: string, p?: Record<string, string | number>) => (p ? `${k} ${JSON.stringify(p)}` : k);
    const facts = { codes: 3, exchange: 'UN' as const, refused: null, problem: null };
    assert.deepEqual(statusFor({ state: 'connected', registrations: 3 }, facts, null, t), { fill: 'green', shape: 'dot', text: 'kis-config.status.connected {"n":3}' });
    assert.deepEqual(statusFor({ state: 'reconnecting', retry: 2, maxRetries: 5, delayMs: 10, reason: 'x' }, facts, null, t).text, 'kis-config.status.reconnecting {"retry":2,"max":5}');
    assert.deepEqual(statusFor({ state: 'reconnecting', retry: 2, maxRetries: 0, delayMs: 10, reason: 'x' }, facts, null, t).text, 'kis-config.status.reconnecting {"retry":2,"max":"∞"}');
    assert.deepEqual(statusFor({ state: 'connected', registrations: 3 }, facts, { open: false, opensAt: '09:00' }, t), { fill: 'blue', shape: 'ring', text: 'kis-config.status.closed-opens {"time":"09:00"}' });
    assert.equal(statusFor({ state: 'connected', registrations: 3 }, { ...facts, refused: { code: 'OPSP0008', trKey: '005930' } }, null, t).text, 'OPSP0008 Registration limit (41 per session) exceeded');
    assert.equal(statusFor({ state: 'failed', reason: 'gave up', code: 'OPSP8996' }, facts, null, t).fill, 'red');
    assert.equal(statusFor({ state: 'connecting', attempt: 1 }, facts, null, t).text, 'node-red:common.status.connecting');
  });
});
