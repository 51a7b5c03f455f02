// wordspace explorer: plain JavaScript and SVG, no libraries, no network
// beyond this server's /api.
'use strict';

const $ = (id) => document.getElementById(id);
const SVGNS = 'http://www.w3.org/2000/svg';

// h builds an HTML element: h('li', {class: 'x', onclick: f}, 'text', child).
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// s builds an SVG element.
function s(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  setAttrs(e, attrs);
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// fill replaces the children of e, skipping null ones.
function fill(e, ...children) {
  e.textContent = '';
  for (const c of children) if (c != null) e.append(c);
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
}

const fmt = (x, d = 3) => (x == null ? '–' : Number(x).toFixed(d));

// api calls the server: GET with query parameters (arrays are repeated),
// or POST with a JSON body. It throws the server's error message.
async function api(path, params, body) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v == null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, v);
  }
  const url = 'api/' + path + (q.toString() ? '?' + q : '');
  const init = body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {};
  const resp = await fetch(url, init);
  let data;
  try {
    data = await resp.json();
  } catch (e) {
    throw new Error(`${resp.status} ${resp.statusText}`);
  }
  if (!resp.ok) throw new Error(data.error || `${resp.status} ${resp.statusText}`);
  return data;
}

function say(msg) { $('message').textContent = msg || ''; }

const state = { info: null, center: null, pos: [], neg: [], method: 'pca', seq: 0, analogyLoaded: false, axisLoaded: false, ctxLoaded: false };

// ---------------------------------------------------------------- colours

function hex(c) { return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)); }
function ramp(stops) {
  const cs = stops.map(hex);
  return (t) => {
    t = Math.min(1, Math.max(0, t));
    const x = t * (cs.length - 1), i = Math.min(cs.length - 2, Math.floor(x)), f = x - i;
    const c = cs[i].map((v, j) => Math.round(v + f * (cs[i + 1][j] - v)));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };
}
function rampCSS(r) {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((t) => r(t));
  return `linear-gradient(to right, ${steps.join(',')})`;
}
// Cosine with the centre: light to dark blue (stays visible on white).
const blues = ramp(['#9ecae1', '#4292c6', '#2171b5', '#08306b']);
// Crowd stereotype score, −1 (female) to +1 (male): orange – grey – purple,
// a colour-blind-safe diverging scale.
const stereo = ramp(['#e66101', '#fdb863', '#d9d9d9', '#b2abd2', '#5e3c99']);
// The same scale, dark enough for text.
const stereoText = ramp(['#a34700', '#8a5a2b', '#555555', '#5a4a82', '#3f2470']);
// Attention weight 0 to 1.
const heat = ramp(['#ffffff', '#c6dbef', '#6baed6', '#2171b5', '#08306b']);

// ---------------------------------------------------------------- text measure

const measureCtx = document.createElement('canvas').getContext('2d');
function textWidth(text, px, bold) {
  const family = getComputedStyle(document.body).fontFamily;
  measureCtx.font = `${bold ? '700 ' : ''}${px}px ${family}`;
  return measureCtx.measureText(text).width;
}

// ---------------------------------------------------------------- tooltip

function tip(html, x, y) {
  const t = $('tooltip');
  t.textContent = '';
  for (const line of html) t.append(h('div', {}, line));
  t.hidden = false;
  const r = t.getBoundingClientRect();
  let left = x + 14, top = y + 14;
  if (left + r.width > innerWidth - 8) left = x - r.width - 14;
  if (top + r.height > innerHeight - 8) top = y - r.height - 14;
  t.style.left = left + 'px';
  t.style.top = top + 'px';
}
function untip() { $('tooltip').hidden = true; }

// ---------------------------------------------------------------- scatter map

// overlaps reports whether boxes a and b (x0, y0, x1, y1) intersect.
const overlaps = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

