// Result views of the query page, as a registry: window.KgResultViews is a list of
// {name, title, accepts(data), render(container, data, labels)}. `data` is {vars: [...], rows:
// [{var: term}]} with SPARQL JSON terms ({type, value, datatype, "xml:lang"}); CONSTRUCT results
// come as rows of subject/predicate/object. `labels` maps an IRI to {label, context}.
// Another script (the map view) may push its own view before query.js runs.
(function () {
  "use strict";
  var views = window.KgResultViews = window.KgResultViews || [];
  var SVG = "http://www.w3.org/2000/svg";
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function isNumber(term) { return !!term && term.type !== "uri" && NUMERIC.test(term.datatype || ""); }
  function name(term, labels) {
    if (!term) { return ""; }
    if (term.type === "uri" && labels[term.value]) { return labels[term.value].label; }
    if (term.type === "uri") { return term.value.replace(/^.*[\/#]/, ""); }
    return term.value;
  }
  function columnAll(data, v, test) {
    return data.rows.length > 0 && data.rows.every(function (row) { return test(row[v]); });
  }

  // Bar chart: one number column and one column naming the bars.
  function chartColumns(data) {
    var number = data.vars.filter(function (v) { return columnAll(data, v, isNumber); });
    var label = data.vars.filter(function (v) {
      return number.indexOf(v) < 0 && columnAll(data, v, function (t) { return !!t; });
    });
    return number.length >= 1 && label.length >= 1 ? { label: label[0], number: number[0] } : null;
  }
  views.push({
    name: "chart",
    title: "Chart",
    accepts: function (data) { return !data.graph && chartColumns(data) !== null; },
    render: function (container, data, labels) {
      var cols = chartColumns(data);
      var rows = data.rows.slice(0, 60);
      var max = Math.max.apply(null, rows.map(function (r) { return Number(r[cols.number].value); }).concat([1]));
      var barH = 22, left = 260, width = 900, height = rows.length * barH + 40;
      var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
        "aria-label": cols.number + " by " + cols.label, "class": "bar-chart" });
      chart.appendChild(svg("text", { x: left, y: 14, "class": "axis" }, cols.number + " by " + cols.label));
      rows.forEach(function (row, i) {
        var value = Number(row[cols.number].value);
        var y = 24 + i * barH;
        var w = Math.max(1, (width - left - 80) * value / max);
        var text = name(row[cols.label], labels);
        chart.appendChild(svg("text", { x: left - 8, y: y + 15, "text-anchor": "end", "class": "bar-label" },
          text.length > 38 ? text.slice(0, 37) + "…" : text));
        var bar = svg("rect", { x: left, y: y + 3, width: w, height: barH - 6, "class": "bar" });
        bar.appendChild(svg("title", {}, text + ": " + row[cols.number].value));
        chart.appendChild(bar);
        chart.appendChild(svg("text", { x: left + w + 6, y: y + 15, "class": "bar-value" }, row[cols.number].value));
      });
      container.appendChild(chart);
    }
  });

  // Graph: CONSTRUCT triples between IRIs, or the first two IRI columns of a SELECT.
  function edges(data) {
    if (data.graph) {
      return data.rows.filter(function (r) { return r.object.type === "uri" && r.predicate.value.indexOf("#type") < 0; })
        .map(function (r) { return [r.subject, r.object, r.predicate]; });
    }
    var iris = data.vars.filter(function (v) { return columnAll(data, v, function (t) { return !!t && t.type === "uri"; }); });
    if (iris.length < 2) { return []; }
    return data.rows.map(function (r) { return [r[iris[0]], r[iris[1]], null]; });
  }
  views.push({
    name: "graph",
    title: "Graph",
    accepts: function (data) { return edges(data).length > 0; },
    render: function (container, data, labels) {
      var list = edges(data).slice(0, 400);
      var nodes = {}, order = [];
      list.forEach(function (e) {
        [e[0], e[1]].forEach(function (t) { if (!nodes[t.value]) { nodes[t.value] = { term: t, degree: 0 }; order.push(t.value); } nodes[t.value].degree += 1; });
      });
      order = order.slice(0, 150);
      var width = 1100, height = 900, cx = width / 2, cy = height / 2, radius = 330;
      // hubs in the middle, the others on a circle around them
      order.sort(function (a, b) { return nodes[b].degree - nodes[a].degree; });
      var hubs = order.filter(function (k) { return nodes[k].degree > 2; }).slice(0, 6);
      order.forEach(function (key, i) {
        var hub = hubs.indexOf(key);
        if (hub >= 0) {
          var a = 2 * Math.PI * hub / Math.max(hubs.length, 1);
          nodes[key].x = cx + (hubs.length > 1 ? 80 * Math.cos(a) : 0);
          nodes[key].y = cy + (hubs.length > 1 ? 80 * Math.sin(a) : 0);
        } else {
          var angle = 2 * Math.PI * i / order.length;
          nodes[key].x = cx + radius * Math.cos(angle);
          nodes[key].y = cy + radius * Math.sin(angle);
        }
      });
      var drawing = svg("svg", { viewBox: "0 0 " + width + " " + height, width: "100%", "class": "graph-view", role: "img", "aria-label": "graph of the results" });
      list.forEach(function (e) {
        var a = nodes[e[0].value], b = nodes[e[1].value];
        if (!a || !b || a.x === undefined || b.x === undefined) { return; }
        var line = svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "class": "edge" });
        if (e[2]) { line.appendChild(svg("title", {}, name(e[2], labels))); }
        drawing.appendChild(line);
      });
      order.forEach(function (key) {
        var n = nodes[key];
        var g = svg("g", { "class": "node" });
        g.appendChild(svg("circle", { cx: n.x, cy: n.y, r: 4 + Math.min(10, n.degree) }));
        var text = name(n.term, labels);
        var anchor = n.x < cx - 10 ? "end" : n.x > cx + 10 ? "start" : "middle";
        var dx = anchor === "end" ? -9 : anchor === "start" ? 9 : 0;
        g.appendChild(svg("text", { x: n.x + dx, y: n.y + 4, "text-anchor": anchor }, text.length > 30 ? text.slice(0, 29) + "…" : text));
        g.appendChild(svg("title", {}, key));
        drawing.appendChild(g);
      });
      container.appendChild(drawing);
    }
  });
}());
