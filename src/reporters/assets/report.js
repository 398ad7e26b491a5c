(function () {
  'use strict';
  var OUTCOMES = ['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'error'];
  var WORST = ['error', 'fail', 'warn', 'untestable', 'info', 'skip', 'pass'];
  var LEVELS = ['MUST', 'SHOULD', 'MAY'];
  var VERSION_ORDER = ['0.3', '1.0'];
  var BINDING_ORDER = ['card', 'jsonrpc', 'rest', 'grpc'];
  var OUTCOME_COLOR = {
    pass: '--pass',
    fail: '--fail',
    warn: '--warn',
    info: '--info',
    skip: '--skip',
    untestable: '--untestable',
    error: '--error',
  };

  var app = document.getElementById('app');

  /* ---------- DOM helpers: data only ever goes through textContent / setAttribute ---------- */
  function append(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) {
      for (var i = 0; i < c.length; i++) append(el, c[i]);
      return;
    }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function h(tag, props, ...children) {
    var el = document.createElement(tag);
    if (props) {
      for (var k in props) {
        var v = props[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'data') {
          for (var d in v) if (v[d] !== undefined && v[d] !== null) el.dataset[d] = String(v[d]);
        } else if (k === 'on') {
          for (var ev in v) el.addEventListener(ev, v[ev]);
        } else if (k === 'href') {
          var u = safeUrl(v);
          if (u) {
            el.setAttribute('href', u);
            el.setAttribute('target', '_blank');
            el.setAttribute('rel', 'noopener noreferrer');
          }
        } else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(el, children);
    return el;
  }
  /* maps keyed by data (target names, ids) never touch Object.prototype */
  function dict() {
    return Object.create(null);
  }
  function own(o, k) {
    return o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
  }
  function safeUrl(s) {
    try {
      var u = new URL(String(s));
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch {
      return null;
    }
  }
  function link(text, url) {
    return safeUrl(url) ? h('a', { href: url }, text) : h('span', null, text);
  }
  /* an id as text nodes with <wbr> after each dot, so long ids wrap at component boundaries */
  function breakable(id) {
    var parts = String(id).split('.'),
      out = [];
    parts.forEach(function (p, i) {
      out.push(p + (i < parts.length - 1 ? '.' : ''));
      if (i < parts.length - 1) out.push(document.createElement('wbr'));
    });
    return out;
  }
  function fatal(msg) {
    app.textContent = '';
    append(app, h('div', { class: 'wrap' }, h('p', { class: 'err', id: 'fatal' }, msg)));
  }

  var R;
  try {
    R = JSON.parse(document.getElementById('results-data').textContent || 'null');
  } catch (e) {
    fatal('The embedded results could not be parsed: ' + e.message);
    return;
  }
  if (!R || !Array.isArray(R.results)) {
    fatal('The embedded data is not a results.json object.');
    return;
  }
  R.targets = R.targets || [];
  R.checks = R.checks || {};
  R.transcripts = R.transcripts || {};

  /* ---------- formatting ---------- */
  function fmtMs(ms) {
    if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    var m = Math.floor(ms / 60000),
      s = Math.round((ms % 60000) / 1000);
    return m + ' min ' + (s < 10 ? '0' : '') + s + ' s';
  }
  function fmtTime(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }
  function pretty(v) {
    if (v === undefined) return 'undefined';
    if (typeof v === 'string') return v;
    try {
      return JSON.stringify(v, null, 2);
    } catch {
      return String(v);
    }
  }
  function prettyText(text) {
    var t = String(text == null ? '' : text),
      s = t.trim();
    if (s.charAt(0) === '{' || s.charAt(0) === '[') {
      try {
        return JSON.stringify(JSON.parse(s), null, 2);
      } catch {
        /* not JSON */
      }
    }
    return t;
  }
  function bindingLabel(b) {
    return b || 'card';
  }
  function rank(list, v) {
    var i = list.indexOf(v);
    return i < 0 ? list.length : i;
  }
  function plural(n, w) {
    return n + ' ' + w + (n === 1 ? '' : 's');
  }
  function meta(id) {
    var m = own(R.checks, id);
    if (m) return m;
    var dot = id.indexOf('.');
    return {
      id: id,
      suite: dot > 0 ? id.slice(0, dot) : 'unknown',
      title: id,
      level: 'MUST',
      requirement: '',
      specRefs: {},
      scenario: id,
    };
  }
  function pill(outcome, text, props) {
    var p = props || {};
    var tag = p.tag || 'span';
    delete p.tag;
    p.class = 'pill' + (p.class ? ' ' + p.class : '');
    p.data = p.data || {};
    p.data.outcome = outcome;
    return h(tag, p, text === undefined ? outcome : text);
  }
  function counts(list) {
    var c = dict();
    OUTCOMES.forEach(function (o) {
      c[o] = 0;
    });
    list.forEach(function (r) {
      if (c[r.outcome] !== undefined) c[r.outcome]++;
    });
    return c;
  }

  /* ---------- verdict (same rules as the server-side reporters) ---------- */
  var strict = document.body.dataset.strict ? document.body.dataset.strict === 'true' : !!R.run?.options?.strict;
  function blocking(r) {
    if (r.baseline === 'stale') return true;
    if (r.baseline === 'expected') return false;
    return r.outcome === 'fail' || r.outcome === 'error' || (strict && r.outcome === 'warn');
  }
  var nBlocking =
    R.results.filter(blocking).length +
    R.targets.filter(function (t) {
      return t.status !== 'tested';
    }).length;
  var verdict = nBlocking > 0 ? 'fail' : R.run?.partial ? 'incomplete' : 'pass';

  /* ---------- model: columns (target × version × binding) and rows (checks) ---------- */
  var targetIndex = dict();
  R.targets.forEach(function (t, i) {
    targetIndex[t.name] = i;
  });
  R.results.forEach(function (r) {
    if (!(r.target in targetIndex)) targetIndex[r.target] = Object.keys(targetIndex).length;
  });
  var colByKey = dict(),
    cols = [];
  var rowById = dict(),
    rows = [];
  var checkOrder = dict();
  Object.keys(R.checks).forEach(function (id, i) {
    checkOrder[id] = i;
  });
  R.results.forEach(function (r, idx) {
    var key = JSON.stringify([r.target, r.version, bindingLabel(r.binding)]);
    var col = colByKey[key];
    if (!col) {
      col = colByKey[key] = {
        key: key,
        target: r.target,
        version: r.version,
        binding: bindingLabel(r.binding),
        results: [],
      };
      cols.push(col);
    }
    col.results.push(idx);
    var row = rowById[r.checkId];
    if (!row) {
      row = rowById[r.checkId] = { id: r.checkId, meta: meta(r.checkId), byCol: {}, results: [] };
      rows.push(row);
    }
    row.results.push(idx);
    (row.byCol[key] = row.byCol[key] || []).push(idx);
  });
  cols.sort(function (a, b) {
    return (
      targetIndex[a.target] - targetIndex[b.target] ||
      rank(VERSION_ORDER, a.version) - rank(VERSION_ORDER, b.version) ||
      rank(BINDING_ORDER, a.binding) - rank(BINDING_ORDER, b.binding) ||
      (a.key < b.key ? -1 : 1)
    );
  });
  cols.forEach(function (c, i) {
    c.index = i;
  });
  var suiteOrder = dict();
  Object.keys(R.checks).forEach(function (id) {
    var s = R.checks[id].suite;
    if (!(s in suiteOrder)) suiteOrder[s] = Object.keys(suiteOrder).length;
  });
  rows.forEach(function (row) {
    if (!(row.meta.suite in suiteOrder)) suiteOrder[row.meta.suite] = Object.keys(suiteOrder).length;
  });
  function ord(id) {
    return id in checkOrder ? checkOrder[id] : 1e9;
  }
  rows.sort(function (a, b) {
    return (
      suiteOrder[a.meta.suite] - suiteOrder[b.meta.suite] ||
      ord(a.id) - ord(b.id) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    );
  });
  var suites = Object.keys(suiteOrder)
    .sort(function (a, b) {
      return suiteOrder[a] - suiteOrder[b];
    })
    .filter(function (s) {
      return rows.some(function (r) {
        return r.meta.suite === s;
      });
    });

  /* ---------- version grid model: rows = scenarios, columns = version × binding (rules of versionGrids()) --------- */
  var NEGOTIATION_SUITE = 'versions';
  function worstOf(list) {
    for (var i = 0; i < WORST.length; i++) if (list.indexOf(WORST[i]) >= 0) return WORST[i];
    return null;
  }
  function outcomesOf(idxs) {
    return idxs.map(function (i) {
      return R.results[i].outcome;
    });
  }
  function failing(o) {
    return o === 'fail' || o === 'error';
  }
  /* versions a scenario is specified for: the union of its checks' specRefs keys */
  var specVersionsOf = dict();
  Object.keys(R.checks).forEach(function (id) {
    var m = R.checks[id] || {},
      s = m.scenario || id,
      vs = own(specVersionsOf, s) || (specVersionsOf[s] = []);
    Object.keys(m.specRefs || {}).forEach(function (v) {
      if (Array.isArray(own(m.specRefs, v)) && vs.indexOf(v) < 0) vs.push(v);
    });
  });
  function gridDiffs(row, from, to, bindings) {
    bindings.forEach(function (b) {
      var c1 = row.cells[from + '|' + b],
        c2 = row.cells[to + '|' + b];
      if (!c1 || !c2) return;
      var w1 = worstOf(outcomesOf(c1)),
        w2 = worstOf(outcomesOf(c2));
      var kind = w1 === 'pass' && failing(w2) ? 'regression' : failing(w1) && w2 === 'pass' ? 'fixed' : null;
      if (kind) row.diffs.push({ kind: kind, binding: b, from: from, to: to, before: w1, after: w2 });
    });
  }
  var grids = [];
  (function () {
    var byTarget = dict();
    R.results.forEach(function (r, idx) {
      var g = byTarget[r.target];
      if (!g) {
        g = byTarget[r.target] = { target: r.target, versions: [], bindings: [], rowBy: dict(), rows: [] };
        grids.push(g);
      }
      var b = bindingLabel(r.binding);
      if (g.versions.indexOf(r.version) < 0) g.versions.push(r.version);
      if (g.bindings.indexOf(b) < 0) g.bindings.push(b);
      var s = meta(r.checkId).scenario || r.checkId,
        row = g.rowBy[s];
      if (!row) {
        var sv = own(specVersionsOf, s) || [];
        row = g.rowBy[s] = {
          scenario: s,
          ids: [],
          cells: dict(),
          only: sv.length === 1 ? sv[0] : null,
          diffs: [],
          results: [],
        };
        g.rows.push(row);
      }
      if (row.ids.indexOf(r.checkId) < 0) row.ids.push(r.checkId);
      var k = r.version + '|' + b;
      (row.cells[k] = row.cells[k] || []).push(idx);
      row.results.push(idx);
    });
    grids.sort(function (a, b) {
      return targetIndex[a.target] - targetIndex[b.target];
    });
    grids.forEach(function (g) {
      g.versions.sort(function (a, b) {
        return rank(VERSION_ORDER, a) - rank(VERSION_ORDER, b);
      });
      g.bindings.sort(function (a, b) {
        return rank(BINDING_ORDER, a) - rank(BINDING_ORDER, b);
      });
      g.counts = { compared: 0, regressions: 0, fixed: 0, only: dict(), oneVersionFailures: 0 };
      g.rows.forEach(function (row) {
        row.ids.sort(function (a, b) {
          return ord(a) - ord(b) || (a < b ? -1 : a > b ? 1 : 0);
        });
        row.meta = meta(row.ids[0]);
        for (var i = 1; i < g.versions.length; i++) gridDiffs(row, g.versions[i - 1], g.versions[i], g.bindings);
        row.nRegressions = row.diffs.filter(function (d) {
          return d.kind === 'regression';
        }).length;
        row.oneVersionFailure = !!row.only && outcomesOf(row.results).some(failing);
        row.isDiff = row.diffs.length > 0 || row.oneVersionFailure;
        var ran = g.versions.filter(function (v) {
          return g.bindings.some(function (b) {
            return row.cells[v + '|' + b];
          });
        });
        if (ran.length > 1) g.counts.compared++;
        g.counts.regressions += row.nRegressions;
        g.counts.fixed += row.diffs.length - row.nRegressions;
        if (row.only) g.counts.only[row.only] = (g.counts.only[row.only] || 0) + 1;
        if (row.oneVersionFailure) g.counts.oneVersionFailures++;
      });
      g.rows.sort(function (a, b) {
        return (
          suiteOrder[a.meta.suite] - suiteOrder[b.meta.suite] ||
          ord(a.ids[0]) - ord(b.ids[0]) ||
          (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0)
        );
      });
    });
  })();

  /* ---------- state (mirrored in location.hash) ---------- */
  var GRID_SHOW = ['diff', 'regression', 'only'];
  var state = { outcome: [], level: [], suite: '', target: '', version: '', binding: '', q: '', grid: '', r: null };
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    function list(k, allowed) {
      return (p.get(k) || '').split(',').filter(function (x) {
        return allowed.indexOf(x) >= 0;
      });
    }
    state.outcome = list('outcome', OUTCOMES);
    state.level = list('level', LEVELS);
    state.suite = p.get('suite') || '';
    state.target = p.get('target') || '';
    state.version = p.get('version') || '';
    state.binding = p.get('binding') || '';
    state.q = p.get('q') || '';
    state.grid = GRID_SHOW.indexOf(p.get('grid') || '') >= 0 ? p.get('grid') : '';
    var r = p.get('r');
    state.r = r !== null && /^[0-9]+$/.test(r) && Number(r) < R.results.length ? Number(r) : null;
  }
  var lastHash = null;
  function writeHash() {
    var p = new URLSearchParams();
    if (state.outcome.length) p.set('outcome', state.outcome.join(','));
    if (state.level.length) p.set('level', state.level.join(','));
    ['suite', 'target', 'version', 'binding', 'q', 'grid'].forEach(function (k) {
      if (state[k]) p.set(k, state[k]);
    });
    if (state.r !== null) p.set('r', String(state.r));
    var s = p.toString();
    if (s === location.hash.replace(/^#/, '')) return;
    lastHash = s;
    var url = location.href.split('#')[0] + (s ? '#' + s : '');
    try {
      history.replaceState(null, '', url);
    } catch {
      location.replace(s ? '#' + s : '#');
    }
  }

  /* ---------- header ---------- */
  function renderHeader() {
    var run = R.run || {};
    var hv = R.harness || {};
    var specs = (R.specVersions || [])
      .map(function (s) {
        return s.version + (s.profile ? ' (profile ' + s.profile + ')' : '');
      })
      .join(', ');
    var c = counts(R.results);
    var vText =
      verdict === 'pass' ? 'PASS' : verdict === 'fail' ? 'FAIL' : run.interrupted ? 'INTERRUPTED' : 'IN PROGRESS';
    function fact(label, value, title) {
      return h('div', null, h('dt', null, label), h('dd', { title: title }, value));
    }
    var header = h(
      'header',
      { class: 'report-header', id: 'report-header' },
      h(
        'div',
        { class: 'wrap' },
        h(
          'div',
          { class: 'title-block' },
          h('h1', null, 'A2A conformance report'),
          h('span', { class: 'verdict', id: 'verdict', data: { verdict: verdict } }, vText),
          nBlocking ? h('span', { class: 'muted' }, plural(nBlocking, 'blocking issue')) : null,
        ),
        h(
          'dl',
          { class: 'facts' },
          fact('Harness', (hv.name || '?') + ' ' + (hv.version || '') + (hv.node ? ' · node ' + hv.node : '')),
          fact('Started', fmtTime(run.startedAt), run.startedAt),
          fact('Duration', fmtMs(run.durationMs)),
          fact(
            'Spec versions',
            specs || '—',
            (R.specVersions || [])
              .map(function (s) {
                return s.version + ': ' + s.source;
              })
              .join('\n'),
          ),
          fact('Targets', String(R.targets.length)),
          fact('Results', String(R.results.length)),
          fact('Strict', strict ? 'on' : 'off'),
          fact('Run', run.id || '—'),
        ),
        h(
          'div',
          { class: 'totals', id: 'totals' },
          OUTCOMES.filter(function (o) {
            return c[o];
          }).map(function (o) {
            return pill(o, o + ' ' + c[o], {
              tag: 'button',
              type: 'button',
              title: 'Show only ' + o,
              on: {
                click: function () {
                  setOutcomeOnly(o);
                },
              },
            });
          }),
        ),
      ),
      run.partial
        ? h(
            'div',
            { class: 'wrap' },
            h(
              'p',
              { class: 'banner', id: 'partial-banner' },
              run.interrupted
                ? 'The run was interrupted: these results are partial.'
                : 'The run is still in progress: these results are partial.',
            ),
          )
        : null,
    );
    return header;
  }

  /* ---------- targets ---------- */
  function renderTargets() {
    var byTarget = dict();
    R.results.forEach(function (r) {
      (byTarget[r.target] = byTarget[r.target] || []).push(r);
    });
    var grid = h('div', { class: 'targets', id: 'targets' });
    R.targets.forEach(function (t) {
      var rs = byTarget[t.name] || [];
      var c = counts(rs);
      var bar = h('div', {
        class: 'bar',
        title: OUTCOMES.map(function (o) {
          return o + ': ' + c[o];
        }).join(', '),
      });
      OUTCOMES.forEach(function (o) {
        if (c[o]) {
          var s = h('span', { class: 'o-' + o });
          s.style.flexGrow = String(c[o]);
          bar.appendChild(s);
        }
      });
      var matrix = h(
        'table',
        { class: 'mini matrix-cells' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, 'Version'),
            h('th', null, 'Binding'),
            h('th', null, 'Declared'),
            h('th', null, 'Tested'),
            h('th', null, 'URL / note'),
          ),
        ),
        h(
          'tbody',
          null,
          (t.matrix || []).map(function (m) {
            return h(
              'tr',
              null,
              h('td', null, m.version),
              h('td', null, bindingLabel(m.binding)),
              h('td', { class: m.declared ? 'yes' : 'no' }, m.declared ? 'yes' : 'no'),
              h('td', { class: m.tested ? 'yes' : 'no' }, m.tested ? 'yes' : 'no'),
              h('td', { class: 'mono' }, [m.url || '', m.reason ? h('div', { class: 'muted' }, m.reason) : null]),
            );
          }),
        ),
      );
      var cards = (t.cards || []).map(function (cd) {
        var label =
          'Agent card (' +
          (cd.requestedVersion === 'default' ? 'no A2A-Version header' : 'A2A-Version ' + cd.requestedVersion) +
          ')' +
          (cd.status !== undefined ? ' — HTTP ' + cd.status : '') +
          (cd.error ? ' — error' : '');
        return h(
          'details',
          { class: 'card-snapshot' },
          h('summary', null, label),
          cd.error ? h('p', { class: 'err' }, cd.error) : null,
          cd.card !== undefined ? h('pre', { class: 'code-block' }, pretty(cd.card)) : null,
        );
      });
      var log = t.processLog
        ? h(
            'details',
            { class: 'process-log' },
            h(
              'summary',
              null,
              'Process log' +
                (t.processLog.exitCode !== undefined && t.processLog.exitCode !== null
                  ? ' (exit ' + t.processLog.exitCode + ')'
                  : ''),
            ),
            h('h4', null, 'stdout'),
            h('pre', { class: 'code-block' }, t.processLog.stdout || '(empty)'),
            h('h4', null, 'stderr'),
            h('pre', { class: 'code-block' }, t.processLog.stderr || '(empty)'),
          )
        : null;
      grid.appendChild(
        h(
          'article',
          { class: 'card target-card', data: { target: t.name, status: t.status } },
          h(
            'div',
            { class: 'target-head' },
            h('h3', null, t.name),
            h('span', { class: 'badge ' + (t.status === 'tested' ? 'status-tested' : 'status-bad') }, t.status),
            (t.tags || []).map(function (g) {
              return h('span', { class: 'badge' }, g);
            }),
            h('span', { class: 'muted' }, fmtMs(t.durationMs)),
          ),
          h('div', { class: 'target-url' }, t.url),
          t.statusMessage ? h('div', { class: 'status-message' }, t.statusMessage) : null,
          rs.length ? bar : null,
          h(
            'div',
            { class: 'counts' },
            OUTCOMES.filter(function (o) {
              return c[o];
            }).map(function (o) {
              return pill(o, o + ' ' + c[o]);
            }),
          ),
          (t.matrix || []).length ? matrix : null,
          cards,
          log,
        ),
      );
    });
    return grid;
  }

  function renderTriggers() {
    var u = R.summary?.untestableByTrigger || {};
    var keys = Object.keys(u)
      .filter(function (k) {
        return u[k] > 0;
      })
      .sort(function (a, b) {
        return u[b] - u[a];
      });
    if (!keys.length) return null;
    return h(
      'div',
      { class: 'card triggers', id: 'untestable-triggers' },
      h('h3', null, 'Untestable checks by trigger'),
      keys.map(function (k) {
        return h('span', { class: 'trigger', data: { trigger: k } }, h('code', null, k), plural(u[k], 'check'));
      }),
      h('span', { class: 'muted' }, 'configure these triggers in targets.yaml to test them'),
    );
  }

  /* ---------- filters ---------- */
  var controls = {};
  function chip(group, value, label, n, color) {
    var input = h('input', {
      type: 'checkbox',
      id: 'filter-' + group + '-' + value,
      value: value,
      data: { group: group },
    });
    input.addEventListener('change', function () {
      var list = state[group];
      var i = list.indexOf(value);
      if (input.checked && i < 0) list.push(value);
      else if (!input.checked && i >= 0) list.splice(i, 1);
      applyFilters();
      writeHash();
    });
    controls[group + ':' + value] = input;
    var c = h(
      'label',
      { class: 'chip' + (color ? ' o-chip' : ''), for: input.id },
      input,
      label,
      n !== undefined ? h('span', { class: 'n' }, String(n)) : null,
    );
    if (color) c.style.setProperty('--c', 'var(' + color + ')');
    return c;
  }
  function select(id, key, label, values) {
    var s = h(
      'select',
      { id: id, 'aria-label': label },
      h('option', { value: '' }, 'All ' + label.toLowerCase()),
      values.map(function (v) {
        return h('option', { value: v }, v);
      }),
    );
    s.addEventListener('change', function () {
      state[key] = s.value;
      applyFilters();
      writeHash();
    });
    controls[key] = s;
    return s;
  }
  function renderFilters() {
    var c = counts(R.results);
    var levelCounts = dict();
    rows.forEach(function (r) {
      levelCounts[r.meta.level] = (levelCounts[r.meta.level] || 0) + 1;
    });
    var search = h('input', {
      type: 'search',
      id: 'filter-search',
      placeholder: 'Search id, title, message…',
      'aria-label': 'Search',
    });
    var timer = null;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        state.q = search.value.trim();
        applyFilters();
        writeHash();
      }, 90);
    });
    controls.q = search;
    var reset = h('button', { type: 'button', class: 'btn', id: 'filter-reset' }, 'Reset');
    reset.addEventListener('click', function () {
      state.outcome = [];
      state.level = [];
      state.suite = state.target = state.version = state.binding = state.q = state.grid = '';
      syncControls();
      applyFilters();
      writeHash();
    });
    var uniq = function (f) {
      var seen = [];
      cols.forEach(function (c) {
        var v = f(c);
        if (seen.indexOf(v) < 0) seen.push(v);
      });
      return seen;
    };
    return h(
      'div',
      { class: 'filters', id: 'filters' },
      h(
        'div',
        { class: 'wrap' },
        h(
          'div',
          { class: 'filter-group', role: 'group', 'aria-label': 'Outcome' },
          h('span', { class: 'label' }, 'Outcome'),
          OUTCOMES.map(function (o) {
            return chip('outcome', o, o, c[o], OUTCOME_COLOR[o]);
          }),
        ),
        h(
          'div',
          { class: 'filter-group', role: 'group', 'aria-label': 'Level' },
          h('span', { class: 'label' }, 'Level'),
          LEVELS.filter(function (l) {
            return levelCounts[l];
          }).map(function (l) {
            return chip('level', l, l, levelCounts[l]);
          }),
        ),
        h(
          'div',
          { class: 'filter-group' },
          select('filter-suite', 'suite', 'Suites', suites),
          select(
            'filter-target',
            'target',
            'Targets',
            uniq(function (c) {
              return c.target;
            }),
          ),
          select(
            'filter-version',
            'version',
            'Versions',
            uniq(function (c) {
              return c.version;
            }).sort(function (a, b) {
              return rank(VERSION_ORDER, a) - rank(VERSION_ORDER, b);
            }),
          ),
          select(
            'filter-binding',
            'binding',
            'Bindings',
            uniq(function (c) {
              return c.binding;
            }).sort(function (a, b) {
              return rank(BINDING_ORDER, a) - rank(BINDING_ORDER, b);
            }),
          ),
        ),
        h('div', { class: 'filter-group' }, search, reset),
        h('div', { class: 'filter-status', id: 'filter-status', 'aria-live': 'polite' }),
      ),
    );
  }
  function syncControls() {
    OUTCOMES.forEach(function (o) {
      if (controls['outcome:' + o]) controls['outcome:' + o].checked = state.outcome.indexOf(o) >= 0;
    });
    LEVELS.forEach(function (l) {
      if (controls['level:' + l]) controls['level:' + l].checked = state.level.indexOf(l) >= 0;
    });
    ['suite', 'target', 'version', 'binding', 'grid'].forEach(function (k) {
      var s = controls[k];
      if (!s) return;
      var ok = false;
      for (var i = 0; i < s.options.length; i++) if (s.options[i].value === state[k]) ok = true;
      if (!ok) state[k] = '';
      s.value = state[k];
    });
    controls.q.value = state.q;
  }
  function setOutcomeOnly(o) {
    state.outcome = [o];
    syncControls();
    applyFilters();
    writeHash();
    document.getElementById('matrix-section').scrollIntoView({ block: 'start' });
  }

  /* ---------- matrix ---------- */
  var colCells = cols.map(function () {
    return [];
  });
  var suiteRows = dict();
  var pillByIndex = dict();
  var matrixEl,
    groupHeads = [];
  function colWidth(c) {
    return c.binding === 'card' ? 'minmax(66px, 0.8fr)' : 'minmax(84px, 1fr)';
  }
  function renderMatrix() {
    matrixEl = h('div', { id: 'matrix', role: 'table', 'aria-label': 'Check results by target, version and binding' });
    var groups = [];
    cols.forEach(function (c) {
      var g = groups[groups.length - 1];
      if (g && g.target === c.target) g.cols.push(c);
      else groups.push({ target: c.target, cols: [c] });
    });
    var hTarget = h(
      'div',
      { class: 'm-row h-target', role: 'row' },
      h('div', { class: 'm-corner', role: 'columnheader' }, ''),
    );
    var hCell = h(
      'div',
      { class: 'm-row h-cell', role: 'row' },
      h('div', { class: 'm-corner', role: 'columnheader' }, 'Check'),
    );
    groups.forEach(function (g) {
      var th = h('div', { class: 't-start', role: 'columnheader', data: { target: g.target } }, g.target);
      th.style.gridColumn = 'span ' + g.cols.length;
      groupHeads.push({ el: th, cols: g.cols });
      hTarget.appendChild(th);
      g.cols.forEach(function (c, i) {
        c.start = i === 0;
        var cth = h(
          'div',
          {
            class: 'm-th' + (i === 0 ? ' t-start' : ''),
            role: 'columnheader',
            data: { col: c.index, version: c.version, binding: c.binding },
            title: c.target + ' · ' + c.version + ' · ' + c.binding,
          },
          h('span', { class: 'v' }, c.version),
          h('span', null, c.binding),
        );
        colCells[c.index].push(cth);
        hCell.appendChild(cth);
      });
    });
    matrixEl.appendChild(h('div', { class: 'm-head', role: 'rowgroup' }, hTarget, hCell));
    var body = h('div', { class: 'm-body', role: 'rowgroup' });
    var lastSuite = null;
    rows.forEach(function (row) {
      var m = row.meta;
      if (m.suite !== lastSuite) {
        lastSuite = m.suite;
        var n = rows.filter(function (x) {
          return x.meta.suite === m.suite;
        }).length;
        var sr = h(
          'div',
          { class: 'suite-row', role: 'row', data: { suite: m.suite } },
          h('div', { class: 'suite-label', role: 'rowheader' }, m.suite + ' · ' + plural(n, 'check')),
        );
        suiteRows[m.suite] = { el: sr, rows: [] };
        body.appendChild(sr);
      }
      var outcomes = [];
      row.results.forEach(function (i) {
        var o = R.results[i].outcome;
        if (outcomes.indexOf(o) < 0) outcomes.push(o);
      });
      var worst =
        WORST.filter(function (o) {
          return outcomes.indexOf(o) >= 0;
        })[0] || 'pass';
      var tr = h(
        'div',
        {
          class: 'm-row check-row',
          role: 'row',
          data: { checkId: row.id, suite: m.suite, level: m.level, outcome: worst, outcomes: outcomes.join(' ') },
        },
        h(
          'div',
          { class: 'check', role: 'rowheader' },
          h(
            'div',
            { class: 'check-line' },
            h('span', { class: 'check-id' }, breakable(row.id)),
            h('span', { class: 'badge level-' + m.level }, m.level),
          ),
          m.title && m.title !== row.id ? h('span', { class: 'check-title' }, m.title) : null,
        ),
      );
      var refs = [];
      cols.forEach(function (c) {
        var td = h('div', { class: c.start ? 't-start' : null, role: 'cell', data: { col: c.index } });
        var list = row.byCol[c.key];
        if (!list) td.appendChild(h('span', { class: 'none', title: 'not run for this cell' }, '—'));
        else
          list.forEach(function (i) {
            var r = R.results[i];
            var label = r.baseline === 'expected' ? 'x' + r.outcome : r.baseline === 'stale' ? 'stale' : r.outcome;
            var p = pill(r.outcome, label, {
              tag: 'button',
              type: 'button',
              data: { r: i, baseline: r.baseline },
              title: r.outcome + (r.baseline ? ' (baseline: ' + r.baseline + ')' : '') + ' — ' + (r.message || ''),
            });
            pillByIndex[i] = p;
            refs.push({ pill: p, r: r, col: c.index, msg: String(r.message || '').toLowerCase(), dim: false });
            td.appendChild(p);
          });
        colCells[c.index].push(td);
        tr.appendChild(td);
      });
      row.el = tr;
      row.hay = (row.id + ' ' + (m.title || '') + ' ' + (m.suite || '')).toLowerCase();
      row.refs = refs;
      suiteRows[m.suite].rows.push(row);
      body.appendChild(tr);
    });
    body.addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('button.pill') : null;
      if (b && b.dataset.r !== undefined) openDetail(Number(b.dataset.r));
    });
    matrixEl.appendChild(body);
    return matrixEl;
  }

  var colVisible = cols.map(function () {
    return null;
  });
  function applyFilters() {
    var q = state.q.toLowerCase();
    var oSet = state.outcome,
      lSet = state.level;
    var filtering = oSet.length > 0 || q !== '';
    var colsChanged = false;
    cols.forEach(function (c, i) {
      var v =
        (!state.target || c.target === state.target) &&
        (!state.version || c.version === state.version) &&
        (!state.binding || c.binding === state.binding);
      if (v !== colVisible[i]) {
        colVisible[i] = v;
        colsChanged = true;
        colCells[i].forEach(function (el) {
          el.hidden = !v;
        });
      }
    });
    if (colsChanged) {
      // every row is its own grid: one shared track list keeps the columns aligned
      matrixEl.style.setProperty(
        '--cols',
        ['var(--check-w)']
          .concat(
            cols
              .filter(function (c) {
                return colVisible[c.index];
              })
              .map(colWidth),
          )
          .join(' '),
      );
      groupHeads.forEach(function (g) {
        var n = g.cols.filter(function (c) {
          return colVisible[c.index];
        }).length;
        g.el.hidden = n === 0;
        if (n) g.el.style.gridColumn = 'span ' + n;
      });
    }
    var shownRows = 0,
      shownResults = 0;
    rows.forEach(function (row) {
      var ok = (!lSet.length || lSet.indexOf(row.meta.level) >= 0) && (!state.suite || row.meta.suite === state.suite);
      var any = false,
        rowQ = !q || row.hay.indexOf(q) >= 0;
      for (var i = 0; i < row.refs.length; i++) {
        var ref = row.refs[i];
        if (!colVisible[ref.col]) continue;
        var match = ok && (!oSet.length || oSet.indexOf(ref.r.outcome) >= 0) && (rowQ || ref.msg.indexOf(q) >= 0);
        var dim = filtering && !match;
        if (dim !== ref.dim) {
          ref.dim = dim;
          ref.pill.classList.toggle('dim', dim);
        }
        if (match) {
          any = true;
          shownResults++;
        }
      }
      if (row.el.hidden !== !any) row.el.hidden = !any;
      if (any) shownRows++;
    });
    Object.keys(suiteRows).forEach(function (s) {
      var sr = suiteRows[s];
      var hide = !sr.rows.some(function (r) {
        return !r.el.hidden;
      });
      if (sr.el.hidden !== hide) sr.el.hidden = hide;
    });
    document.getElementById('filter-status').textContent =
      'Showing ' + shownRows + ' of ' + plural(rows.length, 'check') + ' · ' + plural(shownResults, 'result');
    document.getElementById('matrix-empty').hidden = shownRows > 0;
    applyGridFilters();
  }

  /* ---------- version grid (one per target) ---------- */
  var gridViews = [];
  /* very large runs: a target's grid is built when it scrolls near the viewport (or before printing) */
  var GRID_EAGER_RESULTS = 2500;
  var lazyGrids = R.results.length > GRID_EAGER_RESULTS && typeof IntersectionObserver === 'function';
  function gridColWidth(c) {
    return c.binding === 'card' ? 'minmax(66px, 0.8fr)' : 'minmax(80px, 1fr)';
  }
  function flagText(d) {
    return d.kind === 'regression' ? 'regression · ' + d.binding : 'fixed in ' + d.to + ' · ' + d.binding;
  }
  function showGrid(kind, target) {
    state.grid = kind;
    state.target = target || state.target;
    syncControls();
    applyFilters();
    writeHash();
  }
  function renderGrid(g) {
    var view = { g: g, cols: [], colCells: [], colVisible: [], groupHeads: [], rows: [], suiteRows: [] };
    g.versions.forEach(function (v) {
      g.bindings.forEach(function (b, i) {
        view.cols.push({ version: v, binding: b, key: v + '|' + b, index: view.cols.length, start: i === 0 });
        view.colCells.push([]);
        view.colVisible.push(null);
      });
    });
    var first = g.versions[0],
      last = g.versions[g.versions.length - 1];
    var el = h('div', {
      class: 'vgrid',
      role: 'table',
      'aria-label': 'Results of ' + g.target + ' by version and binding',
      data: { target: g.target },
    });
    var hv = h(
      'div',
      { class: 'vg-row vg-hv', role: 'row' },
      h('div', { class: 'vg-corner', role: 'columnheader' }, ''),
    );
    var hb = h(
      'div',
      { class: 'vg-row vg-hb', role: 'row' },
      h('div', { class: 'vg-corner', role: 'columnheader' }, 'Check'),
    );
    g.versions.forEach(function (v) {
      var cs = view.cols.filter(function (c) {
        return c.version === v;
      });
      var th = h('div', { class: 'v-start', role: 'columnheader', data: { version: v } }, 'A2A ' + v);
      th.style.gridColumn = 'span ' + cs.length;
      view.groupHeads.push({ el: th, cols: cs });
      hv.appendChild(th);
      cs.forEach(function (c) {
        var cth = h(
          'div',
          {
            class: c.start ? 'v-start' : null,
            role: 'columnheader',
            data: { version: c.version, binding: c.binding },
            title: 'A2A ' + c.version + ' · ' + c.binding,
          },
          c.binding,
        );
        view.colCells[c.index].push(cth);
        hb.appendChild(cth);
      });
    });
    hv.appendChild(
      h(
        'div',
        { class: 'vg-flags v-start', role: 'columnheader' },
        g.versions.length > 1 ? first + ' → ' + last : 'Version',
      ),
    );
    hb.appendChild(h('div', { class: 'vg-flags v-start', role: 'columnheader' }, 'difference'));
    el.appendChild(h('div', { class: 'vg-head', role: 'rowgroup' }, hv, hb));
    view.el = el;
    var c = g.counts,
      heads = [];
    if (g.versions.length < 2)
      heads.push(h('span', { class: 'muted' }, 'only A2A ' + g.versions.join(', ') + ' tested: nothing to compare'));
    else {
      heads.push(h('span', { class: 'muted' }, plural(c.compared, 'check') + ' on both versions'));
      heads.push(
        c.regressions
          ? h(
              'button',
              {
                type: 'button',
                class: 'flag flag-regression',
                data: { count: 'regression' },
                title: 'Show only regressions',
                on: {
                  click: function () {
                    showGrid('regression', g.target);
                  },
                },
              },
              plural(c.regressions, 'regression'),
            )
          : h('span', { class: 'flag', data: { count: 'regression' } }, 'no regressions'),
      );
      if (c.fixed)
        heads.push(
          h(
            'button',
            {
              type: 'button',
              class: 'flag flag-fixed',
              data: { count: 'fixed' },
              title: 'Show only differences',
              on: {
                click: function () {
                  showGrid('diff', g.target);
                },
              },
            },
            c.fixed + ' fixed in ' + last,
          ),
        );
    }
    Object.keys(c.only)
      .sort(function (a, b) {
        return rank(VERSION_ORDER, a) - rank(VERSION_ORDER, b);
      })
      .forEach(function (v) {
        heads.push(
          h(
            'button',
            {
              type: 'button',
              class: 'flag flag-only',
              data: { count: 'only-' + v },
              title: 'Show only checks that exist in one version',
              on: {
                click: function () {
                  showGrid('only', g.target);
                },
              },
            },
            v + ' only: ' + c.only[v],
          ),
        );
      });
    if (c.oneVersionFailures)
      heads.push(h('span', { class: 'flag flag-only failing' }, plural(c.oneVersionFailures, 'one-version failure')));
    view.status = h('span', { class: 'vg-status muted' }, plural(g.rows.length, 'row'));
    view.empty = h('div', { class: 'empty', hidden: true }, 'No rows match the filters.');
    if (lazyGrids) {
      view.placeholder = h(
        'div',
        { class: 'empty vg-placeholder' },
        plural(g.rows.length, 'row') + ' · rendered when scrolled into view',
      );
      view.placeholder.style.height = Math.min(g.rows.length * 46, Math.round(window.innerHeight * 0.7)) + 'px';
    }
    view.card = h(
      'article',
      { class: 'card vgrid-card', data: { target: g.target } },
      h('div', { class: 'vgrid-head' }, h('h3', null, g.target), heads, view.status),
      h('div', { class: 'vgrid-wrap' }, el, view.placeholder, view.empty),
    );
    gridViews.push(view);
    if (lazyGrids) gridColumns(view);
    else buildGridBody(view);
    return view.card;
  }
  function observeGrids() {
    if (!lazyGrids) return;
    var io = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting) return;
          io.unobserve(e.target);
          gridViews.forEach(function (v) {
            if (v.card === e.target) buildGridBody(v);
          });
        });
      },
      { rootMargin: '400px 0px' },
    );
    gridViews.forEach(function (v) {
      io.observe(v.card);
    });
    window.addEventListener('beforeprint', function () {
      gridViews.forEach(buildGridBody);
    });
  }
  function buildGridBody(view) {
    if (view.built) return;
    view.built = true;
    var g = view.g;
    var body = h('div', { class: 'vg-body', role: 'rowgroup' });
    var lastSuite = null,
      suiteView = null;
    g.rows.forEach(function (row) {
      var m = row.meta;
      if (m.suite !== lastSuite) {
        lastSuite = m.suite;
        suiteView = {
          el: h(
            'div',
            { class: 'suite-row', role: 'row', data: { suite: m.suite } },
            h('div', { class: 'suite-label', role: 'rowheader' }, m.suite),
          ),
          rows: [],
        };
        view.suiteRows.push(suiteView);
        body.appendChild(suiteView.el);
      }
      var kinds = [];
      if (row.nRegressions) kinds.push('regression');
      if (row.diffs.length > row.nRegressions) kinds.push('fixed');
      if (row.only) kinds.push('only');
      if (row.oneVersionFailure) kinds.push('only-failing');
      var ids = [];
      row.ids.forEach(function (id, i) {
        if (i) ids.push(' / ');
        ids.push(breakable(id));
      });
      var tr = h(
        'div',
        {
          class: 'vg-row vg-check' + (row.nRegressions ? ' is-regression' : ''),
          role: 'row',
          data: { scenario: row.scenario, checkIds: row.ids.join(' '), diff: kinds.join(' ') || null },
        },
        h(
          'div',
          { class: 'check', role: 'rowheader' },
          h(
            'div',
            { class: 'check-line' },
            h('span', { class: 'check-id' }, ids),
            h('span', { class: 'badge level-' + m.level }, m.level),
          ),
          m.title && m.title !== row.ids[0] ? h('span', { class: 'check-title' }, m.title) : null,
          row.ids.indexOf(row.scenario) < 0
            ? h('span', { class: 'scenario-note muted' }, 'scenario ' + row.scenario)
            : null,
        ),
      );
      var refs = [];
      view.cols.forEach(function (c) {
        var td = h('div', { class: c.start ? 'v-start' : null, role: 'cell' });
        var list = row.cells[c.key];
        if (!list)
          td.appendChild(
            h(
              'span',
              {
                class: 'none',
                title: row.only && row.only !== c.version ? 'not in A2A ' + c.version : 'not run for this cell',
              },
              '—',
            ),
          );
        else
          list.forEach(function (i) {
            var r = R.results[i];
            var label = r.baseline === 'expected' ? 'x' + r.outcome : r.baseline === 'stale' ? 'stale' : r.outcome;
            var p = pill(r.outcome, row.ids.length > 1 ? label + ' · ' + r.checkId.split('.').pop() : label, {
              tag: 'button',
              type: 'button',
              data: { r: i, baseline: r.baseline },
              title:
                r.checkId +
                ' · ' +
                r.outcome +
                (r.baseline ? ' (baseline: ' + r.baseline + ')' : '') +
                ' — ' +
                (r.message || ''),
            });
            refs.push({ pill: p, r: r, col: c.index, msg: String(r.message || '').toLowerCase(), dim: false });
            td.appendChild(p);
          });
        view.colCells[c.index].push(td);
        tr.appendChild(td);
      });
      var flags = row.diffs.map(function (d) {
        return h(
          'span',
          {
            class: 'flag flag-' + d.kind,
            data: { binding: d.binding },
            title: d.binding + ': ' + d.before + ' on ' + d.from + ', ' + d.after + ' on ' + d.to,
          },
          flagText(d),
        );
      });
      if (row.only)
        flags.push(
          h(
            'span',
            {
              class: 'flag flag-only' + (row.oneVersionFailure ? ' failing' : ''),
              title: 'specified for A2A ' + row.only + ' only' + (row.oneVersionFailure ? '; fails here' : ''),
            },
            row.only + ' only',
          ),
        );
      tr.appendChild(h('div', { class: 'vg-flags v-start', role: 'cell' }, flags.length ? flags : null));
      var rv = {
        row: row,
        el: tr,
        refs: refs,
        hay: (row.ids.join(' ') + ' ' + row.scenario + ' ' + (m.title || '') + ' ' + (m.suite || '')).toLowerCase(),
      };
      view.rows.push(rv);
      suiteView.rows.push(rv);
      body.appendChild(tr);
    });
    body.addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('button.pill') : null;
      if (b && b.dataset.r !== undefined) openDetail(Number(b.dataset.r), b);
    });
    view.el.appendChild(body);
    if (view.placeholder) {
      view.placeholder.remove();
      view.placeholder = null;
    }
    view.colVisible = view.cols.map(function () {
      return null;
    }); /* re-sync the new body cells */
    applyGridView(view);
  }
  function renderVersionGrids() {
    if (!grids.length) return null;
    var show = h(
      'select',
      { id: 'vgrid-show', 'aria-label': 'Rows of the version grids' },
      h('option', { value: '' }, 'All rows'),
      h('option', { value: 'diff' }, 'Differences between versions'),
      h('option', { value: 'regression' }, 'Regressions only'),
      h('option', { value: 'only' }, 'Checks in one version only'),
    );
    show.addEventListener('change', function () {
      state.grid = show.value;
      applyFilters();
      writeHash();
    });
    controls.grid = show;
    var versions = [];
    grids.forEach(function (g) {
      g.versions.forEach(function (v) {
        if (versions.indexOf(v) < 0) versions.push(v);
      });
    });
    versions.sort(function (a, b) {
      return rank(VERSION_ORDER, a) - rank(VERSION_ORDER, b);
    });
    var first = versions[0],
      last = versions[versions.length - 1];
    return h(
      'section',
      { id: 'versions-section' },
      h(
        'div',
        { class: 'wrap' },
        h(
          'div',
          { class: 'section-title' },
          h('h2', null, 'Versions'),
          h(
            'span',
            { class: 'muted' },
            versions.length > 1
              ? 'per target · rows aligned by scenario · a regression passes on ' +
                  first +
                  ' and fails on ' +
                  last +
                  ' in the same binding'
              : 'per target · rows aligned by scenario',
          ),
          h('span', { class: 'grow' }),
          show,
        ),
        h('div', { class: 'vgrids', id: 'vgrids' }, grids.map(renderGrid)),
      ),
    );
  }
  function applyGridFilters() {
    gridViews.forEach(function (view) {
      var on = !state.target || view.g.target === state.target;
      if (view.card.hidden !== !on) view.card.hidden = !on;
      if (on) {
        if (view.built) applyGridView(view);
        else gridColumns(view);
      }
    });
  }
  /* binding filter: hide the other bindings' columns in both versions (the comparison stays side by side) */
  function gridColumns(view) {
    var changed = false;
    view.cols.forEach(function (c, i) {
      var v = !state.binding || c.binding === state.binding;
      if (v !== view.colVisible[i]) {
        view.colVisible[i] = v;
        changed = true;
        view.colCells[i].forEach(function (el) {
          el.hidden = !v;
        });
      }
    });
    if (changed) {
      view.el.style.setProperty(
        '--cols',
        ['var(--check-w)']
          .concat(
            view.cols
              .filter(function (c) {
                return view.colVisible[c.index];
              })
              .map(gridColWidth),
            ['minmax(170px, 1.4fr)'],
          )
          .join(' '),
      );
      view.groupHeads.forEach(function (gh) {
        var n = gh.cols.filter(function (c) {
          return view.colVisible[c.index];
        }).length;
        gh.el.hidden = n === 0;
        if (n) gh.el.style.gridColumn = 'span ' + n;
      });
    }
  }
  function applyGridView(view) {
    var q = state.q.toLowerCase(),
      oSet = state.outcome,
      lSet = state.level,
      show = state.grid;
    var filtering = oSet.length > 0 || q !== '' || state.version !== '';
    gridColumns(view);
    var shown = 0;
    view.rows.forEach(function (rv) {
      var row = rv.row;
      var kindOk = !show || (show === 'diff' ? row.isDiff : show === 'regression' ? row.nRegressions > 0 : !!row.only);
      var ok =
        kindOk &&
        (!lSet.length || lSet.indexOf(row.meta.level) >= 0) &&
        (!state.suite || row.meta.suite === state.suite);
      var any = false,
        rowQ = !q || rv.hay.indexOf(q) >= 0;
      for (var i = 0; i < rv.refs.length; i++) {
        var ref = rv.refs[i];
        if (!view.colVisible[ref.col]) continue;
        var match =
          ok &&
          (!oSet.length || oSet.indexOf(ref.r.outcome) >= 0) &&
          (!state.version || ref.r.version === state.version) &&
          (rowQ || ref.msg.indexOf(q) >= 0);
        var dim = filtering && !match;
        if (dim !== ref.dim) {
          ref.dim = dim;
          ref.pill.classList.toggle('dim', dim);
        }
        if (match) any = true;
      }
      if (rv.el.hidden !== !any) rv.el.hidden = !any;
      if (any) shown++;
    });
    view.suiteRows.forEach(function (sv) {
      var hide = !sv.rows.some(function (rv) {
        return !rv.el.hidden;
      });
      if (sv.el.hidden !== hide) sv.el.hidden = hide;
    });
    view.status.textContent =
      shown === view.rows.length ? plural(shown, 'row') : 'showing ' + shown + ' of ' + plural(view.rows.length, 'row');
    view.empty.hidden = shown > 0;
  }

  /* ---------- version negotiation (results of the "versions" suite), per target ---------- */
  function renderNegotiation() {
    var byTarget = dict(),
      list = [];
    R.results.forEach(function (r, idx) {
      var m = meta(r.checkId);
      if (m.suite !== NEGOTIATION_SUITE) return;
      var t = byTarget[r.target];
      if (!t) {
        t = byTarget[r.target] = { target: r.target, cols: [], rowBy: dict(), rows: [] };
        list.push(t);
      }
      var key = r.version + '|' + bindingLabel(r.binding);
      if (
        !t.cols.some(function (c) {
          return c.key === key;
        })
      )
        t.cols.push({ key: key, version: r.version, binding: bindingLabel(r.binding) });
      var row = t.rowBy[r.checkId];
      if (!row) {
        row = t.rowBy[r.checkId] = { id: r.checkId, meta: m, cells: dict() };
        t.rows.push(row);
      }
      (row.cells[key] = row.cells[key] || []).push(idx);
    });
    if (!list.length) return null;
    list.sort(function (a, b) {
      return targetIndex[a.target] - targetIndex[b.target];
    });
    var cards = list.map(function (t) {
      t.cols.sort(function (a, b) {
        return (
          rank(VERSION_ORDER, a.version) - rank(VERSION_ORDER, b.version) ||
          rank(BINDING_ORDER, a.binding) - rank(BINDING_ORDER, b.binding)
        );
      });
      t.rows.sort(function (a, b) {
        return ord(a.id) - ord(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      var oneVersion = t.cols.every(function (c) {
        return c.version === t.cols[0].version;
      });
      var table = h(
        'table',
        { class: 'mini nego' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, 'Check'),
            t.cols.map(function (c) {
              return h('th', null, oneVersion ? c.binding : c.version + ' · ' + c.binding);
            }),
          ),
        ),
        h(
          'tbody',
          null,
          t.rows.map(function (row) {
            return h(
              'tr',
              { data: { checkId: row.id } },
              h(
                'td',
                { class: 'nego-check' },
                row.meta.title || row.id,
                row.meta.title && row.meta.title !== row.id ? h('span', { class: 'check-id muted' }, row.id) : null,
              ),
              t.cols.map(function (c) {
                var idxs = row.cells[c.key];
                if (!idxs) return h('td', null, h('span', { class: 'none' }, '—'));
                return h(
                  'td',
                  { data: { binding: c.binding } },
                  idxs.map(function (i) {
                    var r = R.results[i];
                    return h(
                      'div',
                      { class: 'nego-result' },
                      pill(r.outcome, undefined, {
                        tag: 'button',
                        type: 'button',
                        data: { r: i },
                        title: r.outcome + ' — open details',
                      }),
                      h('span', { class: 'nego-msg' }, r.message || ''),
                    );
                  }),
                );
              }),
            );
          }),
        ),
      );
      table.addEventListener('click', function (e) {
        var b = e.target.closest ? e.target.closest('button.pill') : null;
        if (b && b.dataset.r !== undefined) openDetail(Number(b.dataset.r), b);
      });
      var vs = [];
      t.cols.forEach(function (c) {
        if (vs.indexOf(c.version) < 0) vs.push(c.version);
      });
      return h(
        'article',
        { class: 'card nego-card', data: { target: t.target } },
        h(
          'div',
          { class: 'target-head' },
          h('h3', null, t.target),
          h('span', { class: 'muted' }, 'A2A ' + vs.join(', ') + ' · ' + plural(t.rows.length, 'check')),
        ),
        table,
      );
    });
    return h(
      'section',
      { id: 'negotiation-section' },
      h(
        'div',
        { class: 'section-title' },
        h('h2', null, 'Version negotiation'),
        h(
          'span',
          { class: 'muted' },
          'what each server did with the A2A-Version header · click an outcome for the exchange',
        ),
      ),
      h('div', { class: 'targets negotiation', id: 'negotiation' }, cards),
    );
  }

  /* ---------- detail panel ---------- */
  var detail,
    detailBody,
    detailTitle,
    selected = null;
  function renderDetailShell() {
    detailBody = h('div', { class: 'detail-body', id: 'detail-body' });
    detailTitle = h('div', { class: 'titles' });
    var close = h(
      'button',
      { type: 'button', class: 'btn detail-close', id: 'detail-close', 'aria-label': 'Close details' },
      'Close ✕',
    );
    close.addEventListener('click', closeDetail);
    detail = h(
      'aside',
      {
        class: 'detail',
        id: 'detail',
        hidden: true,
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': 'detail-title',
      },
      h('div', { class: 'detail-head' }, detailTitle, close),
      detailBody,
    );
    return detail;
  }
  function kv(pairs) {
    var dl = h('dl', { class: 'kv' });
    pairs.forEach(function (p) {
      if (p && p[1] !== undefined && p[1] !== null && p[1] !== '') {
        dl.appendChild(h('dt', null, p[0]));
        dl.appendChild(h('dd', null, p[1]));
      }
    });
    return dl;
  }
  function headersTable(hdrs) {
    var keys = Object.keys(hdrs || {});
    if (!keys.length) return h('p', { class: 'body-note' }, 'no headers recorded');
    return h(
      'table',
      { class: 'headers' },
      h(
        'tbody',
        null,
        keys.map(function (k) {
          return h('tr', null, h('td', null, k), h('td', null, String(hdrs[k])));
        }),
      ),
    );
  }
  function bodyBlock(b, what) {
    if (!b) return h('p', { class: 'body-note' }, 'no ' + what + ' body');
    var note =
      b.bytes + ' bytes' + (b.truncated ? ' — truncated in the transcript (showing ' + b.text.length + ' chars)' : '');
    return [
      h('p', { class: 'body-note' }, what + ' body · ' + note),
      h('pre', { class: 'code-block body' }, prettyText(b.text)),
    ];
  }
  function schemaErrors(list) {
    if (!list?.length) return null;
    return h(
      'ul',
      { class: 'schema-errors' },
      list.map(function (e) {
        return h(
          'li',
          { class: 'schema-error' },
          h('code', null, e.path || '/'),
          ' ',
          e.message,
          ' ',
          h('span', { class: 'muted' }, '(' + e.schema + ')'),
          e.expected ? [' · expected ', h('code', null, e.expected)] : null,
          e.actual ? [' · actual ', h('code', null, e.actual)] : null,
        );
      }),
    );
  }
  function statusClass(s) {
    var d = String(s).charAt(0);
    return 'status ' + (d === '2' || d === '3' || d === '4' || d === '5' ? 's' + d : 'sx');
  }
  // gRPC calls: the bodies above are ProtoJSON of each protobuf message (sizes are protobuf bytes); this adds the
  // status, trailers, the decoded grpc-status-details-bin and each message's size, arrival and unknown fields.
  function grpcBadge(st) {
    return h('span', { class: 'status ' + (st.code === 0 ? 's2' : 's4') }, 'gRPC ' + st.name);
  }
  function grpcBlock(g) {
    var out = [h('h4', null, 'gRPC · ' + g.method + ' · ' + g.address + (g.tls ? ' (TLS)' : ' (plaintext)'))];
    var extras = g.requestUnknownFields ? ' · sent as unknown fields: ' + g.requestUnknownFields.join(', ') : '';
    var rows = [['request message', g.requestBytes + ' bytes' + extras]];
    if (g.status)
      rows.push(['status', g.status.code + ' ' + g.status.name + (g.status.message ? ' — ' + g.status.message : '')]);
    (g.responses || []).forEach(function (m, i) {
      var unknown = m.unknownFields ? ' · unknown: ' + m.unknownFields.join('; ') : '';
      var text = 't+' + m.t + ' ms · ' + m.bytes + ' bytes' + unknown + (m.error ? ' · ' + m.error : '');
      rows.push(['response message ' + i, text]);
    });
    var trs = rows.map(function (r) {
      return h('tr', null, h('td', null, r[0]), h('td', null, r[1]));
    });
    out.push(h('table', { class: 'headers' }, h('tbody', null, trs)));
    if (g.trailers) {
      out.push(h('p', { class: 'body-note' }, 'trailers'));
      out.push(headersTable(g.trailers));
    }
    if (g.statusDetails) {
      out.push(h('p', { class: 'body-note' }, 'grpc-status-details-bin (google.rpc.Status)'));
      out.push(h('pre', { class: 'code-block body' }, JSON.stringify(g.statusDetails, null, 2)));
    }
    return out;
  }
  function exchangeView(x, open) {
    var res = x.response;
    var sum = h(
      'summary',
      null,
      h('span', { class: 'muted' }, '#' + x.seq),
      h('strong', null, x.label || ''),
      h('span', { class: 'method' }, x.request ? x.request.method : '?'),
      h('span', { class: 'url' }, x.request ? x.request.url : ''),
      x.grpc?.status
        ? grpcBadge(x.grpc.status)
        : res
          ? h('span', { class: statusClass(res.status) }, String(res.status))
          : x.error
            ? h('span', { class: 'status sx' }, 'no response')
            : null,
      h(
        'span',
        { class: 'muted' },
        [
          x.headersMs !== undefined ? 'headers ' + fmtMs(x.headersMs) : '',
          x.durationMs !== undefined ? ' · total ' + fmtMs(x.durationMs) : '',
        ].join(''),
      ),
    );
    var body = h('div', { class: 'x-body' });
    body.appendChild(h('h4', null, 'Request'));
    if (x.request) {
      append(body, headersTable(x.request.headers));
      append(body, bodyBlock(x.request.body, 'request'));
    }
    if (x.error) body.appendChild(h('p', { class: 'err' }, 'Transport error: ' + x.error));
    if (res) {
      body.appendChild(h('h4', null, 'Response · ' + res.status));
      append(body, headersTable(res.headers));
      if (res.body || !res.events) append(body, bodyBlock(res.body, 'response'));
      if (res.events) {
        body.appendChild(
          h(
            'h4',
            null,
            'SSE events · ' +
              res.events.length +
              (res.streamEnd ? ' · stream end: ' + res.streamEnd : '') +
              (res.comments ? ' · ' + plural(res.comments, 'keep-alive comment') : ''),
          ),
        );
        body.appendChild(
          h(
            'ol',
            { class: 'sse-events' },
            res.events.map(function (e) {
              return h(
                'li',
                { class: 'sse-event' },
                h('span', { class: 't' }, 't+' + e.t + ' ms'),
                h(
                  'div',
                  null,
                  e.event ? h('span', { class: 'badge' }, 'event: ' + e.event) : null,
                  h('pre', { class: 'sse-data' }, e.data),
                  schemaErrors(e.schemaErrors),
                ),
              );
            }),
          ),
        );
      }
    }
    if (x.grpc) append(body, grpcBlock(x.grpc));
    if (x.schemaErrors?.length) {
      body.appendChild(h('h4', null, 'Schema errors'));
      body.appendChild(schemaErrors(x.schemaErrors));
    }
    return h('details', { class: 'exchange', open: open ? true : null, data: { seq: x.seq } }, sum, body);
  }
  function openDetail(idx, from) {
    var r = R.results[idx];
    if (!r) {
      closeDetail();
      return;
    }
    var m = meta(r.checkId);
    detailTitle.textContent = '';
    append(detailTitle, [
      h(
        'div',
        { class: 'counts' },
        pill(r.outcome),
        h('span', { class: 'badge level-' + m.level }, m.level),
        r.baseline ? h('span', { class: 'badge' }, 'baseline: ' + r.baseline) : null,
      ),
      h('h2', { id: 'detail-title' }, m.title || r.checkId),
      h('div', { class: 'check-id' }, r.checkId),
    ]);
    detailBody.textContent = '';
    var b = detailBody;
    b.appendChild(
      kv([
        ['Target', r.target],
        ['Version', 'A2A ' + r.version],
        ['Binding', bindingLabel(r.binding)],
        ['Suite', m.suite],
        ['Duration', fmtMs(r.durationMs)],
        ['Unlocked by', r.unlockedBy ? 'trigger "' + r.unlockedBy + '"' : null],
      ]),
    );
    if (m.requirement) {
      b.appendChild(h('h4', null, 'Requirement'));
      b.appendChild(h('p', { class: 'requirement' }, m.requirement));
    }
    var refs = own(m.specRefs, r.version) || [];
    if (refs.length) {
      b.appendChild(h('h4', null, 'Specification (A2A ' + r.version + ')'));
      b.appendChild(
        h(
          'ul',
          { class: 'details spec-refs' },
          refs.map(function (s) {
            return h(
              'li',
              null,
              link('§' + s.section, s.url),
              s.req ? ' · ' + s.req : null,
              s.note ? h('span', { class: 'muted' }, ' — ' + s.note) : null,
            );
          }),
        ),
      );
    }
    b.appendChild(h('h4', null, 'Message'));
    b.appendChild(h('div', { class: 'message o-' + r.outcome, id: 'detail-message' }, r.message || '(none)'));
    if (r.details?.length)
      b.appendChild(
        h(
          'ul',
          { class: 'details' },
          r.details.map(function (d) {
            return h('li', null, d);
          }),
        ),
      );
    if (r.baseline) {
      b.appendChild(h('h4', null, 'Baseline'));
      var expl =
        r.baseline === 'expected'
          ? 'Expected failure: listed in expectedFailures, does not fail the run.'
          : r.baseline === 'stale'
            ? 'Stale expected failure: the check now passes; remove it from expectedFailures.'
            : 'Unexpected: not covered by expectedFailures.';
      b.appendChild(
        h('p', null, expl, r.baselineReason ? h('span', { class: 'muted' }, ' Reason: ' + r.baselineReason) : null),
      );
    }
    if (r.expectations?.length) {
      b.appendChild(h('h4', null, 'Expected vs actual'));
      r.expectations.forEach(function (e) {
        b.appendChild(
          h(
            'div',
            { class: 'expectation' },
            h('div', { class: 'path' }, e.path || '(value)'),
            h(
              'div',
              { class: 'ea' },
              h('div', { class: 'exp' }, h('div', { class: 'lbl' }, 'expected'), h('pre', null, pretty(e.expected))),
              h('div', { class: 'act' }, h('div', { class: 'lbl' }, 'actual'), h('pre', null, pretty(e.actual))),
            ),
          ),
        );
      });
    }
    if (r.metrics && Object.keys(r.metrics).length) {
      b.appendChild(h('h4', null, 'Metrics'));
      b.appendChild(
        h(
          'table',
          { class: 'mini metrics' },
          h(
            'tbody',
            null,
            Object.keys(r.metrics).map(function (k) {
              return h('tr', null, h('th', null, k), h('td', null, String(r.metrics[k])));
            }),
          ),
        ),
      );
    }
    var ids = r.transcriptIds || [];
    b.appendChild(h('h4', null, 'Transcripts · ' + ids.length));
    if (!ids.length) b.appendChild(h('p', { class: 'muted' }, 'No HTTP exchanges were recorded for this result.'));
    ids.forEach(function (id) {
      var t = own(R.transcripts, id);
      var box = h(
        'div',
        { class: 'transcript', data: { transcript: id } },
        h('div', { class: 'muted mono' }, 'transcript ' + id),
      );
      if (!t) box.appendChild(h('p', { class: 'err' }, 'missing from results.json'));
      else {
        t.exchanges.forEach(function (x, i) {
          box.appendChild(exchangeView(x, i < 3));
        });
        if (t.droppedExchanges)
          box.appendChild(
            h('p', { class: 'body-note' }, plural(t.droppedExchanges, 'more exchange') + ' dropped (transcript cap).'),
          );
      }
      b.appendChild(box);
    });
    if (selected) selected.classList.remove('selected');
    selected = from || pillByIndex[idx] || null;
    if (selected) selected.classList.add('selected');
    detail.hidden = false;
    detailBody.scrollTop = 0;
    state.r = idx;
    writeHash();
  }
  function closeDetail() {
    detail.hidden = true;
    if (selected) {
      selected.classList.remove('selected');
      selected.focus({ preventScroll: true });
      selected = null;
    }
    state.r = null;
    writeHash();
  }

  /* ---------- boot ---------- */
  app.textContent = '';
  var triggers = renderTriggers();
  append(app, [
    renderHeader(),
    h(
      'main',
      null,
      h(
        'div',
        { class: 'wrap' },
        h(
          'section',
          { id: 'targets-section' },
          h(
            'div',
            { class: 'section-title' },
            h('h2', null, 'Targets'),
            h('span', { class: 'muted' }, String(R.targets.length)),
          ),
          renderTargets(),
        ),
        triggers ? h('section', null, triggers) : null,
        renderNegotiation(),
      ),
      h(
        'section',
        { id: 'matrix-section' },
        h(
          'div',
          { class: 'wrap' },
          h(
            'div',
            { class: 'section-title' },
            h('h2', null, 'Results'),
            h(
              'span',
              { class: 'muted' },
              'rows: checks by suite · columns: target · version · binding · click a cell for details',
            ),
          ),
        ),
        renderFilters(),
        h(
          'div',
          { class: 'wrap' },
          h(
            'div',
            { class: 'matrix-wrap' },
            renderMatrix(),
            h('div', { class: 'empty', id: 'matrix-empty', hidden: true }, 'No checks match the filters.'),
          ),
        ),
        /* inside the results section, so the sticky filters stay at hand and apply to the grids too */
        renderVersionGrids(),
      ),
    ),
    renderDetailShell(),
  ]);

  function fromHash() {
    readHash();
    syncControls();
    applyFilters();
    if (state.r !== null) openDetail(state.r);
    else if (!detail.hidden) {
      detail.hidden = true;
    }
  }
  window.addEventListener('hashchange', function () {
    if (location.hash.replace(/^#/, '') !== lastHash) fromHash();
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !detail.hidden) closeDetail();
  });
  fromHash();
  observeGrids();
  document.documentElement.dataset.ready = 'true';
})();