// drawScatter draws points {word, x, y, cos} on svg with equal scales on
// both axes, colours by cosine with the centre, and places labels greedily
// (centre first, then by cosine) where they hide neither another label nor
// a point; the others show on hover. It returns the number of hidden labels
// and the range of cosines coloured.
function drawScatter(svg, points, opt) {
  svg.textContent = '';
  const box = svg.getBoundingClientRect();
  const W = Math.max(300, box.width), H = Math.max(260, box.height);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  if (!points.length) return { hidden: 0, cmin: null, cmax: null };
  const padX = 70, padY = 34;
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  // PCA keeps one scale for both axes (its distances mean something);
  // t-SNE's do not, so its picture fills the box.
  let sx = (W - 2 * padX) / (x1 - x0 || 1), sy = (H - 2 * padY) / (y1 - y0 || 1);
  if (opt.equalAspect) sx = sy = Math.min(sx, sy);
  const ox = (W - sx * (x1 - x0)) / 2, oy = (H - sy * (y1 - y0)) / 2;
  const X = (x) => ox + sx * (x - x0), Y = (y) => H - (oy + sy * (y - y0)); // y up
  const cosines = points.filter((p) => p.cos != null && !p.center).map((p) => p.cos);
  const cmin = Math.min(...cosines), cmax = Math.max(...cosines);
  const colour = (p) => (p.cos == null ? '#4292c6' : blues((p.cos - cmin) / (cmax - cmin || 1)));
  const R = 5.5;

  if (opt.arrows) {
    const defs = s('defs', {}, s('marker', { id: 'head', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#444' })));
    svg.append(defs);
    const at = Object.fromEntries(points.map((p) => [p.word, p]));
    for (const [a, b] of opt.arrows) {
      const p = at[a], q = at[b];
      if (!p || !q) continue;
      const dx = X(q.x) - X(p.x), dy = Y(q.y) - Y(p.y), d = Math.hypot(dx, dy) || 1;
      svg.append(s('line', { class: 'arrow', x1: X(p.x) + dx / d * 8, y1: Y(p.y) + dy / d * 8, x2: X(q.x) - dx / d * 9, y2: Y(q.y) - dy / d * 9, 'marker-end': 'url(#head)' }));
    }
  }

  const order = points.map((p, i) => i).sort((a, b) => {
    const pa = points[a], pb = points[b];
    if (!!pb.center !== !!pa.center) return pb.center ? 1 : -1;
    return (pb.cos ?? 0) - (pa.cos ?? 0);
  });
  const dots = points.map((p) => [X(p.x) - R - 1, Y(p.y) - R - 1, X(p.x) + R + 1, Y(p.y) + R + 1]);
  const placed = [];
  let hidden = 0;
  const groups = new Array(points.length);
  for (const i of order) {
    const p = points[i], cx = X(p.x), cy = Y(p.y);
    const size = p.center ? 15 : 13, w = textWidth(p.word, size, p.center);
    const r = p.center ? R + 4 : R; // the centre's ring is larger
    const cands = [
      [cx + r + 4, cy + size / 3], [cx - r - 4 - w, cy + size / 3],
      [cx - w / 2, cy - r - 5], [cx - w / 2, cy + r + size + 2],
      [cx + r + 2, cy - r - 3], [cx + r + 2, cy + r + size],
      [cx - r - 2 - w, cy - r - 3], [cx - r - 2 - w, cy + r + size],
    ];
    let label = null;
    for (const [lx, ly] of cands) {
      const b = [lx - 1, ly - size + 1, lx + w + 1, ly + 4];
      if (b[0] < 2 || b[2] > W - 2 || b[1] < 2 || b[3] > H - 2) continue;
      if (placed.some((q) => overlaps(b, q))) continue;
      if (dots.some((d, j) => j !== i && overlaps(b, d))) continue;
      placed.push(b);
      label = [lx, ly];
      break;
    }
    if (!label) hidden++;
    const g = s('g', {
      class: 'pt' + (p.center ? ' center' : ''), tabindex: 0, role: 'button', 'data-word': p.word,
      'aria-label': p.word + (p.cos != null ? `, cosine ${fmt(p.cos)}` : ''),
    },
    s('circle', { cx, cy, r: p.center ? R + 2 : R, fill: p.center ? '#fff' : colour(p) }),
    label ? s('text', { x: label[0], y: label[1], text: p.word }) : null);
    const show = (ev) => {
      g.classList.add('hot');
      const r = svg.getBoundingClientRect();
      const ex = ev && ev.clientX != null ? ev.clientX : r.left + cx * r.width / W;
      const ey = ev && ev.clientY != null ? ev.clientY : r.top + cy * r.height / H;
      tip([p.word, ...(p.cos != null ? [`cosine with ${opt.centerWord || 'query'}: ${fmt(p.cos)}`] : []), ...(opt.tipExtra ? opt.tipExtra(p) : [])], ex, ey);
      if (opt.onHover) opt.onHover(p.word, true);
    };
    const hide = () => { g.classList.remove('hot'); untip(); if (opt.onHover) opt.onHover(p.word, false); };
    g.addEventListener('mouseenter', show);
    g.addEventListener('mousemove', show);
    g.addEventListener('mouseleave', hide);
    g.addEventListener('focus', () => show(null));
    g.addEventListener('blur', hide);
    if (opt.onClick) {
      g.addEventListener('click', () => opt.onClick(p.word));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); opt.onClick(p.word); }
      });
    }
    groups[i] = g;
  }
  // Keyboard order: centre, then by cosine.
  for (const i of order) svg.append(groups[i]);
  return { hidden, cmin, cmax };
}

