// The query page's editor: CodeMirror 6 with the SPARQL mode, highlighting, and completion of the
// project's prefixes, classes and properties. Bundled into one file by `make editor` (esbuild);
// the page reaches it as window.KgEditor.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets } from "@codemirror/autocomplete";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const KEYWORDS = ["SELECT", "CONSTRUCT", "ASK", "DESCRIBE", "WHERE", "OPTIONAL", "FILTER", "UNION",
  "GRAPH", "VALUES", "BIND", "GROUP BY", "ORDER BY", "LIMIT", "OFFSET", "DISTINCT", "COUNT", "SAMPLE",
  "MINUS", "SERVICE", "LANG", "STR", "CONTAINS", "STRSTARTS", "REGEX", "PREFIX", "FROM", "AS", "DESC",
  "GROUP_CONCAT", "HAVING", "NOT EXISTS", "EXISTS", "YEAR", "LCASE", "ISIRI"];

// vocab: {prefixes: {name: iri}, terms: [{name: "kgc:Agreement", kind: "class"|"property", label}]}
function completions(vocab) {
  const prefixOptions = Object.keys(vocab.prefixes).map((name) => ({
    label: name + ":", type: "namespace", detail: vocab.prefixes[name],
  }));
  const declare = Object.keys(vocab.prefixes).map((name) => ({
    label: "PREFIX " + name + ":", apply: "PREFIX " + name + ": <" + vocab.prefixes[name] + ">",
    type: "keyword", detail: vocab.prefixes[name],
  }));
  const termOptions = vocab.terms.map((t) => ({
    label: t.name, type: t.kind === "class" ? "class" : "property", detail: t.label || "",
  }));
  const keywordOptions = KEYWORDS.map((k) => ({ label: k, type: "keyword" }));
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) { return null; }
    const text = word.text;
    const line = context.state.doc.lineAt(context.pos).text;
    let options;
    if (text.indexOf(":") >= 0) {
      const prefix = text.split(":")[0] + ":";
      options = termOptions.filter((o) => o.label.indexOf(prefix) === 0);
    } else if (/^\s*PREFIX\s*$/i.test(line.slice(0, word.from - context.state.doc.lineAt(context.pos).from))) {
      options = prefixOptions;
    } else {
      options = [...keywordOptions, ...prefixOptions, ...declare, ...termOptions];
    }
    return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/ };
  };
}

export function create(parent, doc, vocab, onRun) {
  const run = { key: "Mod-Enter", run: () => { onRun(); return true; } };
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(),
        closeBrackets(), StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [completions(vocab)], activateOnTyping: true }),
        keymap.of([run, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
      ],
    }),
  });
}

export function getValue(view) { return view.state.doc.toString(); }

export function setValue(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
