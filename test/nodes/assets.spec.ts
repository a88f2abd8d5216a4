/**
 * Static checks of the built node assets: the help got its generated field tables, and the dialog
 * its shared form and protocol data. (i18n keys are checked by test/packaging/i18n.spec.ts.)
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
const LANGS = ['en-US', 'ko'];

describe('node assets', () => {
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
      assert.ok(!html.includes('/* KIS_EDITOR_SHARED') && !html.includes('KIS_FORM'), `${node}: a marker is left`);
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