// ---------------------------------------------------------------- explore

async function selectWord(word) {
  word = word.trim();
  if (!word) return;
  state.center = word; state.pos = []; state.neg = [];
  $('search').value = word;
  closeSuggestions();
  if (decodeURIComponent(location.hash.slice(1)) !== 'word=' + word) history.replaceState(null, '', '#word=' + encodeURIComponent(word));
  showTab('explore');
  await refreshExplore();
}

async function selectExpr(pos, neg) {
  state.center = null; state.pos = pos; state.neg = neg;
  closeSuggestions();
  showTab('explore');
  await refreshExplore();
}

async function refreshExplore() {
  const seq = ++state.seq;
  say('');
  const k = Number($('nn-k').value);
  const query = state.center ? { word: state.center } : { positive: state.pos, negative: state.neg };
  const title = state.center || [...state.pos.map((w, i) => (i ? '+ ' : '') + w), ...state.neg.map((w) => '− ' + w)].join(' ');
  let nn;
  try {
    nn = await api('neighbors', { ...query, k: Math.max(k, 10) });
  } catch (e) {
    if (seq === state.seq) say(e.message);
    return;
  }
  if (seq !== state.seq) return;
  $('nn-title').textContent = 'Nearest words to ' + title;
  renderNeighbours(nn.neighbors.slice(0, k));
  await refreshMap(seq, nn);
}

function renderNeighbours(list) {
  const ol = $('neighbors');
  ol.textContent = '';
  for (const n of list) {
    const li = h('li', { 'data-word': n.word },
      h('button', { class: 'w', type: 'button', title: 'recentre on ' + n.word, onclick: () => selectWord(n.word), text: n.word }),
      h('span', { class: 'bar', 'aria-hidden': 'true' }, barSpan(n.cosine)),
      h('span', { class: 'num', text: fmt(n.cosine) }));
    li.addEventListener('mouseenter', () => hotPoint(n.word, true));
    li.addEventListener('mouseleave', () => hotPoint(n.word, false));
    ol.append(li);
  }
}

function barSpan(v) {
  const b = h('span');
  b.style.width = Math.max(0, Math.min(1, v)) * 100 + '%';
  return b;
}

function hotPoint(word, on) {
  const g = $('map').querySelector(`g.pt[data-word="${CSS.escape(word)}"]`);
  if (g) g.classList.toggle('hot', on);
}

function hotListItem(word, on) {
  const li = $('neighbors').querySelector(`li[data-word="${CSS.escape(word)}"]`);
  if (li) li.classList.toggle('hot', on);
}

async function refreshMap(seq, nn) {
  const k = Number($('map-k').value);
  $('map-busy').hidden = false;
  $('map-busy').textContent = state.method === 'tsne' ? 'computing t-SNE…' : 'computing…';
  let m;
  try {
    if (state.center) {
      m = await api('map', { word: state.center, k, method: state.method });
    } else {
      const more = await api('neighbors', { positive: state.pos, negative: state.neg, k });
      const words = [...state.pos, ...state.neg, ...more.neighbors.map((n) => n.word)];
      m = await api('map', null, { words, method: state.method });
      const cos = Object.fromEntries(more.neighbors.map((n) => [n.word, n.cosine]));
      for (const p of m.points) p.cosine = cos[p.word];
    }
  } catch (e) {
    if (seq === state.seq) say(e.message);
    $('map-busy').hidden = true;
    return;
  }
  if (seq !== state.seq) return;
  $('map-busy').hidden = true;
  const query = new Set([state.center, ...state.pos, ...state.neg]);
  const pts = m.points.map((p) => ({ word: p.word, x: p.x, y: p.y, cos: query.has(p.word) ? null : p.cosine, center: query.has(p.word) }));
  const centerWord = state.center || 'the query';
  const res = drawScatter($('map'), pts, { centerWord, onClick: selectWord, onHover: hotListItem, equalAspect: m.method === 'pca' });
  $('map-title').textContent = `Map of ${state.center || 'the query'} and ${pts.length - query.size} neighbours`;
  $('map-stats').textContent = m.method === 'pca'
    ? `PCA: the two axes show ${fmt(100 * (m.explained_variance[0] + m.explained_variance[1]), 1)}% of the variance`
    : `t-SNE: perplexity ${fmt(m.perplexity, 1)}, KL divergence ${fmt(m.kl_divergence, 3)}`;
  const rampEl = h('span', { class: 'ramp' });
  rampEl.style.background = rampCSS(blues);
  fill($('map-legend'),
    h('span', {}, h('span', { class: 'dot ring' }), state.center ? `${state.center} (centre)` : 'query words'),
    h('span', {}, `cosine with ${centerWord}: ${fmt(res.cmin, 2)}`, rampEl, fmt(res.cmax, 2)),
    res.hidden ? h('span', {}, `${res.hidden} label${res.hidden > 1 ? 's' : ''} hidden to avoid overlaps: hover the points`) : null,
    h('span', {}, m.method === 'pca' ? 'PCA keeps directions and distances' : 't-SNE keeps neighbourhoods; distances between clusters mean little'));
}

