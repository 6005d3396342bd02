// World maps without tiles or CDN: Natural Earth 110m country shapes (vendored world-atlas TopoJSON,
// decoded by the vendored topojson-client) drawn as SVG in an equirectangular projection, with the
// partnership arcs and place markers on top. Exports drawMap (places + arcs, as /map/data.json gives
// them), drawResultsMap (SPARQL JSON result rows carrying WKT points or lat/long columns) and loadMap
// (an element with data-kg-map="URL"); elements with data-kg-map are drawn when the module loads.

const SVG = "http://www.w3.org/2000/svg";
const WORLD = "/static/vendor/world-atlas/countries-110m.json";
const TOPOJSON = "/static/vendor/topojson-client/topojson-client.min.js";
const W = 960, H = 480; // 360° x 180° at 2.667 px per degree

let worldPromise = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error("cannot load " + src));
    document.head.appendChild(s);
  });
}

function world() {
  if (!worldPromise) {
    worldPromise = (async () => {
      if (!globalThis.topojson) await loadScript(TOPOJSON);
      const topo = await (await fetch(WORLD)).json();
      return globalThis.topojson.feature(topo, topo.objects.countries);
    })();
  }
  return worldPromise;
}

const x = (lon) => ((lon + 180) / 360) * W;
const y = (lat) => ((90 - lat) / 180) * H;

function ringPath(ring) {
  let d = "", prev = null;
  for (const [lon, lat] of ring) {
    // Break the ring where it crosses the antimeridian instead of drawing a line across the map.
    const cmd = prev !== null && Math.abs(lon - prev) > 180 ? "M" : (d ? "L" : "M");
    d += cmd + x(lon).toFixed(1) + "," + y(lat).toFixed(1);
    prev = lon;
  }
  return d + "Z";
}

