// The SPARQL query page: a CodeMirror editor (window.KgEditor) with completion of the project's
// prefixes, classes and properties; examples; the query in the URL (?query=, a permalink) and in
// the browser history; results as a table with labels beside IRIs, or another registered view
// (window.KgResultViews: chart, graph, and the map when its script is loaded).
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var links = document.getElementById("download-links");
  var viewBar = document.getElementById("views");
  var permalink = document.getElementById("permalink");
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var formats = JSON.parse(document.getElementById("formats").textContent);
  var baseIri = form.getAttribute("data-base-iri");
  var views = window.KgResultViews || [];
  var editor = null;
  var current = { data: null, labels: {}, view: new URLSearchParams(location.search).get("view") || "table" };

  function getQuery() { return editor ? window.KgEditor.getValue(editor) : textarea.value; }
  function setQuery(text) {
    textarea.value = text;
    if (editor) { window.KgEditor.setValue(editor, text); }
  }
  // For tests and people scripting the page: the editor's text.
  window.kgQuery = { get: getQuery, set: setQuery, run: function () { run(true); } };

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
      var named = current.labels[term.value];
      if (named) {
        td.appendChild(el("span", named.label + (named.context ? " — " + named.context : ""), "label"));
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

  var tableView = {
    name: "table",
    title: "Table",
    accepts: function () { return true; },
    render: function (container, data) {
      var tbl = el("table");
      tbl.id = "results-table";
      var head = el("tr");
      data.vars.forEach(function (v) { head.appendChild(el("th", v)); });
      tbl.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      data.rows.forEach(function (row) {
        var tr = el("tr");
        data.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
        body.appendChild(tr);
      });
      tbl.appendChild(body);
      container.appendChild(tbl);
    }
  };
  views.unshift(tableView);

  // N-Triples (what a CONSTRUCT or DESCRIBE is asked for) as rows of subject/predicate/object.
  var TERM = /\s*(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;
  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, function (m, u, U, c) {
      if (u || U) { return String.fromCodePoint(parseInt(u || U, 16)); }
      return { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" }[c] || c;
    });
  }
  function term(text) {
    if (text[0] === "<") { return { type: "uri", value: text.slice(1, -1) }; }
    if (text[0] === "_") { return { type: "bnode", value: text.slice(2) }; }
    var end = text.lastIndexOf('"');
    var t = { type: "literal", value: unescape(text.slice(1, end)) };
    var rest = text.slice(end + 1);
    if (rest[0] === "@") { t["xml:lang"] = rest.slice(1); }
    if (rest.indexOf("^^") === 0) { t.datatype = rest.slice(3, -1); }
    return t;
  }
  function triples(text) {
    var rows = [];
    text.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim()[0] === "#") { return; }
      var parts = [];
      TERM.lastIndex = 0;
      for (var i = 0; i < 3; i += 1) {
        var m = TERM.exec(line);
        if (!m) { return; }
        parts.push(term(m[1]));
      }
      rows.push({ subject: parts[0], predicate: parts[1], object: parts[2] });
    });
    return { vars: ["subject", "predicate", "object"], rows: rows, graph: true };
  }

  function showDownloads(kind, query) {
    links.textContent = "";
    (kind === "graph" ? formats.graph : formats.results).forEach(function (name) {
      var a = el("a", name);
      a.href = "/sparql?" + new URLSearchParams({ query: query, format: name }).toString();
      a.setAttribute("download", "results." + name);
      links.appendChild(a);
    });
    downloads.hidden = false;
  }

  function pageUrl(query, view) {
    var params = new URLSearchParams({ query: query });
    if (view && view !== "table") { params.set("view", view); }
    return location.pathname + "?" + params.toString();
  }

  function showViews() {
    viewBar.textContent = "";
    var usable = views.filter(function (v) { return current.data && v.accepts(current.data); });
    if (!usable.some(function (v) { return v.name === current.view; })) { current.view = "table"; }
    usable.forEach(function (v) {
      var b = el("button", v.title, v.name === current.view ? "view active" : "view");
      b.type = "button";
      b.setAttribute("data-view", v.name);
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", v.name === current.view ? "true" : "false");
      b.addEventListener("click", function () {
        current.view = v.name;
        history.replaceState({ query: getQuery(), view: v.name }, "", pageUrl(getQuery(), v.name));
        permalink.href = location.href;
        showViews();
      });
      viewBar.appendChild(b);
    });
    viewBar.hidden = usable.length < 2;
    results.textContent = "";
    var chosen = usable.filter(function (v) { return v.name === current.view; })[0] || tableView;
    var box = el("div", undefined, "view-" + chosen.name);
    box.id = "view-" + chosen.name;
    results.appendChild(box);
    chosen.render(box, current.data, current.labels);
  }

  function fetchLabels(data) {
    var iris = {};
    data.rows.forEach(function (row) {
      data.vars.forEach(function (v) { if (row[v] && row[v].type === "uri") { iris[row[v].value] = true; } });
    });
    var list = Object.keys(iris).slice(0, 2000);
    if (!list.length) { return Promise.resolve({}); }
    return fetch("/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ iris: list })
    }).then(function (r) { return r.ok ? r.json() : { labels: {} }; })
      .then(function (j) { return j.labels || {}; })
      .catch(function () { return {}; });
  }

  function run(push) {
    var query = getQuery();
    textarea.value = query;
    var url = pageUrl(query, current.view);
    if (push && location.pathname + location.search !== url) {
      history.pushState({ query: query, view: current.view }, "", url);
    } else {
      history.replaceState({ query: query, view: current.view }, "", url);
    }
    permalink.href = location.href;
    permalink.hidden = false;
    status.textContent = "running…";
    results.textContent = "";
    viewBar.hidden = true;
    downloads.hidden = true;
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9"
      },
      body: new URLSearchParams({ query: query }).toString()
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
          var parsed = JSON.parse(text);
          if (parsed.boolean !== undefined) {
            results.appendChild(el("p", "ASK → " + parsed.boolean));
            status.textContent = "answer in " + seconds + " s";
            return;
          }
          current.data = { vars: parsed.head.vars, rows: parsed.results.bindings };
          status.textContent = current.data.rows.length + " result(s) in " + seconds + " s" +
            (truncated ? " — truncated to the row limit" : "");
          showDownloads("results", query);
        } else {
          current.data = triples(text);
          status.textContent = current.data.rows.length + " triple(s) in " + seconds + " s" +
            (truncated ? " — truncated" : "");
          showDownloads("graph", query);
        }
        current.labels = {};
        showViews();
        fetchLabels(current.data).then(function (labels) {
          current.labels = labels;
          showViews();
          results.setAttribute("data-labelled", "yes");
        });
      });
    }).catch(function (error) {
      status.textContent = "request failed: " + error;
    });
  }

  document.getElementById("example").addEventListener("change", function (event) {
    var name = event.target.value;
    examples.forEach(function (ex) { if (ex.name === name) { setQuery(ex.text); } });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  document.getElementById("copy-permalink").addEventListener("click", function () {
    var query = getQuery();
    var link = location.origin + pageUrl(query, current.view);
    permalink.href = link;
    permalink.hidden = false;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(function () { status.textContent = "permalink copied"; });
    } else {
      status.textContent = "permalink: use the link beside the buttons";
    }
  });
  window.addEventListener("popstate", function (event) {
    var state = event.state || {};
    var params = new URLSearchParams(location.search);
    var query = state.query || params.get("query");
    current.view = state.view || params.get("view") || "table";
    if (query) { setQuery(query); run(false); }
  });

  function start(vocab) {
    if (window.KgEditor) {
      editor = window.KgEditor.create(document.getElementById("editor"), textarea.value, vocab,
        function () { run(true); });
      textarea.hidden = true;
      form.classList.add("with-editor");
    }
    if (form.getAttribute("data-from-permalink") === "yes") { run(false); }
  }
  fetch("/query/vocabulary.json", { headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("no vocabulary"); } return r.json(); })
    .then(start, function () { start({ prefixes: {}, terms: [] }); });
}());