// ---------------------------------------------------------------- search box

let sugSeq = 0, sugIndex = -1, sugTimer = null;

// lastToken returns the word being typed at the end of an expression.
function lastToken(v) {
  const m = v.match(/(^|[\s+\-−])([^\s+\-−]*)$/);
  return m ? m[2] : '';
}

async function suggest() {
  const v = $('search').value, tok = lastToken(v);
  const seq = ++sugSeq;
  if (!tok) { closeSuggestions(); return; }
  let r;
  try { r = await api('complete', { prefix: tok, n: 8 }); } catch (e) { return; }
  if (seq !== sugSeq) return;
  const ul = $('suggestions');
  ul.textContent = '';
  sugIndex = -1;
  r.words.forEach((w, i) => {
    const li = h('li', { role: 'option', id: 'sug-' + i, 'aria-selected': 'false' }, h('mark', { text: w.slice(0, tok.length) }), w.slice(tok.length));
    li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pick(w); });
    ul.append(li);
  });
  ul.hidden = r.words.length === 0;
  $('search').setAttribute('aria-expanded', String(!ul.hidden));
}

function closeSuggestions() {
  sugSeq++;
  $('suggestions').hidden = true;
  $('search').setAttribute('aria-expanded', 'false');
  $('search').removeAttribute('aria-activedescendant');
  sugIndex = -1;
}

function moveSuggestion(d) {
  const items = [...$('suggestions').children];
  if (!items.length) return;
  sugIndex = (sugIndex + d + items.length) % items.length;
  items.forEach((li, i) => li.setAttribute('aria-selected', String(i === sugIndex)));
  $('search').setAttribute('aria-activedescendant', items[sugIndex].id);
  items[sugIndex].scrollIntoView({ block: 'nearest' });
}

// pick replaces the token being typed by w and, for a single word, goes.
function pick(w) {
  const v = $('search').value, tok = lastToken(v);
  const nv = v.slice(0, v.length - tok.length) + w;
  $('search').value = nv;
  closeSuggestions();
  submitSearch();
}

// parse reads "king - man + woman" (also "king -man +woman" and "−").
function parse(v) {
  const pos = [], neg = [];
  let sign = 1;
  for (let t of v.replace(/−/g, '-').split(/\s+/).filter(Boolean)) {
    if (t === '+') { sign = 1; continue; }
    if (t === '-') { sign = -1; continue; }
    if (t[0] === '+') { sign = 1; t = t.slice(1); } else if (t[0] === '-') { sign = -1; t = t.slice(1); }
    if (t) (sign > 0 ? pos : neg).push(t);
    sign = 1;
  }
  return { pos, neg };
}

function submitSearch() {
  const { pos, neg } = parse($('search').value);
  if (pos.length === 1 && neg.length === 0) selectWord(pos[0]);
  else if (pos.length + neg.length) selectExpr(pos, neg);
}

function initSearch() {
  const input = $('search');
  input.addEventListener('input', () => { clearTimeout(sugTimer); sugTimer = setTimeout(suggest, 90); });
  input.addEventListener('keydown', (ev) => {
    const open = !$('suggestions').hidden;
    if (ev.key === 'ArrowDown') { ev.preventDefault(); if (open) moveSuggestion(1); else suggest(); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); if (open) moveSuggestion(-1); }
    else if (ev.key === 'Escape') { closeSuggestions(); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (open && sugIndex >= 0) pick($('suggestions').children[sugIndex].textContent);
      else { closeSuggestions(); submitSearch(); }
    }
  });
  input.addEventListener('blur', () => setTimeout(closeSuggestions, 150));
  document.addEventListener('keydown', (ev) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (ev.key === '/' && !typing) { ev.preventDefault(); input.focus(); input.select(); }
  });
}

// ---------------------------------------------------------------- tabs

const tabNames = ['explore', 'analogy', 'axis', 'attention'];

