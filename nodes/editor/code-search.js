/*
 * Stock search for the code field of kis-tick / kis-quote (plain ES5 for the browser). Inlined by
 * scripts/gen-docs.js after market-data-editor.js, which calls attach() and annotate(). Fed by the
 * kis-config admin endpoint (nodes/master-port.ts), which reads KIS's stock master of the
 * selected connection: the editor carries no list of its own.
 * - Typing in the code field suggests stocks for the word under the cursor: by code, Korean name,
 *   초성 (ㅅㅅㅈㅈ → 삼성전자) or English name. Arrow keys + Enter or a click pick one.
 * - Each code listed under the field shows its name and market and warns about codes the master
 *   does not know, 거래정지, 관리종목, and for exchange NXT codes NXT does not trade.
 */
/* global RED, $ */
window.KisCodeSearch = window.KisCodeSearch || (function () {
  var NS = '@kis-nodes/node-red-kis/kis-config:kis-config.data.search.';
  var ENDPOINT = 'kis-config/master';
  var SEPARATOR = /[\s,;]/;
  /** code → info from every answer (any connection), so rows and labels show names at once. */
  var known = {};
  /** Valid codes the master did not know in the last answer that mentioned them. */
  var unknown = {};

  function t(key, params) {
    return RED._(NS + key, params);
  }

  function isKorean() {
    var lang = (RED.i18n && RED.i18n.lang && RED.i18n.lang()) || '';
    return lang.indexOf('ko') === 0;
  }

  /** Query parameters naming the connection of the dialog's kis-config (deployed or not). */
  function connection() {
    var id = $('#node-input-server').val();
    var config = id ? RED.nodes.node(id) : null;
    var p = { config: id || '', server: (config && config.server) || 'simulator' };
    if (p.server === 'custom' && config && config.restUrl) p.restUrl = config.restUrl;
    // An edited, undeployed config: the runtime's copy of it may use another server.
    if (config && config.changed) p.deployedServer = 'changed';
    return p;
  }

  function remember(info) {
    if (info && info.code && info.name) known[info.code] = info;
  }

  function ask(params, done) {
    var p = connection();
    for (var k in params) if (Object.prototype.hasOwnProperty.call(params, k)) p[k] = params[k];
    $.ajax({ url: ENDPOINT, data: p, dataType: 'json', cache: false })
      .done(function (answer) { done(answer || {}); })
      .fail(function () { done({ state: 'none', failed: true }); });
  }

  /** The word of the textarea around the cursor: {start, end, text}. */
  function wordAt(el) {
    var value = el.value;
    var pos = typeof el.selectionStart === 'number' ? el.selectionStart : value.length;
    var start = pos;
    var end = pos;
    while (start > 0 && !SEPARATOR.test(value.charAt(start - 1))) start--;
    while (end < value.length && !SEPARATOR.test(value.charAt(end))) end++;
    return { start: start, end: end, text: value.slice(start, end) };
  }

  function describe(info) {
    var name = isKorean() || !info.nameEn ? info.name : info.nameEn + ' ' + info.name;
    return name + ' · ' + info.market;
  }

  /** Warnings for one code (texts), from the master's answer for it. */
  function warningsOf(info, exchange) {
    var out = [];
    if (info.suspended) out.push(t('suspended'));
    if (info.managed) out.push(t('managed'));
    if (exchange === 'NXT' && info.nxt === false) out.push(t('not-nxt'));
    return out;
  }

  function attach(node, refresh) {
    var area = $('#node-input-codes');
    if (area.length === 0 || area.data('kis-search')) return;
    area.data('kis-search', true);
    area.attr('autocomplete', 'off').attr('spellcheck', 'false');
    var row = area.closest('.form-row').css('position', 'relative');
    var list = $('<ul class="kis-code-suggest" role="listbox"></ul>').css({
      position: 'absolute', left: area.position().left + 'px', top: '100%', zIndex: 20, margin: 0, padding: 0,
      listStyle: 'none', minWidth: '280px', maxHeight: '220px', overflowY: 'auto',
      background: 'var(--red-ui-secondary-background, #fff)', color: 'var(--red-ui-primary-text-color, #333)',
      border: '1px solid var(--red-ui-secondary-border-color, #ccc)', boxShadow: '0 2px 6px rgba(0,0,0,0.2)',
    }).hide().appendTo(row);
    var timer = null;
    var seq = 0;
    var active = -1;
    var word = null;

    function close() {
      list.hide().empty();
      active = -1;
    }

    function highlight(i) {
      var items = list.children('li.kis-suggestion');
      if (items.length === 0) return;
      active = (i + items.length) % items.length;
      items.removeClass('selected').css('background', '');
      $(items[active]).addClass('selected').css('background', 'var(--red-ui-list-item-background-selected, #ddd)');
    }

    function pick(code) {
      var el = area[0];
      var w = word || wordAt(el);
      var value = el.value;
      var after = value.slice(w.end);
      var insert = code + (after === '' || !SEPARATOR.test(after.charAt(0)) ? ', ' : '');
      el.value = value.slice(0, w.start) + insert + after;
      var caret = w.start + insert.length;
      if (el.setSelectionRange) el.setSelectionRange(caret, caret);
      close();
      area.trigger('change');
      area.focus();
    }

    function show(answer, forWord) {
      list.empty();
      active = -1;
      var results = answer.results || [];
      if (answer.state === 'none') {
        $('<li class="kis-suggest-none"></li>').text(t('unavailable')).css({ padding: '4px 8px', fontStyle: 'italic' }).appendTo(list);
      } else if (results.length === 0) {
        $('<li class="kis-suggest-none"></li>').text(t('no-match', { query: forWord })).css({ padding: '4px 8px', fontStyle: 'italic' }).appendTo(list);
      }
      var exchange = $('#node-input-exchange').val();
      results.forEach(function (info) {
        remember(info);
        var li = $('<li class="kis-suggestion" role="option"></li>').attr('data-code', info.code).css({ padding: '3px 8px', cursor: 'pointer', whiteSpace: 'nowrap' });
        $('<code></code>').text(info.code).appendTo(li);
        $('<span class="kis-suggestion-name"></span>').text(' ' + describe(info)).appendTo(li);
        var warn = warningsOf(info, exchange);
        if (warn.length > 0) $('<span class="kis-suggestion-warning"></span>').text(' · ' + warn.join(', ')).css('color', 'var(--red-ui-text-color-warning, #b35900)').appendTo(li);
        li.on('mousedown', function (e) {
          e.preventDefault(); // keep the focus (and the word) in the textarea
          pick(info.code);
        });
        li.appendTo(list);
      });
      list.show();
    }

    function lookup() {
      var w = wordAt(area[0]);
      word = w;
      var text = w.text.trim();
      if (text === '') return close();
      var mine = ++seq;
      ask({ q: text, limit: 12 }, function (answer) {
        if (mine !== seq) return; // a newer keystroke won
        show(answer, text);
      });
    }

    area.on('input.kissearch', function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(lookup, 120);
    });
    area.on('keydown.kissearch', function (e) {
      if (!list.is(':visible')) return;
      var items = list.children('li.kis-suggestion');
      if (e.key === 'ArrowDown') { highlight(active + 1); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { highlight(active - 1); e.preventDefault(); }
      else if (e.key === 'Enter' && items.length > 0) { pick($(items[active < 0 ? 0 : active]).attr('data-code')); e.preventDefault(); }
      else if (e.key === 'Escape') { close(); e.preventDefault(); e.stopPropagation(); }
    });
    area.on('blur.kissearch', function () { setTimeout(close, 150); });
    void node;
    void refresh;
  }

  var annotateTimer = null;
  var annotateSeq = 0;
  /** The master's state in the last answer (none: syntax-only). */
  var lastState = null;

  /** Name, market and warnings of one row from what the master said about its code. */
  function applyRow(row, r, exchange, state) {
    var nameEl = row.children('.kis-code-name');
    row.children('.kis-code-warning').remove();
    row.removeClass('kis-code-warned kis-code-unknown');
    nameEl.css('color', '');
    if (r && r.name) {
      nameEl.text(' ' + describe(r));
      var warn = warningsOf(r, exchange);
      if (warn.length > 0) {
        row.addClass('kis-code-warned');
        $('<span class="kis-code-warning"></span>').text(' · ' + warn.join(', ')).css('color', 'var(--red-ui-text-color-warning, #b35900)').appendTo(row);
      }
    } else if (state === 'none') {
      nameEl.text(' ' + t('syntax-only'));
    } else if (state) {
      row.addClass('kis-code-unknown');
      nameEl.text(' ' + t('unknown')).css('color', 'var(--red-ui-text-color-warning, #b35900)');
    }
  }

  /**
   * Fill in name, market and warnings of the rows under the field (li[data-code]): at once from
   * what earlier answers said, then from a fresh answer (debounced, the last request wins).
   */
  function annotate(listEl, codes, exchange, usageEl, answered) {
    if (annotateTimer) clearTimeout(annotateTimer);
    listEl.children('li.kis-code').each(function () {
      var code = $(this).attr('data-code');
      if (known[code]) applyRow($(this), known[code], exchange, lastState);
      else if (unknown[code] && lastState) applyRow($(this), null, exchange, lastState);
    });
    if (codes.length === 0) return;
    annotateTimer = setTimeout(function () { annotateNow(listEl, codes, exchange, usageEl, answered); }, 150);
  }

  function annotateNow(listEl, codes, exchange, usageEl, answered) {
    var mine = ++annotateSeq;
    ask({ codes: codes.join(',') }, function (answer) {
      if (mine !== annotateSeq) return;
      lastState = answer.state || 'none';
      var byCode = {};
      (answer.codes || []).forEach(function (r) {
        byCode[r.code] = r;
        remember(r);
        if (r.valid && !r.known) unknown[r.code] = true;
        else delete unknown[r.code];
      });
      listEl.children('li.kis-code').each(function () {
        var row = $(this);
        var r = byCode[row.attr('data-code')];
        if (r && r.valid) applyRow(row, r.known ? r : null, exchange, lastState);
      });
      if (usageEl && lastState === 'none' && usageEl.find('.kis-master-none').length === 0) {
        usageEl.append($('<span class="kis-master-none"></span>').text(' · ' + t('unavailable')));
      }
      if (answered) answered();
    });
  }

  /** Does NXT trade the code, by the stock master (undefined: no answer has told). */
  function nxtOf(code) {
    return known[code] && typeof known[code].nxt === 'boolean' ? known[code].nxt : undefined;
  }

  /** The name of a code if an answer has mentioned it (for node labels). */
  function cachedName(code) {
    return known[code] ? known[code].name : undefined;
  }

  return { attach: attach, annotate: annotate, cachedName: cachedName, nxtOf: nxtOf };
})();
