/* arabic-news report pages: sortable, searchable, paginated tables and zoomable figures.
   Our own code, embedded inline by arabic_news.reports.page_features; it loads nothing, adds every listener itself
   (no inline handler, no eval) and runs under the page's Content-Security-Policy. */
(function () {
  'use strict';
  var MIN_ROWS = 11;          /* tables with more body rows than 10 become interactive */
  var PAGE_SIZES = [25, 100, 0];   /* 0: all rows */
  var MAX_FIT = 3;            /* a figure opens as large as the screen allows, up to 3 times its pixel size */
  var collator = new Intl.Collator('ar', { numeric: true, sensitivity: 'base' });

  /* ------------------------------------------------------------------ text for search and sort */
  function normalise(text) {
    return text.toLowerCase()
      .replace(/[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')   /* diacritics, tatweel */
      .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')                            /* أ إ آ ٱ -> ا */
      .replace(/\u0629/g, '\u0647')                                                /* ة -> ه */
      .replace(/\u0649/g, '\u064A')                                                /* ى -> ي */
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/\s+/g, ' ').trim();
  }
  function asNumber(text) {
    var t = normalise(text).replace(/[,\u066C\u00A0\u202F ]/g, '').replace(/\u066B/g, '.')
      .replace(/\u2212/g, '-').replace(/%$/, '');
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? parseFloat(t) : null;
  }
  function isMissing(text) { return /^(|nan|none|nat|<na>|\u2014|-)$/i.test(text.trim()); }

  /* ------------------------------------------------------------------ tables */
  function cellAt(row, col) {            /* the cell of *row* that covers column position *col* */
    var pos = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var span = row.cells[i].colSpan || 1;
      if (col >= pos && col < pos + span) { return row.cells[i]; }
      pos += span;
    }
    return null;
  }
  function positionOf(cell) {
    var pos = 0, row = cell.parentNode;
    for (var i = 0; i < row.cells.length && row.cells[i] !== cell; i++) { pos += row.cells[i].colSpan || 1; }
    return pos;
  }
  function el(tag, props, text) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { node.setAttribute(k, props[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function interactiveTable(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var hasRowspan = rows.some(function (r) {
      return Array.prototype.some.call(r.cells, function (c) { return c.rowSpan > 1; });
    });
    var original = rows.slice();
    var state = { query: '', page: 0, size: rows.length > PAGE_SIZES[0] ? PAGE_SIZES[0] : 0, col: -1, dir: 0 };
    var texts = new Map();
    rows.forEach(function (r) { texts.set(r, normalise(r.textContent)); });
    table.classList.add('an-interactive');

    var tools = el('div', { 'class': 'an-table-tools' });
    if (table.getAttribute('dir')) { tools.setAttribute('dir', table.getAttribute('dir')); }
    var search = el('input', { type: 'search', placeholder: 'Filter rows \u2026 \u0628\u062D\u062B',
                               'aria-label': 'Filter the rows of this table', dir: 'auto' });
    var count = el('span', { 'class': 'an-count', 'aria-live': 'polite', dir: 'ltr' });
    var pager = el('span', { 'class': 'an-pager' });
    var prev = el('button', { type: 'button', 'aria-label': 'Previous page' }, '\u2039');
    var next = el('button', { type: 'button', 'aria-label': 'Next page' }, '\u203A');
    var pageOf = el('span', { 'class': 'an-page-of', dir: 'ltr' });
    var sizes = el('select', { 'aria-label': 'Rows per page' });
    PAGE_SIZES.forEach(function (n) {
      var opt = el('option', { value: String(n) }, n ? n + ' rows per page' : 'all rows');
      if (n === state.size) { opt.selected = true; }
      sizes.appendChild(opt);
    });
    pager.appendChild(prev); pager.appendChild(pageOf); pager.appendChild(next); pager.appendChild(sizes);
    tools.appendChild(search); tools.appendChild(count);
    if (rows.length > PAGE_SIZES[0]) { tools.appendChild(pager); }
    var noMatch = el('div', { 'class': 'an-no-match', hidden: '' }, 'No row matches the filter.');
    var wrap = el('div', { 'class': 'an-table-wrap' });
    if (table.getAttribute('dir')) { wrap.setAttribute('dir', table.getAttribute('dir')); }
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(tools); wrap.appendChild(table); wrap.appendChild(noMatch);

    function update() {
      var shown = [];
      rows.forEach(function (r) {
        var hit = !state.query || texts.get(r).indexOf(state.query) >= 0;
        r.classList.toggle('an-filtered', !hit);
        if (hit) { shown.push(r); }
      });
      var pages = state.size ? Math.max(1, Math.ceil(shown.length / state.size)) : 1;
      state.page = Math.min(state.page, pages - 1);
      shown.forEach(function (r, i) {
        r.classList.toggle('an-off-page', state.size > 0 && Math.floor(i / state.size) !== state.page);
      });
      count.textContent = state.query ? shown.length + ' of ' + rows.length + ' rows' : rows.length + ' rows';
      pageOf.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      noMatch.hidden = shown.length > 0;
    }
    search.addEventListener('input', function () { state.query = normalise(search.value); state.page = 0; update(); });
    prev.addEventListener('click', function () { state.page -= 1; update(); });
    next.addEventListener('click', function () { state.page += 1; update(); });
    sizes.addEventListener('change', function () { state.size = parseInt(sizes.value, 10); state.page = 0; update(); });

    var head = table.tHead;
    if (head && !hasRowspan) {
      var headers = [];
      Array.prototype.forEach.call(head.rows, function (hr) {
        Array.prototype.forEach.call(hr.cells, function (th) {
          if ((th.colSpan || 1) === 1 && th.textContent.trim()) { headers.push(th); }
        });
      });
      headers.forEach(function (th) {
        var col = positionOf(th);
        if (!original.every(function (r) { return cellAt(r, col); })) { return; }
        th.classList.add('an-sortable');
        th.setAttribute('tabindex', '0');
        th.setAttribute('aria-sort', 'none');
        th.title = 'Sort by this column (click again to reverse, a third time for the original order)';
        var sort = function () {
          var dir = state.col === col ? (state.dir === 1 ? -1 : state.dir === -1 ? 0 : 1) : 1;
          state.col = col; state.dir = dir;
          headers.forEach(function (h) { if (h.classList.contains('an-sortable')) { h.setAttribute('aria-sort', 'none'); } });
          if (dir) { th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending'); }
          var keys = new Map();
          var numeric = original.every(function (r) {
            var t = cellAt(r, col).textContent;
            return isMissing(t) || asNumber(t) !== null;
          });
          original.forEach(function (r) {
            var t = cellAt(r, col).textContent;
            keys.set(r, isMissing(t) ? null : numeric ? asNumber(t) : t.trim());
          });
          rows = original.slice();
          if (dir) {
            rows.sort(function (a, b) {
              var x = keys.get(a), y = keys.get(b);
              if (x === null || y === null) { return x === y ? 0 : x === null ? 1 : -1; }  /* missing last */
              return dir * (numeric ? x - y : collator.compare(x, y));
            });
          }
          rows.forEach(function (r) { body.appendChild(r); });
          state.page = 0;
          update();
        };
        th.addEventListener('click', sort);
        th.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
        });
      });
    }
    update();
  }

  /* ------------------------------------------------------------------ figures */
  function openZoom(figure) {
    var overlay = el('div', { 'class': 'an-zoom', role: 'dialog', 'aria-modal': 'true',
                              'aria-label': 'Figure at full size' });
    var stage = el('div', { 'class': 'an-zoom-stage' });
    var clone = figure.cloneNode(true);
    clone.classList.remove('an-zoomable');
    clone.removeAttribute('tabindex');
    clone.removeAttribute('style');
    var w, h;
    if (figure.tagName.toLowerCase() === 'img') {
      w = figure.naturalWidth || figure.width; h = figure.naturalHeight || figure.height;
    } else {
      var box = figure.getBoundingClientRect();
      var vb = figure.viewBox && figure.viewBox.baseVal;
      w = (vb && vb.width) || box.width; h = (vb && vb.height) || box.height;
    }
    clone.setAttribute('width', String(w)); clone.setAttribute('height', String(h));
    stage.appendChild(clone);
    var bar = el('div', { 'class': 'an-zoom-bar' });
    var buttons = [['+', 'Zoom in', 1.25], ['\u2212', 'Zoom out', 0.8], ['1:1', 'Actual size', 0],
                   ['\u00D7', 'Close (Esc)', -1]].map(function (b) {
      var btn = el('button', { type: 'button', 'aria-label': b[1], title: b[1] }, b[0]);
      bar.appendChild(btn);
      return [btn, b[2]];
    });
    var hint = el('div', { 'class': 'an-zoom-hint' },
                  'Wheel or + / \u2212 to zoom, drag to pan, 0 to fit, Esc or a click outside to close');
    overlay.appendChild(stage); overlay.appendChild(bar); overlay.appendChild(hint);
    document.body.appendChild(overlay);
    var previousFocus = document.activeElement;

    var view = { s: 1, x: 0, y: 0 };
    function apply() { stage.style.transform = 'translate(' + view.x + 'px,' + view.y + 'px) scale(' + view.s + ')'; }
    function fit() {
      var W = overlay.clientWidth, H = overlay.clientHeight;
      view.s = Math.min(MAX_FIT, (W - 40) / w, (H - 60) / h);   /* fill the screen, enlarging up to MAX_FIT */
      view.x = (W - w * view.s) / 2; view.y = (H - h * view.s) / 2; apply();
    }
    function zoomAt(factor, cx, cy) {
      var s = Math.min(20, Math.max(0.05, view.s * factor));
      view.x = cx - (cx - view.x) * s / view.s; view.y = cy - (cy - view.y) * s / view.s; view.s = s; apply();
    }
    function centre() { return [overlay.clientWidth / 2, overlay.clientHeight / 2]; }
    function close() {
      document.removeEventListener('keydown', onKey, true);
      overlay.remove();
      if (previousFocus && previousFocus.focus) { previousFocus.focus(); }
    }
    function onKey(e) {
      var c = centre();
      if (e.key === 'Escape') { e.preventDefault(); close(); }
      else if (e.key === '+' || e.key === '=') { zoomAt(1.25, c[0], c[1]); }
      else if (e.key === '-' || e.key === '\u2212') { zoomAt(0.8, c[0], c[1]); }
      else if (e.key === '0') { fit(); }
    }
    buttons.forEach(function (b) {
      b[0].addEventListener('click', function (e) {
        e.stopPropagation();
        var c = centre();
        if (b[1] === -1) { close(); }
        else if (b[1] === 0) { zoomAt(1 / view.s, c[0], c[1]); }
        else { zoomAt(b[1], c[0], c[1]); }
      });
    });
    overlay.addEventListener('wheel', function (e) {
      e.preventDefault();
      zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX, e.clientY);
    }, { passive: false });
    var drag = null;
    overlay.addEventListener('pointerdown', function (e) {
      if (bar.contains(e.target)) { return; }
      drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, onStage: stage.contains(e.target) };
      try { overlay.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer: no capture */ }
    });
    overlay.addEventListener('pointermove', function (e) {
      if (!drag) { return; }
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; overlay.classList.add('an-dragging'); }
      view.x = drag.vx + dx; view.y = drag.vy + dy; apply();
    });
    overlay.addEventListener('pointerup', function () {
      var d = drag; drag = null;
      overlay.classList.remove('an-dragging');
      if (d && !d.moved && !d.onStage) { close(); }     /* a click outside the figure closes */
    });
    overlay.addEventListener('dblclick', function (e) { zoomAt(2, e.clientX, e.clientY); });
    document.addEventListener('keydown', onKey, true);
    fit();
    buttons[3][0].focus();
  }

  function zoomableFigure(figure) {
    figure.classList.add('an-zoomable');
    figure.setAttribute('tabindex', '0');
    figure.setAttribute('role', 'button');
    if (!figure.getAttribute('title')) { figure.setAttribute('title', 'Click to enlarge (zoom and pan)'); }
    figure.addEventListener('click', function () { openZoom(figure); });
    figure.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openZoom(figure); }
    });
  }

  function init() {
    var tables = document.querySelectorAll('.jp-OutputArea-output table, table[data-an-interactive]');
    Array.prototype.forEach.call(tables, function (t) {
      if (t.closest('.an-interactive') || !t.tBodies.length || t.tBodies[0].rows.length < MIN_ROWS) { return; }
      if (t.querySelector('table')) { return; }
      interactiveTable(t);
    });
    var cells = document.querySelectorAll('.jp-OutputArea-output td');
    Array.prototype.forEach.call(cells, function (td) {     /* dates and numbers are never broken across lines */
      var t = td.textContent.trim();
      if (/^\d{4}-\d{2}-\d{2}$/.test(t) || (t.length < 16 && asNumber(t) !== null)) { td.classList.add('an-nowrap'); }
    });
    var figures = document.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output > svg');
    Array.prototype.forEach.call(figures, zoomableFigure);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