function showTab(name) {
  for (const t of tabNames) {
    const on = t === name;
    $('tab-' + t).setAttribute('aria-selected', String(on));
    $('tab-' + t).tabIndex = on ? 0 : -1;
    $('panel-' + t).hidden = !on;
  }
  untip();
  if (name === 'axis' && !state.axisLoaded) { state.axisLoaded = true; runAxis(); }
  if (name === 'attention' && !state.ctxLoaded) { state.ctxLoaded = true; runContext(); }
  if (name === 'analogy' && !state.analogyLoaded) { state.analogyLoaded = true; runAnalogy(); }
}

function initTabs() {
  const visible = () => tabNames.filter((t) => !$('tab-' + t).hidden);
  for (const t of tabNames) {
    const b = $('tab-' + t);
    b.addEventListener('click', () => showTab(t));
    b.addEventListener('keydown', (ev) => {
      const v = visible(), i = v.indexOf(t);
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % v.length;
      if (ev.key === 'ArrowLeft') j = (i - 1 + v.length) % v.length;
      if (ev.key === 'Home') j = 0;
      if (ev.key === 'End') j = v.length - 1;
      if (j != null) { ev.preventDefault(); showTab(v[j]); $('tab-' + v[j]).focus(); }
    });
  }
}

// ---------------------------------------------------------------- analogy

async function runAnalogy(ev) {
  if (ev) ev.preventDefault();
  say('');
  const a = $('an-a').value.trim(), b = $('an-b').value.trim(), c = $('an-c').value.trim();
  let r;
  try {
    r = await api('analogy', { a, b, c, method: $('an-method').value, k: 10, keep: $('an-keep').checked ? 'true' : '' });
  } catch (e) { say(e.message); return; }
  const ol = $('an-results');
  ol.textContent = '';
  const top = r.answers[0] ? r.answers[0].score : 1;
  for (const x of r.answers) {
    ol.append(h('li', { 'data-word': x.word },
      h('button', { class: 'w', type: 'button', title: 'explore ' + x.word, onclick: () => selectWord(x.word), text: x.word }),
      h('span', { class: 'bar', 'aria-hidden': 'true' }, barSpan(x.score / (top || 1))),
      h('span', { class: 'num', text: fmt(x.score) })));
  }
  const answers = r.answers.slice(0, 5).map((x) => x.word);
  const words = [...new Set([a, b, c, ...answers])];
  try {
    const m = await api('map', null, { words, method: 'pca' });
    const score = Object.fromEntries(r.answers.map((x) => [x.word, x.score]));
    const pts = m.points.map((p) => ({ word: p.word, x: p.x, y: p.y, center: [a, b, c].includes(p.word), cos: score[p.word] ?? null }));
    const res = drawScatter($('an-map'), pts, {
      centerWord: 'the question (' + r.method + ' score)', onClick: selectWord, equalAspect: true,
      arrows: answers.length ? [[a, b], [c, answers[0]]] : [[a, b]],
    });
    const rampEl = h('span', { class: 'ramp' });
    rampEl.style.background = rampCSS(blues);
    fill($('an-legend'),
      h('span', {}, h('span', { class: 'dot ring' }), 'question words'),
      h('span', {}, `answers by ${r.method} score: ${fmt(res.cmin, 2)}`, rampEl, fmt(res.cmax, 2)),
      h('span', {}, `arrows: ${a} → ${b} and ${c} → ${answers[0] || '?'} (PCA of these words)`));
  } catch (e) { say(e.message); }
}

// ---------------------------------------------------------------- bias axis

function parsePairs(v) {
  return v.split(/[,;\s]+/).filter(Boolean).map((p) => p.split(':'));
}

async function runAxis(ev) {
  if (ev) ev.preventDefault();
  say('');
  const pairsText = $('ax-pairs').value.trim(), wordsText = $('ax-words').value.trim();
  const body = {};
  if (pairsText) body.pairs = parsePairs(pairsText);
  if (wordsText) body.words = wordsText.split(/[,\s]+/).filter(Boolean);
  let r;
  try { r = await api('axis', null, body); } catch (e) { say(e.message); return; }
  drawAxis($('axis'), r);
  renderAxisFigures(r);
}

function pearson(x, y) {
  const n = x.length;
  if (n < 3) return null;
  const mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : null;
}

