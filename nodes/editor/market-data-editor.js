/*
 * Editor logic shared by kis-tick, kis-quote and kis-realtime (plain browser JS). scripts/gen-docs.js
 * inlines this file, after the protocol data it generates from dist/lib/protocol (known stock and
 * index names, the tr_key checks, the data kinds with their TRs, the routing rule itself and the
 * registration limit), into every dialog at the KIS_EDITOR_SHARED marker. Defined once even though
 * each dialog carries it.
 */
/* global RED, $, KIS_EDITOR_DATA */
window.KisEditor = window.KisEditor || (function () {
  var NS = '@kis-nodes/node-red-kis/kis-config:kis-config.data.';
  var data = KIS_EDITOR_DATA;
  var FIXED_KIND = { 'kis-tick': 'tick', 'kis-quote': 'quote' };

  function t(key, params) {
    return RED._(NS + key, params);
  }

  function lang() {
    return (RED.i18n && RED.i18n.lang && RED.i18n.lang()) || '';
  }

  function isDataNode(type) {
    return data.nodeTypes.indexOf(type) >= 0;
  }

  /** The data kind a node streams: fixed for kis-tick / kis-quote, its `data` property for kis-realtime. */
  function kindOf(node) {
    return FIXED_KIND[node.type] || node.data;
  }

  function kindInfo(kind) {
    return data.kinds[kind] || null;
  }

  function kindName(kind) {
    var k = kindInfo(kind);
    if (!k) return String(kind || '');
    return lang().indexOf('ko') === 0 ? k.ko : k.en;
  }

  /** Codes of a textarea value: split like the runtime (commas, spaces, new lines), upper-cased, unique. */
  function codesOf(text) {
    return data.splitCodes(String(text || ''));
  }

  function isIndexKind(kind) {
    var k = kindInfo(kind);
    return Boolean(k && k.key === 'index');
  }

  /** The runtime's own tr_key rule for the kind's key type (lib/protocol/tr-keys.ts, serialised). */
  function isValidKey(kind, code) {
    var k = kindInfo(kind);
    return k ? data.isValidTrKey(k.key, code) : data.isValidStockCode(code);
  }

  /** The route of one code (the runtime's own rule, serialised): {trId, venue, routedTo, reason}. */
  function routeOf(kind, exchange, code) {
    var k = kindInfo(kind);
    if (!k) return null;
    // NXT eligibility from the stock master when an answer has told it, else the bundled list.
    var nxt = window.KisCodeSearch.nxtOf(code);
    if (nxt === undefined && Object.prototype.hasOwnProperty.call(data.nxt, code)) nxt = data.nxt[code];
    return data.routeIn(k, exchange || 'UN', nxt);
  }

  /** validate of the `codes` property (`this` is the node): invalid codes make the node invalid (deploy warns). */
  function validateCodes(text, kind) {
    if (kind && !kindInfo(kind)) return true; // the data property reports an unknown kind itself
    var bad = codesOf(text).filter(function (c) { return !isValidKey(kind || 'tick', c); });
    if (bad.length === 0) return true;
    return t(isIndexKind(kind) ? 'invalid-index-codes' : 'invalid-codes', { codes: bad.join(', ') });
  }

  function validateData(kind) {
    return data.realtimeKinds.indexOf(kind) >= 0 ? true : t('invalid-data', { data: String(kind || '') });
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

  /**
   * Distinct (TR, code) pairs the session of `serverId` would register over kis-tick, kis-quote,
   * kis-realtime and kis-notice nodes, each code routed like the runtime does; `self` counts with the dialog's values.
   */
  function registrationsOf(serverId, self, selfCodes, selfExchange, selfKind) {
    var pairs = {};
    var key = sessionKey(serverId);
    function add(kind, exchange, codes) {
      codes.forEach(function (c) {
        if (!kindInfo(kind) || !isValidKey(kind, c)) return;
        pairs[routeOf(kind, exchange, c).trId + '|' + c] = true;
      });
    }
    // Every kis-notice of a session shares one 체결통보 registration (the config's one HTS ID).
    var NOTICE = 'notice';
    RED.nodes.eachNode(function (n) {
      if (n.type === 'kis-notice' && n.server && sessionKey(n.server) === key && isActive(n) && !(self && n.id === self.id)) pairs[NOTICE] = true;
      if (!isDataNode(n.type) || !n.server || sessionKey(n.server) !== key || !isActive(n)) return;
      if (self && n.id === self.id) return;
      add(kindOf(n), n.exchange, codesOf(n.codes));
    });
    if (self && self.type === 'kis-notice') pairs[NOTICE] = true;
    else if (self) add(selfKind || kindOf(self), selfExchange, selfCodes);
    return Object.keys(pairs).length;
  }

  /** The kind the open dialog is about. */
  function dialogKind(node) {
    return FIXED_KIND[node.type] || $('#node-input-data').val();
  }

  function nameOf(kind, code) {
    var known = isIndexKind(kind) ? data.indices[code] : data.stocks[code];
    if (!known) return null;
    return lang().indexOf('ko') === 0 ? known.name : known.nameEn + ' ' + known.name;
  }

  /** Re-route the rows once the stock master has said which codes NXT trades. */
  function renderRoutes(kind, exchange, list) {
    list.children('li.kis-code').each(function () {
      var row = $(this);
      var code = row.attr('data-code');
      row.children('.kis-code-route').remove();
      row.removeAttr('data-routed-to');
      if (!isValidKey(kind, code)) return;
      var route = routeOf(kind, exchange, code);
      if (route && route.routedTo) {
        row.attr('data-routed-to', route.routedTo);
        $('<span class="kis-code-route"></span>').text(' → ' + route.trId + ' (' + t('routed.' + route.reason) + ')')
          .css('color', 'var(--red-ui-secondary-text-color, #888)').insertAfter(row.children('.kis-code-name'));
      }
    });
  }

  function renderCodes(node) {
    var kind = dialogKind(node);
    var exchange = $('#node-input-exchange').val();
    var codes = codesOf($('#node-input-codes').val());
    var list = $('#node-input-codes-list').empty();
    codes.forEach(function (code) {
      var row = $('<li class="kis-code"></li>').attr('data-code', code);
      $('<code></code>').text(code).appendTo(row);
      if (!isValidKey(kind, code)) {
        row.addClass('kis-code-invalid');
        $('<span class="kis-code-error"></span>').text(' ' + t(isIndexKind(kind) ? 'invalid-index' : 'invalid'))
          .css('color', 'var(--red-ui-text-color-error, #d00)').appendTo(row);
      } else {
        // Stock names, markets and warnings come from the stock master (code-search.js annotates the row).
        var name = isIndexKind(kind) ? nameOf(kind, code) : window.KisCodeSearch.cachedName(code) || '…';
        $('<span class="kis-code-name"></span>').text(' ' + (name || t('unknown'))).appendTo(row);
        var route = hasExchange(kind) ? routeOf(kind, exchange, code) : null;
        if (route && route.routedTo) {
          row.attr('data-routed-to', route.routedTo);
          $('<span class="kis-code-route"></span>').text(' → ' + route.trId + ' (' + t('routed.' + route.reason) + ')')
            .css('color', 'var(--red-ui-secondary-text-color, #888)').appendTo(row);
        }
      }
      row.appendTo(list);
    });
    if (!isIndexKind(kind)) {
      window.KisCodeSearch.annotate(list, codes.filter(data.isValidStockCode), exchange, $('#node-input-codes-usage'), function () {
        if (hasExchange(kind)) renderRoutes(kind, exchange, list);
      });
    }
    var used = registrationsOf($('#node-input-server').val(), node, codes, exchange, kind);
    var max = data.maxRegistrations;
    var config = RED.nodes.node($('#node-input-server').val());
    var configName = config ? (config.name || RED.utils.getNodeLabel(config, config.type)) : '—';
    var usage = $('#node-input-codes-usage').text(t('usage', { n: used, max: max, config: configName }));
    usage.attr('data-used', used).toggleClass('kis-usage-over', used > max);
    if (used > max) usage.append($('<span></span>').text(' · ' + t('over', { max: max })).css('color', 'var(--red-ui-text-color-error, #d00)'));
  }

  function hasExchange(kind) {
    var k = kindInfo(kind);
    return Boolean(k && k.exchanges.length > 0);
  }

  /** Show the rows that apply to the kind: exchange (with only its exchanges), payload, the code label. */
  function applyKind(node) {
    var kind = dialogKind(node);
    var k = kindInfo(kind);
    var exchanges = k ? k.exchanges : [];
    $('#node-input-exchange-row').toggle(exchanges.length > 0);
    $('#node-input-exchange option').each(function () {
      $(this).prop('disabled', exchanges.indexOf($(this).val()) < 0);
    });
    var select = $('#node-input-exchange');
    if (exchanges.length > 0 && exchanges.indexOf(select.val()) < 0) select.val(exchanges[0]);
    $('#node-input-payload-row').toggle(Boolean(k && k.compact));
    if (!(k && k.compact)) $('#node-input-payload').val('full');
    var index = isIndexKind(kind);
    $('#node-input-codes-label').text(t(index ? 'label.indexCodes' : 'label.codes'));
    $('#node-input-codes').attr('placeholder', t(index ? 'placeholder.indexCodes' : 'placeholder.codes'));
    $('#node-input-index-list').toggle(index);
    $('#node-input-kind-trs').text(k ? Object.keys(k.trIds).map(function (v) { return k.trIds[v]; }).join(' · ') : '');
  }

  function toggleRouteNote() {
    var x = $('#node-input-exchange').val();
    $('#node-input-route-note').toggle(x === 'UN' || x === 'SOR');
  }

  function fillDataSelect(node) {
    var select = $('#node-input-data');
    if (!select.length) return;
    select.empty();
    data.realtimeKinds.forEach(function (kind) {
      $('<option></option>').val(kind).text(kindName(kind)).appendTo(select);
    });
    select.val(node.data && data.realtimeKinds.indexOf(node.data) >= 0 ? node.data : data.realtimeKinds[0]);
    $('#node-input-data-row').show();
  }

  function fillIndexList() {
    var list = $('#node-input-index-list').empty();
    Object.keys(data.indices).forEach(function (code) {
      var x = data.indices[code];
      $('<a href="#" class="kis-index-pick"></a>').attr('data-code', code)
        .text(code + ' ' + (lang().indexOf('ko') === 0 ? x.name : x.nameEn))
        .on('click', function (e) {
          e.preventDefault();
          var area = $('#node-input-codes');
          var codes = codesOf(area.val());
          if (codes.indexOf(code) < 0) codes.push(code);
          area.val(codes.join(', ')).trigger('change');
        }).appendTo(list);
      list.append(' ');
    });
  }

  function prepare(node) {
    var refresh = function () { renderCodes(node); };
    if (!FIXED_KIND[node.type]) fillDataSelect(node);
    fillIndexList();
    $('#node-input-data').on('change', function () { applyKind(node); toggleRouteNote(); refresh(); });
    applyKind(node);
    $('#node-input-codes').on('input change keyup', refresh);
    window.KisCodeSearch.attach(node, refresh);
    $('#node-input-exchange').on('change', function () { toggleRouteNote(); refresh(); });
    $('#node-input-server').on('change', refresh);
    $('#node-input-output').on('change', function () {
      $('#node-input-conflateMs-row').toggle($(this).val() === 'conflate');
    }).trigger('change');
    toggleRouteNote();
    refresh();
  }

  function label(node, kind) {
    if (node.name) return node.name;
    kind = kind || kindOf(node);
    var codes = codesOf(node.codes);
    var base = FIXED_KIND[node.type] ? t(kind === 'tick' ? 'label-tick' : 'label-quote') : 'KIS ' + kindName(kind);
    if (codes.length === 0) return base;
    var first = codes[0];
    var known = isIndexKind(kind) ? data.indices[first] : data.stocks[first];
    var name = isIndexKind(kind) ? null : window.KisCodeSearch.cachedName(first);
    return base + ' ' + (name || (known ? known.name : first)) + (codes.length > 1 ? ' +' + (codes.length - 1) : '');
  }

  return {
    prepare: prepare, validateCodes: validateCodes, validateData: validateData, label: label, codesOf: codesOf,
    registrationsOf: registrationsOf, routeOf: routeOf, kindOf: kindOf,
  };
})();
