"""Dev helper: print the non-empty lines of each seed document with their code-point offsets.

Seed passages (``id/passage/<doc-slug>-<start>-<end>``) are chosen from this listing, so offsets are
computed, never counted by hand. Usage: ``python bench/seed_passages.py [file-name-prefix [needle ...]]``
(with needles: the sentence around each).
"""

from __future__ import annotations

import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def lines_with_offsets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) of every non-blank line, stripped of surrounding white space."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped)
            out.append((start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def sentence_around(text: str, needle: str) -> tuple[int, int]:
    """Offsets of the sentence (bounded by '. ', a line break or the text's ends) holding ``needle``."""
    at = text.index(needle)
    dot = text.rfind(". ", 0, at)
    start = max(dot + 2 if dot != -1 else 0, text.rfind("\n", 0, at) + 1)
    ends = [e for e in (text.find(". ", at), text.find("\n", at)) if e != -1]
    end = min(ends) + (1 if ends and text[min(ends)] == "." else 0) if ends else len(text)
    while text[start].isspace() or text[start] == "-":
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return start, end


def main(prefix: str = "", *needles: str) -> None:
    """Print the listing for every seed file whose name starts with ``prefix``."""
    for path in sorted(SEEDS.glob(prefix + "*.txt")):
        text = path.read_bytes().decode("utf-8")
        print(f"== {path.name} ({len(text)} code points)")
        if needles:
            for needle in needles:
                start, end = sentence_around(text, needle)
                print(f"{start}-{end} {needle!r}: {text[start:end][:100]!r}")
            continue
        for start, end, line in lines_with_offsets(text):
            assert text[start:end] == line
            print(f"{start:5d}-{end:<5d} {line[:90]}")


if __name__ == "__main__":
    main(*sys.argv[1:])
