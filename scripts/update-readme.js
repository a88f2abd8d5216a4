#!/usr/bin/env node
// Regenerates the README sections that come from the protocol tables (payload fields per TR and
// the OPSP troubleshooting table), so the manual can never drift from the code.
// Usage: node scripts/update-readme.js          (rewrite README.md in place)
//        node scripts/update-readme.js --check  (exit 1 if README.md is out of date)
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const kis = require(path.join(root, 'dist', 'lib', 'protocol'));
const { compactFieldNames } = require(path.join(root, 'dist', 'nodes', 'payload.js'));
const { realtimeKinds } = require(path.join(root, 'dist', 'nodes', 'market-data-node.js'));

const TYPE_LABEL = {
  str: 'text', enum: 'code (text)', sign: 'sign code (text)', yn: 'Y/N (text)', time: 'HHMMSS (text)', date: 'YYYYMMDD (text)',
  int: 'number', sint: 'number (±)', dec: 'number (decimal)', sdec: 'number (decimal, ±)', num: 'number',
};

function esc(s) {
  return String(s).replace(/\|/g, '\\|');
}

function fieldsTable(trIds) {
  const tables = trIds.map((id) => kis.TR_TABLES[id]);
  const longest = tables.reduce((a, t) => (t.fields.length > a.fields.length ? t : a));
  const head = `| # | field | 한글명 | type | meaning | ${tables.map((t) => t.trId).join(' | ')} |`;
  const sep = `|---|---|---|---|---|${tables.map(() => '---').join('|')}|`;
  const rows = longest.fields.map((f, i) => {
    const names = tables.map((t) => t.fields[i]);
    const cells = names.map((n) => (n === undefined ? '—' : n.name === f.name ? '✓' : `\`${n.name}\``));
    return `| ${i} | \`${f.name}\` | ${esc(f.ko)} | ${TYPE_LABEL[f.type]} | ${esc(f.en)} | ${cells.join(' | ')} |`;
  });
  return [head, sep, ...rows].join('\n');
}

function opspTable() {
  const rows = kis.OPSP_CODES.map((c) => `| \`${c.code}\` | ${esc(c.msg1)} | ${esc(c.ko)} | ${esc(c.en)} | ${c.severity} |`);
  return ['| msg_cd | msg1 | 의미 | meaning | kind |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** kis-realtime: per data kind a heading (names from the tables), its TRs, and its field table. */
function realtimeSections() {
  const kinds = realtimeKinds();
  if (kinds.length === 0) return '_(no further real-time TR tables yet)_';
  return kinds.map((kind) => {
    const names = kis.kindNames(kind);
    const trIds = Object.values(kis.routesOf(kind).trIds);
    const key = kis.routesOf(kind).key === 'index' ? '업종코드 (index code)' : 'stock code';
    return `#### ${names.ko} / ${names.en} — \`data: "${kind}"\`\n\nTR: ${trIds.map((id) => '`' + id + '`').join(' / ')} · key: ${key}\n\n${fieldsTable(trIds)}`;
  }).join('\n\n');
}

function indexCodes() {
  return ['| code | 지수 | index |', '|---|---|---|', ...kis.INDEX_CODES.map((x) => `| \`${x.code}\` | ${esc(x.ko)} | ${esc(x.en)} |`)].join('\n');
}


function isoDate(d) {
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** The market calendar (lib/protocol/market-calendar.ts) as a table: one row per session rule. */
function hoursTable() {
  const rules = [...kis.SESSION_RULES].sort((a, b) => a.venue.localeCompare(b.venue) || a.start - b.start || a.end - b.end);
  const rows = rules.map((r) => {
    const dated = [r.from === null ? '' : `since ${isoDate(r.from)}`, r.until === null ? '' : `until ${isoDate(r.until)}`].filter(Boolean).join(', ');
    return `| ${r.venue} | ${kis.clockText(r.start)}–${kis.clockText(r.end)} | ${esc(r.ko)} | ${esc(r.en)} | ${dated || '—'} | ${esc(r.source)} |`;
  });
  return ['| exchange | KST | 세션 | session | in force | source |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function egwTable() {
  const what = { config: 'stops (fix the settings, deploy again)', 'rate-limit': 'waits as asked', retry: 'backs off', 're-auth': 'REST only' };
  const rows = kis.EGW_CODES.map((c) => `| \`${c.code}\` | ${esc(c.message)} | ${esc(c.ko)} | ${esc(c.en)} | ${what[c.kind]} |`);
  return ['| code | KIS message | 의미 | meaning | the session |', '|---|---|---|---|---|', ...rows].join('\n');
}


const SECTIONS = {
  egw: egwTable,
  hours: hoursTable,
  'fields-realtime': realtimeSections,
  'index-codes': indexCodes,
  'fields-tick': () => fieldsTable(['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0']),
  'fields-quote': () => fieldsTable(['H0STASP0', 'H0NXASP0', 'H0UNASP0']),
  opsp: opspTable,
  compact: () => ['tick', 'quote'].map((kind) => `- kis-${kind}: ${compactFieldNames(kind).map((n) => '`' + n + '`').join(', ')} (the code is msg.topic)`).join('\n'),
};

function render(text) {
  return text.replace(/(<!-- BEGIN GENERATED:([a-z-]+) -->\n)[\s\S]*?(<!-- END GENERATED:\2 -->)/g, (_m, open, name, close) => {
    const gen = SECTIONS[name];
    if (!gen) throw new Error(`unknown generated section ${name}`);
    return `${open}${gen()}\n${close}`;
  });
}

module.exports = { render };

if (require.main === module) {
  const file = path.join(root, 'README.md');
  const before = fs.readFileSync(file, 'utf8');
  const after = render(before);
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error('README.md is out of date: run `node scripts/update-readme.js`');
      process.exit(1);
    }
  } else if (before !== after) {
    fs.writeFileSync(file, after);
  }
}
