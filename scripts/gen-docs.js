// Fills the generated parts of dist/nodes from the compiled protocol tables (one source of truth):
// - help (dist/nodes/locales/<lang>/kis-*.html): <!-- KIS_FIELDS:tick|quote -->, <!-- KIS_COMPACT:tick|quote -->,
//   <!-- KIS_ERRORS --> become tables of fields / OPSP codes in that language;
// - kis-realtime help: <!-- KIS_REALTIME_KINDS --> (per data kind its TRs and field table), <!-- KIS_INDICES -->;
// - editor (dist/nodes/kis-tick.html, kis-quote.html, kis-realtime.html): the KIS_EDITOR_SHARED marker becomes the protocol
//   data the dialog needs (known names, the code check, TR ids, the limit) and nodes/editor/market-data-editor.js;
// Called by scripts/build-assets.js after it copied the assets; needs `tsc` to have run.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const protocol = require(path.join(dist, 'lib', 'protocol'));
const { compactFieldNames, hasCompactPayload } = require(path.join(dist, 'nodes', 'payload.js'));
const { MARKET_DATA_TYPES, realtimeKinds } = require(path.join(dist, 'nodes', 'market-data-node.js'));
const { SESSION_DEFAULTS, CLIENT_ERROR_CODES } = require(path.join(dist, 'lib', 'session', 'types.js'));

const KINDS = ['tick', 'quote'];
const VENUES = ['UN', 'KRX', 'NXT'];

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The venues a kind has a TR for, in the order of the tables' columns. */
function venuesOf(kind) {
  const trIds = protocol.routesOf(kind).trIds;
  return VENUES.filter((v) => trIds[v] !== undefined);
}

/** Rows of one kind's merged field table: index, name per venue, definitions. */
function fieldRows(kind) {
  const kindVenues = venuesOf(kind);
  const tables = kindVenues.map((v) => protocol.TR_TABLES[protocol.routesOf(kind).trIds[v]]);
  const n = Math.max(...tables.map((t) => t.fields.length));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const defs = tables.map((t) => t.fields[i]);
    const main = defs.find((d) => d !== undefined);
    const names = new Set(defs.filter(Boolean).map((d) => d.name));
    const onlyIn = kindVenues.filter((v, j) => defs[j] !== undefined);
    // Where the venues name a field differently: every name with the venues that use it.
    const byName = [...names].map((name) => ({ name, venues: kindVenues.filter((v, j) => defs[j] && defs[j].name === name) }));
    const note = names.size === 1 && onlyIn.length < kindVenues.length ? onlyIn.join(', ') : '';
    rows.push({ i, def: main, names: byName, note });
  }
  return rows;
}

const TEXT = {
  'en-US': { name: 'field', meaning: 'meaning', ko: '한글명', type: 'type', only: 'only', code: 'code', what: 'meaning' },
  ko: { name: '필드', meaning: '설명', ko: '한글명', type: '형식', only: '에만 있음', code: '코드', what: '의미' },
};

/**
 * A field type in words users know, in their language (the JS type msg.payload carries, and for text
 * fields with a fixed shape, that shape). Internal type names (sint, sdec, …) never reach the help.
 */
const TYPE_WORDS = {
  'en-US': { number: 'number', signed: 'signed number', text: 'text', time: 'text HHMMSS', date: 'text YYYYMMDD', yn: 'text Y/N' },
  ko: { number: '숫자', signed: '부호 있는 숫자', text: '문자열', time: '문자열 HHMMSS', date: '문자열 YYYYMMDD', yn: '문자열 Y/N' },
};

function typeWords(type, lang) {
  const w = TYPE_WORDS[lang];
  if (type === 'sint' || type === 'sdec') return w.signed;
  if (protocol.isNumericType(type)) return w.number;
  if (type === 'time' || type === 'date' || type === 'yn') return w[type];
  return w.text;
}

