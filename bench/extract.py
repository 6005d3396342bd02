"""Extraction benchmark: `kg extract` on the five seed documents, scored against the hand-made seeds.

    python bench/extract.py                 # table per document, totals, throughput, memory
    python bench/extract.py --json rows.json

The gold is each seed graph of ``data/seeds/*.trig``; its source text is the file of
``data/sources/`` that the seed's document names (``dcterms:identifier``). Both the candidate graph
and the gold graph are read by :func:`kg.extract.evaluate.facts_of_graph`, then compared per kind
(entities linked to the right IRI, agreements = type + parties + date, people with roles, figures
= value + unit + subject, passages overlapping a gold passage). The COG comes from
``KG_REFERENCE_DIR`` when fetched, else from the test excerpt (which holds the seeds' communes).
The same kinds are then scored on the project's own fixture texts (``tests/fixtures/extract``,
gold in ``gold.json``), printed beside the seed scores: a rule tuned to the seeds would show there.
Throughput is words per second of the extraction alone (model loaded), single process; memory is
the peak resident set of the process. The press-release time is for a 600-word text made of the
project's own fixture texts (tests/fixtures/extract), not of the seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.extract.document import Document, read_document
from kg.extract.evaluate import KINDS, Score, facts_of_gold_json, facts_of_graph, score
from kg.extract.graph import candidate_quads
from kg.extract.link import COG_FOLDER, Linker
from kg.extract.nlp import pipeline
from kg.extract.pipeline import default_vocabularies, extract
from kg.extract.vocab import Vocabularies
from kg.settings import PROJECT_ROOT, Settings

SEEDS = PROJECT_ROOT / "data" / "seeds"
SOURCES = PROJECT_ROOT / "data" / "sources"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
#: Goals of the issue: kind -> (minimum precision, minimum recall), None where no goal is set.
GOALS: dict[str, tuple[float | None, float | None]] = {
    "entities": (0.90, 0.85),
    "agreements": (0.80, 0.70),
    "figures": (None, 0.80),
}


def seed_documents() -> list[tuple[str, Path, list[ox.Quad]]]:
    """(seed name, source text, gold quads) of every seed graph."""
    found = []
    for trig in sorted(SEEDS.glob("*.trig")):
        quads = list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
        names = {q.object.value for q in quads if q.predicate == IDENTIFIER}
        source = next((SOURCES / n for n in sorted(names) if (SOURCES / n).is_file()), None)
        if source is not None:
            found.append((trig.stem, source, quads))
    return found


def fixture_scores(linker: Linker, vocab: Vocabularies) -> dict[str, Score]:
    """Scores summed over the project's own fixture texts against their hand-written gold."""
    gold = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))
    totals = {kind: Score(0, 0, 0) for kind in KINDS}
    for name, entry in sorted(gold.items()):
        if name.startswith("_"):
            continue
        extraction = extract(read_document(FIXTURES / name), linker, vocab)
        scores = score(facts_of_graph(candidate_quads(extraction)), facts_of_gold_json(entry))
        for kind in KINDS:
            totals[kind] = totals[kind] + scores[kind]
    return totals


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def press_release(words: int = 600) -> str:
    """About ``words`` words of the project's own French fixture texts, whole paragraphs."""
    paragraphs: list[str] = []
    for path in sorted(FIXTURES.glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    text, i = "", 0
    while len(text.split()) < words:
        text += paragraphs[i % len(paragraphs)] + "\n\n"
        i += 1
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the goal rows here")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the 600-word text")
    args = parser.parse_args()

    settings = Settings()
    cog = settings.reference_dir / COG_FOLDER
    if not (cog / "communes.json").is_file():
        cog = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
    started = time.perf_counter()
    pipeline()
    linker = Linker(cog)
    vocab = default_vocabularies(settings.ontology_dir)
    load_seconds = time.perf_counter() - started

    totals = {kind: Score(0, 0, 0) for kind in KINDS}
    loose = Score(0, 0, 0)  # figures by value and unit only, whatever their subject
    words = 0
    seconds = 0.0
    print(f"COG: {cog}\nmodel and vocabularies loaded in {load_seconds:.1f} s\n")
    print("| document | words | s | " + " | ".join(f"{k} P / R" for k in KINDS) + " |")
    print("|---|---:|---:|" + "---|" * len(KINDS))
    for name, source, gold_quads in seed_documents():
        document = read_document(source, name=name)
        t0 = time.perf_counter()
        extraction = extract(document, linker, vocab)
        quads = candidate_quads(extraction)
        elapsed = time.perf_counter() - t0
        words += document.words
        seconds += elapsed
        predicted, gold = facts_of_graph(quads), facts_of_graph(gold_quads)
        scores = score(predicted, gold)
        predicted.figures = {(v, u, None) for v, u, _ in predicted.figures}
        gold.figures = {(v, u, None) for v, u, _ in gold.figures}
        loose = loose + score(predicted, gold)["figures"]
        cells = []
        for kind in KINDS:
            totals[kind] = totals[kind] + scores[kind]
            s = scores[kind]
            cells.append(f"{_pct(s.precision)} / {_pct(s.recall)} ({s.found}+{s.extra}-{s.missed})")
        print(f"| {name} | {document.words} | {elapsed:.2f} | " + " | ".join(cells) + " |")
    print(
        "| **all** | "
        + f"{words} | {seconds:.2f} | "
        + " | ".join(f"{_pct(totals[k].precision)} / {_pct(totals[k].recall)}" for k in KINDS)
        + " |"
    )
    print("\n(found+extra-missed; P = found/(found+extra), R = found/(found+missed))")
    print(
        f"figures by value and unit only (subject ignored): P {_pct(loose.precision)} "
        f"R {_pct(loose.recall)}"
    )

    fixtures = fixture_scores(linker, vocab)
    print("\nOur own fixture texts (tests/fixtures/extract, gold.json), beside the seeds:\n")
    print("| kind | seeds P / R | fixtures P / R |\n|---|---|---|")
    for kind in KINDS[:-1]:
        s, f = totals[kind], fixtures[kind]
        print(
            f"| {kind} | {_pct(s.precision)} / {_pct(s.recall)} | "
            f"{_pct(f.precision)} / {_pct(f.recall)} |"
        )

    text = press_release()
    timings = []
    for _ in range(args.repeat):
        doc = Document(Path("press-release.txt"), text, "0" * 64, "press-release")
        t0 = time.perf_counter()
        candidate_quads(extract(doc, linker, vocab))
        timings.append(time.perf_counter() - t0)
    release = statistics.median(timings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = words / seconds if seconds else 0.0
    load = os.getloadavg()
    print(
        f"\nthroughput {rate:.0f} words/s on the seeds; a {len(text.split())}-word press release in "
        f"{release:.2f} s (median of {args.repeat}); peak memory {peak_mb:.0f} MB; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )

    rows: list[dict[str, object]] = []
    for kind, (p_goal, r_goal) in GOALS.items():
        for measure, value, goal in (
            ("precision", totals[kind].precision, p_goal),
            ("recall", totals[kind].recall, r_goal),
        ):
            if goal is None or value is None:
                continue
            rows.append(
                {
                    "bench": "extract",
                    "measure": f"{kind} {measure} on the seeds",
                    "figure": round(100 * value, 1),
                    "unit": "%",
                    "goal": f">= {goal:.0%}",
                    "ok": value >= goal,
                }
            )
            mine = getattr(fixtures[kind], measure)
            if mine is not None:
                rows.append(
                    {
                        "bench": "extract",
                        "measure": f"{kind} {measure} on our fixture texts",
                        "figure": round(100 * mine, 1),
                        "unit": "%",
                        "goal": "",
                        "ok": None,
                    }
                )
    if loose.recall is not None:
        rows.append(
            {
                "bench": "extract",
                "measure": "figures recall on the seeds, value + unit only",
                "figure": round(100 * loose.recall, 1),
                "unit": "%",
                "goal": "",
                "ok": None,
            }
        )
    rows += [
        {
            "bench": "extract",
            "measure": "600-word press release after model load",
            "figure": round(release, 3),
            "unit": "s",
            "goal": "< 2 s",
            "ok": release < 2.0,
        },
        {
            "bench": "extract",
            "measure": "throughput on the seeds",
            "figure": round(rate, 1),
            "unit": "words/s",
            "goal": "",
            "ok": None,
        },
        {
            "bench": "extract",
            "measure": "peak resident memory",
            "figure": round(peak_mb, 1),
            "unit": "MB",
            "goal": "",
            "ok": None,
        },
    ]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