function featurePath(geometry) {
  if (!geometry) return "";
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polys.map((p) => p.map(ringPath).join("")).join("");
}

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function arcPath(a, b) {
  const [x1, y1, x2, y2] = [x(a.lon), y(a.lat), x(b.lon), y(b.lat)];
  const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
  const len = Math.hypot(x2 - x1, y2 - y1);
  // Bend every arc the same way (to the left of its direction), a fifth of its length.
  const [cx, cy] = [mx - ((y2 - y1) / (len || 1)) * len * 0.2, my + ((x2 - x1) / (len || 1)) * len * 0.2];
  return `M${x1.toFixed(1)},${y1.toFixed(1)}Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
}

function fitBox(points) {
  if (!points.length) return [0, 0, W, H];
  let [x0, y0, x1, y1] = [W, H, 0, 0];
  for (const p of points) {
    x0 = Math.min(x0, x(p.lon)); x1 = Math.max(x1, x(p.lon));
    y0 = Math.min(y0, y(p.lat)); y1 = Math.max(y1, y(p.lat));
  }
  let w = Math.max(x1 - x0, 60), h = Math.max(y1 - y0, 30);
  w *= 1.3; h *= 1.3;
  if (w / h > W / H) h = w * H / W; else w = h * W / H;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return [Math.max(0, Math.min(W - w, cx - w / 2)), Math.max(0, Math.min(H - h, cy - h / 2)), Math.min(w, W), Math.min(h, H)];
}

function zoomable(svg, box) {
  let vb = box.slice();
  const apply = () => svg.setAttribute("viewBox", vb.map((v) => v.toFixed(1)).join(" "));
  apply();
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
    const k = e.deltaY > 0 ? 1.25 : 0.8;
    const w = Math.min(W, vb[2] * k), h = Math.min(H, vb[3] * k);
    vb = [vb[0] + (vb[2] - w) * fx, vb[1] + (vb[3] - h) * fy, w, h];
    apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY, vb[0], vb[1]]; });
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    vb[0] = drag[2] - ((e.clientX - drag[0]) * vb[2]) / r.width;
    vb[1] = drag[3] - ((e.clientY - drag[1]) * vb[3]) / r.height;
    apply();
  });
}

function href(iri) {
  const base = "https://w3id.org/kgci/";
  return iri.startsWith(base) ? "/" + iri.slice(base.length) : iri;
}

// places: {iri: {label, lat, lon}}; arcs: [{from, to, agreements}]; options.focus: the IRI drawn larger.
export async function drawMap(element, places, arcs, options = {}) {
  const countries = await world();
  element.textContent = "";
  const svg = el("svg", { class: "kg-map-svg", role: "img", preserveAspectRatio: "xMidYMid meet" }, element);
  el("rect", { class: "kg-map-sea", x: 0, y: 0, width: W, height: H }, svg);
  const land = el("g", { class: "kg-map-countries" }, svg);
  for (const f of countries.features) {
    const p = el("path", { d: featurePath(f.geometry), class: "kg-map-country" }, land);
    el("title", {}, p).textContent = (f.properties && f.properties.name) || "";
  }
  const arcLayer = el("g", { class: "kg-map-arcs" }, svg);
  for (const arc of arcs) {
    const a = places[arc.from], b = places[arc.to];
    if (!a || !b) continue;
    const p = el("path", { d: arcPath(a, b), class: "kg-map-arc", "data-from": arc.from, "data-to": arc.to }, arcLayer);
    el("title", {}, p).textContent = `${a.label} – ${b.label}` + (arc.agreements ? ` (${arc.agreements.length})` : "");
  }
  const markers = el("g", { class: "kg-map-markers" }, svg);
  const shown = [];
  for (const [iri, p] of Object.entries(places)) {
    shown.push(p);
    const link = el("a", { href: href(iri) }, markers);
    const focus = iri === options.focus;
    const c = el("circle", { cx: x(p.lon).toFixed(1), cy: y(p.lat).toFixed(1), r: focus ? 3 : 1.8,
      class: "kg-map-marker" + (focus ? " kg-map-focus" : ""), "data-iri": iri }, link);
    el("title", {}, c).textContent = p.label;
  }
  zoomable(svg, options.world ? [0, 0, W, H] : fitBox(shown));
  return svg;
}

export async function loadMap(element) {
  const response = await fetch(element.dataset.kgMap, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`map data: HTTP ${response.status}`);
  const data = await response.json();
  const hide = element.dataset.kgMapHideEmpty;
  if (hide) {
    const section = document.getElementById(hide);
    if (!data.arcs.length) { if (section) section.hidden = true; return null; }
    if (section) section.hidden = false;
    const note = section && section.querySelector("[data-kg-map-counts]");
    if (note) note.textContent = `${data.counts.arcs} / ${data.counts.agreements}`;
  }
  const svg = await drawMap(element, data.places, data.arcs, { focus: data.filters.collectivity, world: Object.keys(data.filters).length === 0 });
  element.dataset.kgMapReady = String(data.arcs.length);
  return svg;
}

// ---- SPARQL results (the query editor's map view) ----

const WKT_TYPE = "http://www.opengis.net/ont/geosparql#wktLiteral";

export function parseWkt(text) {
  const m = /POINT\s*\(\s*(-?[\d.]+(?:e-?\d+)?)\s+(-?[\d.]+(?:e-?\d+)?)\s*\)/i.exec(text || "");
  if (!m) return null;
  const lon = Number(m[1]), lat = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

// The columns of SPARQL JSON rows that hold points: WKT columns, or a (lat, long) pair of columns.
export function pointColumns(vars, rows) {
  const wkt = vars.filter((v) => rows.some((r) => r[v] && (r[v].datatype === WKT_TYPE || parseWkt(r[v].value))));
  if (wkt.length) return wkt.map((v) => ({ wkt: v }));
  const lat = vars.find((v) => /^(lat|latitude)$/i.test(v));
  const lon = vars.find((v) => /^(lon|long|lng|longitude)$/i.test(v));
  return lat && lon ? [{ lat, lon }] : [];
}

function pointOf(row, col) {
  if (col.wkt) return row[col.wkt] ? parseWkt(row[col.wkt].value) : null;
  const lat = Number(row[col.lat] && row[col.lat].value), lon = Number(row[col.lon] && row[col.lon].value);
  return Number.isFinite(lat) && Number.isFinite(lon) && row[col.lat] && row[col.lon] ? { lat, lon } : null;
}

// rows: SPARQL JSON bindings; vars: the head's variables (defaults to the keys of the rows).
// One marker per distinct point; with two point columns, an arc from the first to the second.
export async function drawResultsMap(element, rows, vars) {
  vars = vars || [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cols = pointColumns(vars, rows);
  if (!cols.length) { element.textContent = "No coordinates or WKT points in these results."; return null; }
  const label = (row, col) => {
    const other = vars.find((v) => v !== col.wkt && v !== col.lat && v !== col.lon && row[v] && row[v].type === "literal")
      || vars.find((v) => row[v] && row[v].type === "uri");
    return other ? row[other].value : "";
  };
  const places = {}, arcs = [];
  rows.forEach((row, i) => {
    const ends = cols.map((c) => {
      const p = pointOf(row, c);
      if (!p) return null;
      const key = `${p.lon} ${p.lat}`;
      places[key] = places[key] || { ...p, label: label(row, c) };
      return key;
    });
    if (ends.length >= 2 && ends[0] && ends[1]) arcs.push({ from: ends[0], to: ends[1], agreements: [String(i)] });
  });
  return drawMap(element, places, arcs, {});
}

for (const node of document.querySelectorAll("[data-kg-map]")) {
  loadMap(node).catch((e) => { node.textContent = String(e); });
}
