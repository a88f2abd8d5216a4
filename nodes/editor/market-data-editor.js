/*
 * Editor logic shared by kis-tick and kis-quote (plain ES5 for the browser). scripts/gen-docs.js
 * inlines this file, after the protocol data it generates from dist/lib/protocol (known stock
 * names, the code syntax check, the TR ids and the registration limit), into both dialogs at the
 * KIS_EDITOR_SHARED marker. Defined once even though both dialogs carry it.
 */
/* global RED, $, KIS_EDITOR_DATA */
window.KisEditor = window.KisEditor || (function () {
  var NS = '@kis-nodes/node-red-kis/kis-config:kis-config.data.';
  var data = KIS_EDITOR_DATA;

  function t(key, params) {
    return RED._(NS + key, params);
  }

  /** Codes of a textarea value: split like the runtime (commas, spaces, new lines), upper-cased, unique. */
  function codesOf(text) {
    return data.splitCodes(String(text || ''));
  }

  function invalidCodes(text) {
    return codesOf(text).filter(function (c) { return !data.isValidStockCode(c); });
  }

  /** validate of the `codes` property: invalid codes make the node invalid (deploy warns). */
  function validateCodes(text) {
    var bad = invalidCodes(text);
    return bad.length === 0 ? true : t('invalid-codes', { codes: bad.join(', ') });
  }

  /**
   * Which session a kis-config stands for. Every 'simulator' config uses the embedded simulator's
   * single demo app key, so they all share one session (and its 41 registrations). Two real configs
   * with the same app key cannot be told apart here: the editor never sees credentials.
   */
  function sessionKey(configId) {
    var c = RED.nodes.node(configId);
    return c && (c.server || 'simulator') === 'simulator' ? 'simulator' : configId;
  }

  function isActive(n) {
    if (n.d) return false;
    var tab = n.z && RED.nodes.workspace(n.z);
    return !(tab && tab.disabled);
  }

  /** Distinct (TR, code) pairs the session of `serverId` would register, with `self` using `selfCodes`/`selfExchange`. */
  function registrationsOf(serverId, self, selfCodes, selfExchange) {
    var pairs = {};
    var key = sessionKey(serverId);
    function add(kind, exchange, codes) {
      var trId = data.trIds[kind][exchange || 'UN'];
      codes.forEach(function (c) { if (data.isValidStockCode(c)) pairs[trId + '|' + c] = true; });
    }
    RED.nodes.eachNode(function (n) {
      if ((n.type !== 'kis-tick' && n.type !== 'kis-quote') || !n.server || sessionKey(n.server) !== key || !isActive(n)) return;
      if (self && n.id === self.id) return;
      add(n.type === 'kis-tick' ? 'tick' : 'quote', n.exchange, codesOf(n.codes));
    });
    if (self) add(self.type === 'kis-tick' ? 'tick' : 'quote', selfExchange, selfCodes);
    return Object.keys(pairs).length;
  }

  function renderCodes(node) {
    var codes = codesOf($('#node-input-codes').val());
    var list = $('#node-input-codes-list').empty();
    codes.forEach(function (code) {
      var row = $('<li class="kis-code"></li>').attr('data-code', code);
      $('<code></code>').text(code).appendTo(row);
      if (!data.isValidStockCode(code)) {
        row.addClass('kis-code-invalid');
        $('<span class="kis-code-error"></span>').text(' ' + t('invalid')).css('color', 'var(--red-ui-text-color-error, #d00)').appendTo(row);
      } else {
        // Name, market and warnings come from the stock master (code-search.js annotates the row).
        $('<span class="kis-code-name"></span>').text(' ' + (window.KisCodeSearch.cachedName(code) || '…')).appendTo(row);
      }
      row.appendTo(list);
    });
    window.KisCodeSearch.annotate(list, codes.filter(data.isValidStockCode), $('#node-input-exchange').val(), $('#node-input-codes-usage'));
    var used = registrationsOf($('#node-input-server').val(), node, codes, $('#node-input-exchange').val());
    var max = data.maxRegistrations;
    var config = RED.nodes.node($('#node-input-server').val());
    var configName = config ? (config.name || RED.utils.getNodeLabel(config, config.type)) : '—';
    var usage = $('#node-input-codes-usage').text(t('usage', { n: used, max: max, config: configName }));
    usage.attr('data-used', used).toggleClass('kis-usage-over', used > max);
    if (used > max) usage.append($('<span></span>').text(' · ' + t('over', { max: max })).css('color', 'var(--red-ui-text-color-error, #d00)'));
  }

  function prepare(node) {
    var refresh = function () { renderCodes(node); };
    $('#node-input-codes').on('input change keyup', refresh);
    window.KisCodeSearch.attach(node, refresh);
    $('#node-input-exchange, #node-input-server').on('change', refresh);
    $('#node-input-output').on('change', function () {
      $('#node-input-conflateMs-row').toggle($(this).val() === 'conflate');
    }).trigger('change');
    refresh();
  }

  function label(node, kind) {
    if (node.name) return node.name;
    var codes = codesOf(node.codes);
    var base = t(kind === 'tick' ? 'label-tick' : 'label-quote');
    if (codes.length === 0) return base;
    var first = window.KisCodeSearch.cachedName(codes[0]) || (data.stocks[codes[0]] ? data.stocks[codes[0]].name : codes[0]);
    return base + ' ' + first + (codes.length > 1 ? ' +' + (codes.length - 1) : '');
  }

  return { prepare: prepare, validateCodes: validateCodes, label: label, codesOf: codesOf, registrationsOf: registrationsOf };
})();
