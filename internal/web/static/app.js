// dyad dashboard: draws SVG charts from the JSON API. Each chart is an <svg>
// with data-chart (its kind) and data-src (the API URL, filters included);
// the page itself is rendered by the server. Plain JavaScript, no libraries.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const QUAD = { 1: "#63b3ed", 2: "#2b6cb0", 3: "#f6ad55", 4: "#c53030" };
  const QUADNAME = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const DIR = ["#2b6cb0", "#dd6b20"];

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function title(parent, s) {
    el("title", {}, parent).textContent = s;
  }
  function size(svg) {
    const vb = svg.viewBox.baseVal;
    return { w: vb.width, h: vb.height };
  }
  function empty(svg, msg) {
    const s = size(svg);
    text(svg, s.w / 2, s.h / 2, msg || "No events match this filter.", { "text-anchor": "middle", class: "empty-msg" });
    svg.dataset.drawn = "0";
  }
  // Goldstein -10..10 to red, grey, blue.
  function goldColour(g) {
    const t = Math.max(-1, Math.min(1, g / 10));
    const grey = [160, 174, 192], red = [197, 48, 48], blue = [43, 108, 176];
    const to = t < 0 ? red : blue, a = Math.abs(t);
    const c = grey.map((v, i) => Math.round(v + (to[i] - v) * a));
    return "rgb(" + c.join(",") + ")";
  }
  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }
  // Axes for a plot area; y from lo to hi. Returns the scale functions.
  function frame(svg, periods, lo, hi, pad) {
    const s = size(svg);
    const L = pad.l, R = s.w - pad.r, T = pad.t, B = s.h - pad.b;
    const n = Math.max(periods.length, 1);
    const bw = (R - L) / n;
    const x = (i) => L + bw * i + bw / 2;
    const y = (v) => B - ((v - lo) / (hi - lo || 1)) * (B - T);
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      el("line", { x1: L, x2: R, y1: y(v), y2: y(v), class: "grid" }, svg);
      text(svg, L - 4, y(v) + 4, Math.round(v * 10) / 10 + "", { "text-anchor": "end" });
    }
    el("line", { x1: L, x2: R, y1: B, y2: B, class: "axis" }, svg);
    el("line", { x1: L, x2: L, y1: T, y2: B, class: "axis" }, svg);
    const step = Math.max(1, Math.ceil(periods.length / 8));
    for (let i = 0; i < periods.length; i += step) {
      text(svg, x(i), B + 14, periods[i], { "text-anchor": "middle" });
    }
    return { x: x, y: y, bw: bw, L: L, R: R, T: T, B: B };
  }
  function go(href) {
    window.location.href = href;
  }

  // Events per day stacked by quad class.
  function drawQuad(svg, data) {
    const rows = data.rows || [];
    if (!rows.length) return empty(svg);
    const periods = [...new Set(rows.map((r) => r.period))].sort();
    const idx = new Map(periods.map((p, i) => [p, i]));
    const stack = periods.map(() => ({ 1: 0, 2: 0, 3: 0, 4: 0 }));
    for (const r of rows) stack[idx.get(r.period)][r.key] = r.events;
    const tot = stack.map((s) => s[1] + s[2] + s[3] + s[4]);
    const f = frame(svg, periods, 0, niceMax(Math.max(...tot)), { l: 36, r: 10, t: 10, b: 22 });
    let n = 0;
    stack.forEach((s, i) => {
      let base = 0;
      for (const q of [1, 2, 3, 4]) {
        if (!s[q]) continue;
        const r = el("rect", { x: f.x(i) - f.bw * 0.4, width: Math.max(1, f.bw * 0.8), y: f.y(base + s[q]),
          height: f.y(base) - f.y(base + s[q]), fill: QUAD[q], class: "bar q" + q }, svg);
        title(r, periods[i] + ": " + s[q] + " " + QUADNAME[q]);
        base += s[q];
        n++;
      }
    });
    svg.dataset.drawn = String(n);
    const lg = document.getElementById("quad-legend");
    if (lg) {
      lg.textContent = "";
      for (const q of [1, 2, 3, 4]) {
        const k = document.createElement("span");
        k.className = "key q" + q;
        lg.appendChild(k);
        lg.appendChild(document.createTextNode(q + " " + QUADNAME[q]));
      }
    }
  }

  // A dyad's two directions as lines: counts or mean Goldstein.
  function drawDyad(svg, data, field) {
    const rows = data.series || [];
    if (!rows.length) return empty(svg);
    const a = svg.dataset.a, b = svg.dataset.b;
    const dirs = [a + ">" + b, b + ">" + a];
    const periods = [...new Set(rows.map((r) => r.period))].sort();
    const idx = new Map(periods.map((p, i) => [p, i]));
    let lo = 0, hi;
    if (field === "events") {
      hi = niceMax(Math.max(...rows.map((r) => r.events)));
    } else {
      lo = -10;
      hi = 10;
    }
    const f = frame(svg, periods, lo, hi, { l: 36, r: 10, t: 10, b: 22 });
    if (field !== "events") el("line", { x1: f.L, x2: f.R, y1: f.y(0), y2: f.y(0), class: "axis" }, svg);
    let n = 0;
    dirs.forEach((d, k) => {
      const pts = rows.filter((r) => r.direction === d).map((r) => [idx.get(r.period), r[field]]);
      if (!pts.length) return;
      pts.sort((p, q) => p[0] - q[0]);
      if (field === "events") {
        // Counts are zero in periods with no events: draw them so.
        const full = periods.map((_, i) => [i, 0]);
        for (const p of pts) full[p[0]] = p;
        el("polyline", { points: full.map((p) => f.x(p[0]) + "," + f.y(p[1])).join(" "), fill: "none",
          stroke: DIR[k], "stroke-width": 2, class: "line dir" + k }, svg);
      } else if (pts.length > 1) {
        el("polyline", { points: pts.map((p) => f.x(p[0]) + "," + f.y(p[1])).join(" "), fill: "none",
          stroke: DIR[k], "stroke-width": 2, class: "line dir" + k }, svg);
      }
      for (const p of pts) {
        const c = el("circle", { cx: f.x(p[0]), cy: f.y(p[1]), r: 3, fill: DIR[k], class: "pt" }, svg);
        title(c, d.replace(">", " → ") + ", " + periods[p[0]] + ": " + p[1]);
        n++;
      }
    });
    svg.dataset.drawn = String(n);
  }

  // Events by CAMEO root code, bars coloured by mean Goldstein.
  function drawRoots(svg, data) {
    const rows = (data.rows || []).filter((r) => r.key !== "");
    if (!rows.length) return empty(svg);
    rows.sort((p, q) => (p.key < q.key ? -1 : 1));
    const f = frame(svg, rows.map((r) => r.key), 0, niceMax(Math.max(...rows.map((r) => r.events))), { l: 36, r: 10, t: 10, b: 22 });
    rows.forEach((r, i) => {
      const b = el("rect", { x: f.x(i) - f.bw * 0.35, width: f.bw * 0.7, y: f.y(r.events), height: f.B - f.y(r.events),
        fill: goldColour(r.goldstein_mean), class: "bar" }, svg);
      title(b, "root " + r.key + ": " + r.events + " events, mean Goldstein " + r.goldstein_mean);
    });
    svg.dataset.drawn = String(rows.length);
  }

  // Actors on a circle, busiest first; dyads as curved, directed edges.
  function drawNetwork(svg, data) {
    const dy = data.dyads || [];
    if (!dy.length) return empty(svg);
    const s = size(svg);
    const weight = new Map();
    for (const d of dy) {
      weight.set(d.source, (weight.get(d.source) || 0) + d.events);
      weight.set(d.target, (weight.get(d.target) || 0) + d.events);
    }
    const actors = [...weight.keys()].sort((p, q) => weight.get(q) - weight.get(p) || (p < q ? -1 : 1));
    // Spread the busiest around the circle (a stride coprime with the count)
    // so their edges do not all bunch on one side.
    const n = actors.length, gcd = (a, b) => (b ? gcd(b, a % b) : a);
    let stride = Math.max(1, Math.round(n / 2.618));
    while (n > 1 && gcd(stride, n) !== 1) stride++;
    const order = new Array(n);
    actors.forEach((a, i) => (order[(i * stride) % n] = a));
    const cx = s.w / 2, cy = s.h / 2, R = Math.min(s.w, s.h) / 2 - 60;
    const pos = new Map();
    order.forEach((a, i) => {
      const t = (2 * Math.PI * i) / order.length - Math.PI / 2;
      pos.set(a, [cx + R * Math.cos(t), cy + R * Math.sin(t), t]);
    });
    const maxE = Math.max(...dy.map((d) => d.events));
    const edges = el("g", { class: "edges" }, svg);
    for (const d of dy) {
      if (d.source === d.target) continue;
      const p = pos.get(d.source), q = pos.get(d.target);
      // Bend each direction to its own side, so A→B and B→A are both seen.
      const mx = (p[0] + q[0]) / 2, my = (p[1] + q[1]) / 2;
      const dx = q[0] - p[0], dyv = q[1] - p[1], len = Math.hypot(dx, dyv) || 1;
      const bend = 0.12 * len;
      const c = [mx - (dyv / len) * bend, my + (dx / len) * bend];
      const path = el("path", { d: "M" + p[0] + "," + p[1] + " Q" + c[0] + "," + c[1] + " " + q[0] + "," + q[1],
        stroke: goldColour(d.goldstein_mean), "stroke-width": 1 + (7 * d.events) / maxE, class: "edge" }, edges);
      title(path, d.source + " → " + d.target + ": " + d.events + " events, mean Goldstein " + d.goldstein_mean);
      path.addEventListener("click", () => go("/dyad?a=" + encodeURIComponent(d.source) + "&b=" + encodeURIComponent(d.target) + keepQuery()));
    }
    const nodes = el("g", { class: "nodes" }, svg);
    const maxW = Math.max(...weight.values());
    for (const a of order) {
      const p = pos.get(a);
      const g = el("g", { class: "node" }, nodes);
      el("circle", { cx: p[0], cy: p[1], r: 4 + (8 * weight.get(a)) / maxW }, g);
      const out = Math.cos(p[2]) >= 0;
      text(g, p[0] + Math.cos(p[2]) * 16, p[1] + Math.sin(p[2]) * 16 + 4, a, { "text-anchor": out ? "start" : "end" });
      title(g, a + ": " + weight.get(a) + " events in these dyads");
    }
    svg.dataset.drawn = String(dy.length);
  }

  // Located events on a lon/lat graticule (equirectangular).
  function drawMap(svg, data) {
    const pts = data.points || [];
    const s = size(svg);
    const x = (lon) => ((lon + 180) / 360) * s.w, y = (lat) => ((90 - lat) / 180) * s.h;
    el("rect", { x: 0, y: 0, width: s.w, height: s.h, class: "land" }, svg);
    for (let lon = -180; lon <= 180; lon += 30) el("line", { x1: x(lon), x2: x(lon), y1: 0, y2: s.h, class: "graticule" }, svg);
    for (let lat = -60; lat <= 60; lat += 30) {
      el("line", { x1: 0, x2: s.w, y1: y(lat), y2: y(lat), class: lat === 0 ? "graticule equator" : "graticule" }, svg);
      text(svg, 4, y(lat) - 3, lat + "°");
    }
    const cnt = document.getElementById("map-count");
    if (!pts.length) {
      if (cnt) cnt.textContent = "";
      return empty(svg, "No located events match this filter.");
    }
    // Events at one place stack: jitter them a little so each can be clicked.
    const seen = new Map();
    const g = el("g", { class: "points" }, svg);
    for (const p of pts) {
      const k = p.lat.toFixed(2) + "," + p.lon.toFixed(2);
      const n = seen.get(k) || 0;
      seen.set(k, n + 1);
      const a = n * 2.4, r = n ? 1.6 * Math.sqrt(n) : 0;
      const c = el("circle", { cx: x(p.lon) + r * Math.cos(a), cy: y(p.lat) + r * Math.sin(a), r: 4,
        fill: goldColour(p.goldstein), class: "pt" }, g);
      title(c, p.date + " " + p.source + " → " + p.target + " (" + p.cameo + ") at " + p.place);
      c.addEventListener("click", () => go("/events/" + p.id));
    }
    if (cnt) cnt.textContent = pts.length + " located events at " + seen.size + " places.";
    svg.dataset.drawn = String(pts.length);
  }

  // The page's filter query, for links the charts make.
  function keepQuery() {
    const q = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const k of ["from", "to", "actor", "cameo", "quad", "q"]) if (q.get(k)) out.set(k, q.get(k));
    const s = out.toString();
    return s ? "&" + s : "";
  }

  const draw = {
    quad: drawQuad,
    "dyad-counts": (svg, d) => drawDyad(svg, d, "events"),
    "dyad-gold": (svg, d) => drawDyad(svg, d, "goldstein_mean"),
    roots: drawRoots,
    network: drawNetwork,
    map: drawMap,
  };

  // Charts sharing an API URL share one request.
  const cache = new Map();
  function load(src) {
    if (!cache.has(src)) {
      cache.set(src, fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) =>
        r.json().then((j) => {
          if (!r.ok) throw new Error(j.error || r.statusText);
          return j;
        })));
    }
    return cache.get(src);
  }

  function init() {
    for (const svg of document.querySelectorAll("svg[data-chart]")) {
      const f = draw[svg.dataset.chart];
      if (!f) continue;
      load(svg.dataset.src)
        .then((d) => f(svg, d))
        .catch((e) => empty(svg, "Could not load: " + e.message));
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