function renderAxisFigures(r) {
  const f = $('axis-figures');
  f.textContent = '';
  const card = (value, label) => h('div', { class: 'figure' }, h('b', { text: value }), h('span', { text: label }));
  const prof = r.words.filter((w) => w.kind === 'profession');
  // The stereotype score runs female −1 → male +1 and the projection the
  // other way (first word of each pair, "she", positive): negate one.
  const rr = pearson(prof.map((w) => w.projection), prof.map((w) => -w.stereotype));
  f.append(
    card(r.direct_bias ? fmt(r.direct_bias.value) : '–', r.direct_bias ? `direct bias (c = 1) over ${r.direct_bias.words} words` : 'direct bias: too few words'),
    card(fmt(100 * r.explained_variance, 1) + '%', `of the ${r.pairs.length} pairs' variance on this direction`),
    card(rr == null ? '–' : fmt(rr, 2), `Pearson r with the crowd stereotype scores (${prof.length} professions)`));
  if (r.missing_pairs.length) f.append(card(String(r.missing_pairs.length), 'pairs not in the vocabulary: ' + r.missing_pairs.map((p) => p.join(':')).join(', ')));
  const t = $('weat');
  t.textContent = '';
  t.append(h('tr', {}, h('th', { text: 'test' }), h('th', { text: 'effect size d' }), h('th', { text: 'p' })));
  for (const w of r.weat) {
    t.append(h('tr', {}, h('td', { text: w.name }),
      h('td', { text: w.error ? 'n/a' : fmt(w.effect_size, 2) }),
      h('td', { text: w.error ? w.error : (w.p_value < 1e-3 ? w.p_value.toExponential(1) : fmt(w.p_value, 3)) })));
  }
}

// drawAxis places the words along a horizontal axis (first word of the
// pairs on the right) with labels stacked in lanes above and below so that
// none hides another: the most extreme words get the nearest lanes.
function drawAxis(svg, r) {
  svg.textContent = '';
  const W = Math.max(900, svg.getBoundingClientRect().width);
  const margin = 80, lane = 19, maxLanes = 9;
  const words = r.words;
  const m = Math.max(0.05, ...words.map((w) => Math.abs(w.projection))) * 1.05;
  const X = (v) => margin + (v + m) / (2 * m) * (W - 2 * margin);
  // Lane assignment.
  const order = words.map((w, i) => i).sort((a, b) => {
    const ka = words[a].kind === 'pair', kb = words[b].kind === 'pair';
    if (ka !== kb) return ka ? -1 : 1;
    return Math.abs(words[b].projection) - Math.abs(words[a].projection);
  });
  const lanes = { up: [], down: [] };
  const where = new Array(words.length);
  let used = 1;
  for (const i of order) {
    const w = words[i], bold = w.kind === 'pair', width = textWidth(w.word, 13, bold) + 6;
    let x0 = X(w.projection) - width / 2;
    x0 = Math.max(4, Math.min(W - 4 - width, x0));
    const span = [x0, x0 + width];
    let got = null;
    for (let l = 0; l < maxLanes && !got; l++) {
      for (const side of ['up', 'down']) {
        const ls = lanes[side][l] || (lanes[side][l] = []);
        if (ls.every((q) => span[1] <= q[0] || q[1] <= span[0])) { ls.push(span); got = { side, l, x: x0 + 3 }; used = Math.max(used, l + 1); break; }
      }
    }
    where[i] = got;
  }
  const top = 40 + used * lane, H = top + 34 + used * lane + 40;
  const mid = top;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('height', H);
  // Axis, ticks, ends.
  svg.append(s('line', { class: 'axis-line', x1: margin, y1: mid, x2: W - margin, y2: mid }));
  const step = m > 0.4 ? 0.2 : m > 0.2 ? 0.1 : 0.05;
  for (let v = -Math.floor(m / step) * step; v <= m + 1e-9; v += step) {
    svg.append(s('line', { class: 'tick', x1: X(v), y1: mid - 4, x2: X(v), y2: mid + 4 }));
    svg.append(s('text', { class: 'tick-label', x: X(v), y: H - 10, 'text-anchor': 'middle', text: (Math.abs(v) < 1e-9 ? 0 : v).toFixed(2) }));
  }
  const ends = r.pairs.slice(0, 3);
  const right = ends.map((p) => p[0]).join(' · ') + (r.pairs.length > 3 ? ' … →' : ' →');
  const left = '← ' + ends.map((p) => p[1]).join(' · ') + (r.pairs.length > 3 ? ' …' : '');
  svg.append(s('text', { class: 'end-label', x: 6, y: 22, text: left }));
  svg.append(s('text', { class: 'end-label', x: W - 6, y: 22, 'text-anchor': 'end', text: right }));
  svg.append(s('text', { class: 'tick-label', x: W / 2, y: 22, 'text-anchor': 'middle', text: 'cosine with the direction' }));
  let hidden = 0;
  for (const i of order.slice().reverse()) {
    const w = words[i], x = X(w.projection), at = where[i];
    const fill = w.kind === 'pair' ? '#333' : w.kind === 'profession' ? stereo((w.stereotype + 1) / 2) : '#2457c5';
    const g = s('g', { class: 'pt', tabindex: 0, 'data-word': w.word, 'aria-label': `${w.word}: ${fmt(w.projection)}` });
    if (at) {
      const ly = at.side === 'up' ? mid - 16 - at.l * lane : mid + 26 + at.l * lane;
      g.append(s('line', { class: 'leader', x1: x, y1: mid + (at.side === 'up' ? -5 : 5), x2: at.x + textWidth(w.word, 13, w.kind === 'pair') / 2, y2: at.side === 'up' ? ly + 3 : ly - 12 }));
      const t = s('text', { x: at.x, y: ly, text: w.word });
      if (w.kind === 'pair') t.setAttribute('font-weight', '700');
      if (w.kind === 'profession') t.style.fill = stereoText((w.stereotype + 1) / 2);
      g.append(t);
    } else hidden++;
    g.append(s('circle', { cx: x, cy: mid, r: w.kind === 'pair' ? 5.5 : 5, fill }));
    const show = (ev) => {
      const rect = svg.getBoundingClientRect();
      tip([w.word, `projection ${fmt(w.projection)}`, ...(w.stereotype != null ? [`crowd stereotype ${fmt(w.stereotype, 2)} (−1 female … +1 male)`] : [])],
        ev && ev.clientX != null ? ev.clientX : rect.left + x * rect.width / W, ev && ev.clientY != null ? ev.clientY : rect.top + mid * rect.height / H);
    };
    const hide = () => { g.classList.remove('hot'); untip(); };
    g.addEventListener('mousemove', (ev) => { g.classList.add('hot'); show(ev); });
    g.addEventListener('mouseleave', hide);
    g.addEventListener('focus', () => { g.classList.add('hot'); show(null); });
    g.addEventListener('blur', hide);
    g.addEventListener('click', () => selectWord(w.word));
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') selectWord(w.word); });
    svg.append(g);
  }
  const rampEl = h('span', { class: 'ramp' });
  rampEl.style.background = rampCSS(stereo);
  const dot = (c) => { const d = h('span', { class: 'dot' }); d.style.background = c; return d; };
  fill($('axis-legend'),
    h('span', {}, 'professions, by crowd stereotype: female', rampEl, 'male'),
    h('span', {}, dot('#333'), 'words of the pairs'),
    h('span', {}, dot('#2457c5'), 'other words'),
    hidden ? h('span', {}, `${hidden} labels hidden to avoid overlaps: hover the points`) : null);
}

