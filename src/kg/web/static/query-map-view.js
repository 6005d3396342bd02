// The query page's map view: registered in window.KgResultViews (see query-views.js) before query.js
// runs; offered when the results carry WKT points (geo:wktLiteral or "POINT(lon lat)") or a
// lat/long pair of columns, and drawn by the ES module map-view.js (loaded on first use).
(function () {
  "use strict";
  var views = window.KgResultViews = window.KgResultViews || [];
  var WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  var POINT = /POINT\s*\(\s*-?[\d.]+(e-?\d+)?\s+-?[\d.]+(e-?\d+)?\s*\)/i;
  function hasPoints(data) {
    if (data.graph || !data.rows.length) { return false; }
    var wkt = data.vars.some(function (v) {
      return data.rows.some(function (r) { return r[v] && (r[v].datatype === WKT || POINT.test(r[v].value)); });
    });
    var lat = data.vars.some(function (v) { return /^(lat|latitude)$/i.test(v); });
    var lon = data.vars.some(function (v) { return /^(lon|long|lng|longitude)$/i.test(v); });
    return wkt || (lat && lon);
  }
  views.push({
    name: "map",
    title: "Map",
    accepts: hasPoints,
    render: function (container, data) {
      var box = document.createElement("div");
      box.className = "kg-map";
      container.appendChild(box);
      if (!document.querySelector("link[href='/static/map-view.css']")) {
        var css = document.createElement("link");
        css.rel = "stylesheet"; css.href = "/static/map-view.css";
        document.head.appendChild(css);
      }
      import("/static/map-view.js").then(function (m) { return m.drawResultsMap(box, data.rows, data.vars); })
        .then(function () { box.dataset.kgMapReady = "1"; })
        .catch(function (e) { box.textContent = String(e); });
    }
  });
})();
