// The SPARQL query page: pick an example, run the query with fetch, show a table or the RDF.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var links = document.getElementById("download-links");
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var formats = JSON.parse(document.getElementById("formats").textContent);
  var baseIri = form.getAttribute("data-base-iri");

  document.getElementById("example").addEventListener("change", function (event) {
    var name = event.target.value;
    examples.forEach(function (ex) { if (ex.name === name) { editor.value = ex.text; } });
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  // Entities of this dataset link to their local page; other http(s) IRIs link to themselves;
  // any other scheme (javascript:, data:) is shown as text, never as a link.
  function href(iri) {
    if (iri.indexOf(baseIri) === 0) { return "/" + iri.substring(baseIri.length); }
    return /^https?:/i.test(iri) ? iri : null;
  }

  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var target = href(term.value);
      if (target === null) {
        td.textContent = term.value;
      } else {
        var a = el("a", term.value);
        a.href = target;
        td.appendChild(a);
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) { td.appendChild(el("span", "@" + term["xml:lang"], "lang")); }
      if (term.datatype) { td.title = term.datatype; }
    }
    return td;
  }

  function table(data) {
    var tbl = el("table");
    tbl.id = "results-table";
    var head = el("tr");
    data.head.vars.forEach(function (v) { head.appendChild(el("th", v)); });
    tbl.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    data.results.bindings.forEach(function (row) {
      var tr = el("tr");
      data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    tbl.appendChild(body);
    return tbl;
  }

  function showDownloads(kind) {
    links.textContent = "";
    (kind === "graph" ? formats.graph : formats.results).forEach(function (name) {
      var a = el("a", name);
      a.href = "/sparql?" + new URLSearchParams({ query: editor.value, format: name }).toString();
      a.setAttribute("download", "results." + name);
      links.appendChild(a);
    });
    downloads.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "running…";
    results.textContent = "";
    downloads.hidden = true;
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: editor.value }).toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var truncated = response.headers.get("X-KG-Truncated") === "true";
      return response.text().then(function (text) {
        var seconds = ((performance.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          var message = text;
          try { message = JSON.parse(text).error.message; } catch (e) { /* not JSON */ }
          status.textContent = "error " + response.status + " (" + seconds + " s)";
          results.appendChild(el("p", message, "error"));
          return;
        }
        if (type.indexOf("json") >= 0) {
          var data = JSON.parse(text);
          if (data.boolean !== undefined) {
            results.appendChild(el("p", "ASK → " + data.boolean));
          } else {
            results.appendChild(table(data));
          }
          var count = data.results ? data.results.bindings.length : 1;
          status.textContent = count + " result(s) in " + seconds + " s" +
            (truncated ? " — truncated to the row limit" : "");
          showDownloads("results");
        } else {
          results.appendChild(el("pre", text));
          status.textContent = "graph in " + seconds + " s" + (truncated ? " — truncated" : "");
          showDownloads("graph");
        }
      });
    }).catch(function (error) {
      status.textContent = "request failed: " + error;
    });
  });
}());