// ---------------------------------------------------------------- attention

let ctxAnswer = null, ctxFocus = [0, 0];

async function runContext(ev) {
  if (ev) ev.preventDefault();
  say('');
  let r;
  try { r = await api('context', { text: $('ctx-text').value, k: 3 }); } catch (e) { say(e.message); return; }
  ctxAnswer = r;
  $('ctx-unknown').textContent = r.unknown.length ? `Not in the model's vocabulary (read as <unk>): ${r.unknown.join(', ')}` : '';
  renderAttentionGrid();
  renderLayers();
}

function drawHeat(canvas, m, tokens, cell, labels) {
  const T = m.length;
  const left = labels ? Math.max(...tokens.map((t) => textWidth(t, 12))) + 10 : 0;
  const topM = labels ? left : 0;
  canvas.width = left + T * cell;
  canvas.height = topM + T * cell;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  for (let p = 0; p < T; p++) {
    for (let q = 0; q < T; q++) {
      g.fillStyle = q > p ? '#f3f4f6' : heat(m[p][q]);
      g.fillRect(left + q * cell, topM + p * cell, cell - (cell > 6 ? 1 : 0), cell - (cell > 6 ? 1 : 0));
      if (labels && q <= p && cell >= 30) {
        g.fillStyle = m[p][q] > 0.5 ? '#fff' : '#333';
        g.font = `10px ${getComputedStyle(document.body).fontFamily}`;
        g.textAlign = 'center';
        g.fillText(m[p][q].toFixed(2), left + q * cell + cell / 2, topM + p * cell + cell / 2 + 3);
      }
    }
  }
  if (labels) {
    g.fillStyle = '#333';
    g.font = `12px ${getComputedStyle(document.body).fontFamily}`;
    g.textAlign = 'right';
    tokens.forEach((t, i) => g.fillText(t, left - 6, topM + i * cell + cell / 2 + 4));
    tokens.forEach((t, i) => {
      g.save();
      g.translate(left + i * cell + cell / 2 + 4, topM - 6);
      g.rotate(-Math.PI / 2);
      g.textAlign = 'left';
      g.fillText(t, 0, 0);
      g.restore();
    });
  }
  return { left, top: topM };
}

