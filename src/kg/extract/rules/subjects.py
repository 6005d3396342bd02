"""What a figure is about: the entity, event, programme or partnership the sentence attaches it to.

French puts the holder of a quantity in a few places, all visible in spaCy's dependency parse:
the subject of the verb the figure depends on ("La Région accompagne 430 entreprises"), the noun a
participle or an adjective hangs from ("le programme « Tandems solidaires », impliquant 4 000
élèves"; "le pôle Vitagora, fort de ses 670 membres"), or a complement of the counted noun ("430
entreprises de la Région"). :func:`subject_of` climbs from the number to the root of its sentence
and, at each word on the way, looks at that word's own phrase (its determiners, complements,
appositions and subject, never the branch the number came from, never an oblique such as "en
France"); the first linked mention of a kind that can hold a figure wins. The small French model
misparses long sentences, so a figure no rule places goes to the document's publisher.
"""

from __future__ import annotations

import re
from typing import Any

from kg.extract.model import Context, Mention

#: Kinds of mention that can hold a figure.
SUBJECT_KINDS = (
    "collectivity",
    "organisation",
    "country",
    "territory",
    "event",
    "programme",
    "partnership",
)
#: Dependencies that stay inside a word's own phrase (Universal Dependencies labels, subtype cut).
_PHRASE = frozenset({"det", "nsubj", "nmod", "appos", "flat", "amod", "compound", "fixed", "case"})


def _phrase(word: Any, skip: Any) -> list[Any]:
    """``word`` and the tokens its phrase holds, without the branch ``skip``."""
    found, todo = [], [word]
    while todo:
        token = todo.pop()
        found.append(token)
        todo += [
            child
            for child in token.children
            if child is not skip and child.i != skip.i and child.dep_.split(":")[0] in _PHRASE
        ]
    return found


def _mention_at(ctx: Context, tokens: list[Any], near: Any) -> Mention | None:
    """The mention of :data:`SUBJECT_KINDS` covering one of ``tokens``; subjects first, then the
    one nearest ``near``."""
    best: tuple[int, int, Mention] | None = None
    for token in tokens:
        start, end = token.idx, token.idx + len(token.text)
        for m in ctx.entities:
            if m.link.kind in SUBJECT_KINDS and m.start < end and start < m.end:
                rank = (0 if token.dep_.startswith("nsubj") else 1, abs(token.i - near.i))
                if best is None or rank < best[:2]:
                    best = (*rank, m)
    return best[2] if best else None


#: Between a name and a figure: an apposed participle or relative clause that hangs the figure
#: on that name ("le programme « X », impliquant 4 000 élèves", "Vitagora, fort de ses 670
#: membres", "la Grande Région, qui compte 250 000 habitants").
_HANGS_ON = re.compile(
    r"^[\s\u00bb\u201d\")]*,\s*(?:qui\s+\w+|[a-zà-ÿ]+ant|forte?s?\s+de)\s+"
    r"(?:(?:plus|près|moins)\s+d[e'\u2019]\s*|environ\s+|quelque\s+|ses\s+|leurs?\s+|de\s+)*$"
)


def subject_of(ctx: Context, start: int, end: int) -> Mention | None:
    """The mention the figure at [start, end) is about: the name an apposed participle or
    relative clause hangs it on, else by the dependency parse; None if none."""
    before = [
        m
        for m in ctx.entities
        if m.link.kind in SUBJECT_KINDS and m.end <= start and start - m.end < 80
    ]
    if before:
        last = max(before, key=lambda m: (m.end, -m.start))
        if _HANGS_ON.match(ctx.text[last.end : start]):
            return last
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    came_from = span.root
    word = came_from.head
    while True:
        found = _mention_at(ctx, _phrase(word, came_from), word)
        if found is not None:
            return found
        if word.head.i == word.i:
            return None
        came_from, word = word, word.head