/**
 * Readable at the help sidebar's default width (about 300 px of text): fixed columns, Korean wrapped
 * only between words (keep-all), field names and code lists allowed to wrap anywhere instead of
 * being clipped. Scoped to the generated tables and to the help bodies that carry class kis-help.
 */
const HELP_STYLE = `<style>
.kis-help { word-break: keep-all; overflow-wrap: anywhere; }
.kis-help code { white-space: normal; overflow-wrap: anywhere; }
.kis-fields { table-layout: fixed; width: 100%; border-collapse: collapse; font-size: 0.92em; }
.kis-fields th, .kis-fields td { padding: 2px 3px; vertical-align: top; text-align: left; }
.kis-fields col.kis-col-i { width: 2.4em; }
.kis-fields td:first-child { overflow-wrap: normal; white-space: nowrap; }
.kis-fields col.kis-col-name { width: 46%; }
.kis-fields code { word-break: normal; }
.kis-fields .kis-type { display: block; font-size: 0.9em; opacity: 0.85; }
</style>`;

/**
 * Three columns, so Korean names get room at the sidebar's width: #, the field with its type in words
 * under it, the meaning (ko: 한글명; en-US: 한글명 over the English meaning).
 */
function fieldTable(kind, lang) {
  const tx = TEXT[lang];
  const cols = '<colgroup><col class="kis-col-i"><col class="kis-col-name"><col></colgroup>';
  const head = `<tr><th>#</th><th>${tx.name} · ${tx.type}</th><th>${lang === 'ko' ? tx.ko : `${tx.ko} · ${tx.meaning}`}</th></tr>`;
  const typed = (name, words) => `${name}<span class="kis-type">${words}</span>`;
  const body = fieldRows(kind).map((r) => {
    const note = r.note ? ` <small>(${esc(r.note)} ${tx.only})</small>` : '';
    const name = r.names.length === 1
      ? `<code>${esc(r.names[0].name)}</code>`
      : r.names.map((n) => `<code>${esc(n.name)}</code> <small>(${n.venues.join(', ')})</small>`).join('<br>');
    const meaning = lang === 'ko' ? esc(r.def.ko) : `${esc(r.def.ko)}<br><small>${esc(r.def.en)}</small>`;
    const cells = [r.i, typed(`${name}${note}`, typeWords(r.def.type, lang)), meaning];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const w = TYPE_WORDS[lang];
  const stamps = lang === 'ko'
    ? [`<tr><td></td><td>${typed('<code>timestamp</code>', w.text)}</td><td>시각 (ISO, KST)</td></tr>`, `<tr><td></td><td>${typed('<code>epochMs</code>', w.number)}</td><td>시각 (epoch ms)</td></tr>`]
    : [`<tr><td></td><td>${typed('<code>timestamp</code>', w.text)}</td><td>record time, ISO 8601 in KST</td></tr>`, `<tr><td></td><td>${typed('<code>epochMs</code>', w.number)}</td><td>record time in epoch ms</td></tr>`];
  return `<table class="kis-fields">\n${cols}\n${head}\n${body.join('\n')}\n${stamps.join('\n')}\n</table>`;
}

/** Every help section of a file inside <div class="kis-help"> with the style above (scoped by class). */
function wrapHelp(html) {
  return html.replace(/(<script type="text\/html" data-help-name="[^"]+">)([\s\S]*?)(<\/script>)/g, (_, open, body, close) =>
    body.includes('class="kis-help"') ? `${open}${body}${close}` : `${open}\n${HELP_STYLE}\n<div class="kis-help">${body}</div>\n${close}`);
}

function compactList(kind) {
  return compactFieldNames(kind).map((n) => `<code>${n}</code>`).join(', ');
}

/** Per kis-realtime kind: a collapsible section with its TRs and its field table (readable at the sidebar's width). */
function realtimeSections(lang) {
  const kinds = realtimeKinds();
  if (kinds.length === 0) return `<p>${lang === 'ko' ? '아직 없음' : 'none yet'}</p>`;
  return kinds.map((kind) => {
    const names = protocol.kindNames(kind);
    const trs = venuesOf(kind).map((v) => `<code>${protocol.routesOf(kind).trIds[v]}</code>${venuesOf(kind).length > 1 ? ` ${v}` : ''}`).join(', ');
    const title = lang === 'ko' ? esc(names.ko) : `${esc(names.en)} · ${esc(names.ko)}`;
    return `<details data-kind="${esc(kind)}"><summary><b>${title}</b> <small>(<code>${esc(kind)}</code>)</small></summary>\n<p>TR: ${trs}</p>\n${fieldTable(kind, lang)}\n</details>`;
  }).join('\n');
}

function indexTable(lang) {
  const tx = TEXT[lang];
  const rows = protocol.INDEX_CODES.map((x) => `<tr><td><code>${x.code}</code></td><td>${esc(lang === 'ko' ? x.ko : `${x.en} · ${x.ko}`)}</td></tr>`);
  return `<table class="kis-indices">\n<tr><th>${tx.code}</th><th>${lang === 'ko' ? '지수' : 'index'}</th></tr>\n${rows.join('\n')}\n</table>`;
}

function errorTable(lang) {
  const tx = TEXT[lang];
  const codes = protocol.OPSP_CODES.filter((c) => c.severity !== 'ok');
  const rows = codes.map((c) => `<tr><td><code>${c.code}</code></td><td>${esc(lang === 'ko' ? c.ko : c.en)}</td></tr>`);
  return `<table class="kis-errors">\n<tr><th>${tx.code}</th><th>${tx.what}</th></tr>\n${rows.join('\n')}\n</table>\n<p>${Object.keys(CLIENT_ERROR_CODES).map((k) => `<code>${k}</code>`).join(', ')}</p>`;
}

function fillHelp(file, lang) {
  let html = fs.readFileSync(file, 'utf8');
  const kind = /kis-(tick|quote)\.html$/.exec(file)?.[1];
  html = html.replace(/<!-- KIS_REALTIME_KINDS -->/g, () => realtimeSections(lang));
  html = html.replace(/<!-- KIS_INDICES -->/g, () => indexTable(lang));
  if (kind !== undefined) {
    const body = fs.readFileSync(path.join(root, 'nodes', 'editor', `market-data-help.${lang}.html`), 'utf8').replace(/^<!--.*-->\n/, '');
    html = html.replace(/<!-- KIS_HELP_BODY[^>]*-->/, () => body.replace(/__KIND__/g, kind));
  }
  html = html.replace(/<!-- KIS_FIELDS:(tick|quote) -->/g, (_, kind) => fieldTable(kind, lang));
  html = html.replace(/<!-- KIS_COMPACT:(tick|quote) -->/g, (_, kind) => compactList(kind));
  html = html.replace(/<!-- KIS_ERRORS -->/g, () => errorTable(lang));
  html = html.replace(/<!-- KIS_TRS:(tick|quote) -->/g, (_, kind) =>
    protocol.EXCHANGES.map((x) => `<code>${x}</code> → <code>${protocol.trIdFor(kind, x)}</code>`).join(', '));
  fs.writeFileSync(file, wrapHelp(html));
}

/**
 * Compiled protocol modules as one browser expression evaluating to the exports of the last one:
 * the dialog then runs the very code the runtime runs, whatever helpers the modules keep inside.
 * A module may require only the ones listed before it (`./name`).
 */
function browserModules(names) {
  const defs = names.map((name) => {
    const source = fs.readFileSync(path.join(dist, 'lib', 'protocol', `${name}.js`), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
    for (const m of source.matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
      if (!names.slice(0, names.indexOf(name)).some((n) => m[1] === `./${n}`)) throw new Error(`lib/protocol/${name}.ts requires ${m[1]}, which the editor does not get`);
    }
    return `mods[${JSON.stringify('./' + name)}] = (function (require) { var exports = {}; ${source}\n; return exports; })(req);`;
  });
  return `(function () { var mods = {}; function req(n) { return mods[n]; }\n${defs.join('\n')}\nreturn mods[${JSON.stringify('./' + names[names.length - 1])}]; })()`;
}

/** What the dialog needs from the protocol core, serialised from the compiled code itself. */
function editorData() {
  const stocks = {};
  for (const s of protocol.KNOWN_STOCKS) stocks[s.code] = { name: s.name, nameEn: s.nameEn };
  const trIds = {};
  for (const kind of KINDS) {
    trIds[kind] = {};
    for (const x of protocol.EXCHANGES) trIds[kind][x] = protocol.trIdFor(kind, x);
  }
  const indices = {};
  for (const x of protocol.INDEX_CODES) indices[x.code] = { name: x.ko, nameEn: x.en };
  const nxt = {};
  for (const s of protocol.KNOWN_STOCKS) nxt[s.code] = protocol.knownNxtTradable(s.code);
  const kinds = {};
  for (const kind of protocol.dataKinds()) {
    const r = protocol.routesOf(kind);
    kinds[kind] = { trIds: r.trIds, key: r.key, exchanges: protocol.exchangesOf(kind), compact: hasCompactPayload(kind), ...protocol.kindNames(kind) };
  }
  return [
    'var KIS_EDITOR_DATA = {',
    `  stocks: ${JSON.stringify(stocks)},`,
    `  indices: ${JSON.stringify(indices)},`,
    `  nxt: ${JSON.stringify(nxt)},`,
    `  kinds: ${JSON.stringify(kinds)},`,
    `  realtimeKinds: ${JSON.stringify(realtimeKinds())},`,
    `  nodeTypes: ${JSON.stringify(Object.keys(MARKET_DATA_TYPES))},`,
    `  routeIn: ${protocol.routeIn.toString()},`,
    `  isValidTrKey: ${browserModules(['stock-codes', 'index-codes', 'tr-keys'])}.isValidTrKey,`,
    `  trIds: ${JSON.stringify(trIds)},`,
    `  maxRegistrations: ${SESSION_DEFAULTS.maxRegistrations},`,
    `  isValidStockCode: ${protocol.isValidStockCode.toString()},`,
    `  splitCodes: ${protocol.splitCodes.toString()}`,
    '};',
  ].join('\n');
}

function fillEditor(file) {
  const shared = fs.readFileSync(path.join(root, 'nodes', 'editor', 'market-data-editor.js'), 'utf8');
  let html = fs.readFileSync(file, 'utf8');
  const form = fs.readFileSync(path.join(root, 'nodes', 'editor', 'market-data-form.html'), 'utf8').replace(/^<!--.*-->\n/, '');
  const search = fs.readFileSync(path.join(root, 'nodes', 'editor', 'code-search.js'), 'utf8');
  html = html.replace(/\/\* KIS_EDITOR_SHARED[^*]*\*\//, () => `${editorData()}\n${search}\n${shared}`);
  html = html.replace(/ *<!-- KIS_FORM[^>]*-->\n/, () => form);
  fs.writeFileSync(file, html);
}


const nodesOut = path.join(dist, 'nodes');
for (const lang of ['en-US', 'ko']) {
  for (const node of ['kis-config', 'kis-tick', 'kis-quote', 'kis-realtime']) {
    const file = path.join(nodesOut, 'locales', lang, `${node}.html`);
    if (fs.existsSync(file)) fillHelp(file, lang);
  }
}
for (const node of ['kis-tick', 'kis-quote', 'kis-realtime', 'kis-notice']) {
  const file = path.join(nodesOut, `${node}.html`);
  if (fs.existsSync(file)) fillEditor(file);
}