function renderAttentionGrid() {
  const r = ctxAnswer, grid = $('att-grid');
  grid.textContent = '';
  const L = r.attention.length, H = L ? r.attention[0].length : 0, T = r.tokens.length;
  grid.style.gridTemplateColumns = `auto repeat(${H}, auto)`;
  const cell = Math.max(4, Math.floor(110 / T));
  for (let l = 0; l < L; l++) {
    grid.append(h('div', { class: 'att-row-label', text: `block ${l + 1}` }));
    for (let hd = 0; hd < H; hd++) {
      const c = h('canvas');
      drawHeat(c, r.attention[l][hd], r.tokens, cell, false);
      const b = h('button', { class: 'att-cell', type: 'button', 'aria-pressed': String(l === ctxFocus[0] && hd === ctxFocus[1]), 'aria-label': `block ${l + 1}, head ${hd + 1}`, 'data-layer': l, 'data-head': hd }, c, h('div', { text: `head ${hd + 1}` }));
      b.addEventListener('click', () => { ctxFocus = [l, hd]; renderAttentionGrid(); });
      grid.append(b);
    }
  }
  const [fl, fh] = ctxFocus[0] < L && ctxFocus[1] < H ? ctxFocus : (ctxFocus = [0, 0]);
  if (!L) return;
  const big = $('att-big');
  const bigCell = Math.max(12, Math.min(44, Math.floor(360 / T)));
  const off = drawHeat(big, r.attention[fl][fh], r.tokens, bigCell, true);
  $('att-caption').textContent = `block ${fl + 1}, head ${fh + 1}: each row shows where that word looks (rows sum to 1; a word sees only itself and earlier words)`;
  big.onmousemove = (ev) => {
    const rect = big.getBoundingClientRect();
    const x = (ev.clientX - rect.left) * big.width / rect.width - off.left, y = (ev.clientY - rect.top) * big.height / rect.height - off.top;
    const q = Math.floor(x / bigCell), p = Math.floor(y / bigCell);
    if (p < 0 || q < 0 || p >= T || q >= T || q > p) { untip(); return; }
    tip([`${r.tokens[p]} → ${r.tokens[q]}`, `attention ${fmt(r.attention[fl][fh][p][q])}`], ev.clientX, ev.clientY);
  };
  big.onmouseleave = untip;
  const leg = $('att-legend');
  leg.textContent = '';
  const rampEl = h('span', { class: 'ramp' });
  rampEl.style.background = rampCSS(heat);
  leg.append(h('span', {}, 'attention weight 0', rampEl, '1'), h('span', {}, 'grey: later words, which a causal model cannot see'));
}

function renderLayers() {
  const r = ctxAnswer, t = $('ctx-layers');
  t.textContent = '';
  const words = r.tokens.slice(1);
  t.append(h('thead', {}, h('tr', {}, h('th', { text: 'layer' }), ...words.map((w) => h('th', { text: w })))));
  const body = h('tbody');
  for (const layer of r.layers) {
    body.append(h('tr', {}, h('th', { text: layer.name }),
      ...layer.neighbors.map((ns) => h('td', {}, ...ns.map((n) => h('div', { class: 'nb' }, n.word + ' ', h('small', { text: fmt(n.cosine, 2) })))))));
  }
  t.append(body);
}

// ---------------------------------------------------------------- start

async function start() {
  initSearch();
  initTabs();
  for (const b of document.querySelectorAll('.segmented button')) {
    b.addEventListener('click', () => {
      state.method = b.dataset.method;
      for (const o of document.querySelectorAll('.segmented button')) o.setAttribute('aria-checked', String(o === b));
      refreshExplore();
    });
  }
  $('nn-k').addEventListener('change', refreshExplore);
  $('map-k').addEventListener('change', refreshExplore);
  $('analogy-form').addEventListener('submit', (ev) => { state.analogyLoaded = true; runAnalogy(ev); });
  $('axis-form').addEventListener('submit', runAxis);
  $('ctx-form').addEventListener('submit', runContext);
  let resizeTimer = null;
  addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { if (!$('panel-explore').hidden) refreshExplore(); }, 250); });
  addEventListener('hashchange', () => {
    const w = hashWord();
    if (w && w !== state.center) selectWord(w);
  });
  try {
    state.info = await api('info');
  } catch (e) { say('cannot reach the server: ' + e.message); return; }
  const i = state.info;
  $('model').textContent = `${i.name ? i.name + ' · ' : ''}${i.words.toLocaleString('en')} words · ${i.dim} dimensions`;
  document.title = `wordspace · ${i.name || 'explorer'}`;
  if (i.context) $('tab-attention').hidden = false;
  document.body.dataset.ready = 'true';
  await selectWord(hashWord() || i.start_word);
}

function hashWord() {
  const m = location.hash.match(/^#word=(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

start();
