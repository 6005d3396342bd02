"""Realistic synthetic data shaped like the project's model, at a requested size, reproducibly.

Collectivities (French régions, départements, communes and foreign cities, with type, country and
codes), n-ary agreements with 2-4 parties whose partner counts follow a power law (a few hubs, a long
tail), sectors from the real sector vocabulary, people with memberships, observations, and the source
documents and passages everything is derived from. Written as N-Quads in one named graph::

    python bench/synthetic.py --triples 1000000 --out bench/out/synth-1m.nq

or from Python: ``generate(100_000, Path("x.nq"), seed=42)``. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from pathlib import Path

BASE = "https://w3id.org/kgci/"
ID = BASE + "id/"
KGC = BASE + "def/"
VOCAB = BASE + "vocab/"
GRAPH = BASE + "graph/import/synthetic"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
OA = "http://www.w3.org/ns/oa#"
QB = "http://purl.org/linked-data/cube#"
SDMX_M = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
SDMX_U = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"
SDMX_P = "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"

#: Fallback when ontology/vocab/sector.ttl is not there: the concept slugs every part relies on.
SECTORS = [
    "economic-development",
    "industry",
    "agriculture-food",
    "tourism",
    "culture",
    "education",
    "research-innovation",
    "digital",
    "health",
    "environment-climate",
    "energy",
    "mobility-transport",
    "urban-planning",
    "governance",
    "solidarity-humanitarian",
    "social-economy",
    "internationalisation-of-firms",
    "export-promotion",
    "territorial-attractiveness",
    "foreign-investment",
    "reindustrialisation",
    "industry-of-the-future",
    "robotics",
    "agrifood",
    "sustainable-food",
    "viticulture",
    "gastronomy",
    "video-games",
    "cultural-exchanges",
    "francophonie",
    "higher-education",
    "youth-mobility",
    "citizenship-education",
    "innovation-new-technologies",
    "biomedical",
    "artificial-intelligence",
    "cybersecurity",
    "sustainable-urban-development",
    "green-mobility",
    "energy-access",
    "humanitarian-aid",
    "international-volunteering",
    "gender-equality",
    "tourism-promotion",
    "science-cooperation",
]
AGREEMENT_TYPES = [
    "decentralised-cooperation-agreement",
    "twinning",
    "declaration-of-intent",
    "joint-declaration",
    "pact",
    "convention",
    "cooperation-agreement",
    "memorandum-of-understanding",
    "partnership",
]
STATUSES = ("pipeline", "active", "active", "active", "finalisation", "closed", "suspended")
ROLES = ("mayor", "deputy-mayor", "president", "vice-president", "director", "elected-official")
INDICATORS = (
    ("exports", "euro"),
    ("participants", "number"),
    ("supported-firms", "number"),
    ("pupils", "number"),
    ("tourism-jobs", "number"),
    ("cooperation-duration", "year"),
)
COUNTRIES = [
    "de",
    "it",
    "es",
    "pt",
    "be",
    "ch",
    "gb",
    "us",
    "ca",
    "jp",
    "cn",
    "kr",
    "in",
    "br",
    "ar",
    "mx",
    "ma",
    "dz",
    "tn",
    "sn",
    "ci",
    "ml",
    "bf",
    "cm",
    "mg",
    "vn",
    "kh",
    "la",
    "am",
    "ge",
    "ua",
    "pl",
    "ro",
    "cz",
    "hu",
    "at",
    "nl",
    "se",
    "fi",
    "no",
    "dk",
    "ie",
    "il",
    "lb",
]
SYLLABLES = [
    "ber",
    "lin",
    "mon",
    "val",
    "san",
    "ta",
    "ri",
    "ko",
    "na",
    "sa",
    "do",
    "ve",
    "ra",
    "lo",
    "mi",
    "ga",
    "bo",
    "chi",
    "pa",
    "zu",
]
GIVEN = [
    "Marie",
    "Jean",
    "Anne",
    "Pierre",
    "Claire",
    "Luc",
    "Sophie",
    "Paul",
    "Nadia",
    "Karim",
    "Yuki",
    "Ana",
    "Hans",
    "Olga",
]
FAMILY = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Rossi",
    "Muller",
    "Sato",
]


def _lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def sector_slugs(root: Path) -> list[str]:
    """Sector concept slugs from ``ontology/vocab/sector.ttl`` when present, else the known list."""
    path = root / "ontology" / "vocab" / "sector.ttl"
    if path.exists():
        import pyoxigraph as ox

        found = {
            q.subject.value.rsplit("/", 1)[1]
            for q in ox.parse(path=str(path))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(VOCAB + "sector/")
        }
        if found:
            return sorted(found)
    return list(SECTORS)


class _Writer:
    """Writes triples of one graph as N-Quads and counts them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} <{GRAPH}> .\n")
        self.count += 1


def _iri(path: str) -> str:
    return f"<{ID}{path}>"


def p(namespace: str, local: str) -> str:
    """An IRI in N-Triples form."""
    return f"<{namespace}{local}>"


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generate(n_triples: int, out: Path, seed: int = 42) -> Path:
    """Write about ``n_triples`` triples (never fewer, at most one entity more) of synthetic data."""
    rng = random.Random(seed)
    root = Path(__file__).resolve().parents[1]
    sectors = sector_slugs(root)
    w = _Writer()
    # Countries, then a pool of collectivities sized to the request (power-law popularity).
    for iso in ["fr", *COUNTRIES]:
        c = _iri(f"country/{iso}")
        w.t(c, RDF_TYPE, p(SCHEMA, "Country"))
        w.t(c, LABEL, _lit(iso.upper(), "fr"))
        w.t(c, LABEL, _lit(iso.upper(), "en"))
        w.t(c, p(KGC, "iso3166Code"), f'"{iso.upper()}"')
    n_coll = max(20, n_triples // 60)
    collectivities: list[str] = []
    for i in range(n_coll):
        name = _name(rng)
        if i < n_coll // 2:
            kind, code = ("commune", f"{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}")
            slug, country = f"{name.lower()}-{i}-{code}", "fr"
        else:
            kind, country = "city", rng.choice(COUNTRIES)
            slug, code = f"{name.lower()}-{i}-{country}", ""
        c = _iri(f"collectivity/{slug}")
        collectivities.append(c)
        w.t(c, RDF_TYPE, p(KGC, "Collectivity"))
        w.t(c, LABEL, _lit(name, "fr"))
        w.t(c, LABEL, _lit(name, "en"))
        w.t(c, p(KGC, "collectivityType"), p(VOCAB, f"collectivity-type/{kind}"))
        w.t(c, p(KGC, "country"), _iri(f"country/{country}"))
        if code:
            w.t(c, p(KGC, "inseeCommuneCode"), f'"{code}"')
    cum = list(itertools.accumulate(1.0 / (r + 1) ** 1.1 for r in range(n_coll)))
    rng.shuffle(collectivities)

    def pick(k: int) -> list[str]:
        chosen: set[str] = set()
        while len(chosen) < k:
            chosen.add(collectivities[bisect.bisect(cum, rng.random() * cum[-1])])
        return sorted(chosen)

    doc_count = 0
    passages: set[str] = set()

    def passage() -> str:
        nonlocal doc_count
        if not passages or rng.random() < 0.2:
            doc_count += 1
            d = _iri(f"document/synthetic-{doc_count}")
            w.t(d, RDF_TYPE, p(KGC, "SourceDocument"))
            w.t(d, p(DCT, "title"), _lit(f"Rapport synthétique {doc_count}", "fr"))
            w.t(d, LABEL, _lit(f"Rapport synthétique {doc_count}", "fr"))
            w.t(d, LABEL, _lit(f"Synthetic report {doc_count}", "en"))
            w.t(d, p(DCT, "identifier"), f'"synthetic-{doc_count}.txt"')
        start = rng.randint(0, 50_000)
        ps = _iri(f"passage/synthetic-{doc_count}-{start}-{start + 200}")
        if ps not in passages:
            passages.add(ps)
            w.t(ps, RDF_TYPE, p(KGC, "Passage"))
            w.t(ps, p(DCT, "isPartOf"), _iri(f"document/synthetic-{doc_count}"))
            w.t(ps, p(OA, "start"), _typed(str(start), "nonNegativeInteger"))
            w.t(ps, p(OA, "end"), _typed(str(start + 200), "nonNegativeInteger"))
        return ps

    people: list[str] = []
    for i in itertools.count():
        if w.count >= n_triples:
            break
        roll = rng.random()
        if roll < 0.6:  # agreement
            parties = pick(rng.choices((2, 3, 4), weights=(80, 15, 5))[0])
            a = _iri(f"agreement/synthetic-{i}")
            year = rng.randint(1960, 2025)
            w.t(a, RDF_TYPE, p(KGC, "Agreement"))
            w.t(a, LABEL, _lit(f"Accord synthétique {i} ({year})", "fr"))
            w.t(a, LABEL, _lit(f"Synthetic agreement {i} ({year})", "en"))
            w.t(
                a,
                p(KGC, "agreementType"),
                p(VOCAB, "agreement-type/" + rng.choice(AGREEMENT_TYPES)),
            )
            for party in parties:
                w.t(a, p(KGC, "party"), party)
            if rng.random() < 0.5:
                date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                w.t(a, p(KGC, "signingDate"), _typed(date, "date"))
            else:
                w.t(a, p(KGC, "signingDate"), _typed(str(year), "gYear"))
            w.t(a, p(KGC, "status"), p(VOCAB, "status/" + rng.choice(STATUSES)))
            for sector in rng.sample(sectors, rng.randint(1, 3)):
                w.t(a, p(KGC, "sector"), p(VOCAB, f"sector/{sector}"))
            w.t(a, p(PROV, "wasDerivedFrom"), passage())
        elif roll < 0.85:  # person with a membership
            if not people or rng.random() < 0.7:
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                person = _iri(f"person/{given.lower()}-{family.lower()}-{i}")
                people.append(person)
                w.t(person, RDF_TYPE, p(FOAF, "Person"))
                w.t(person, p(FOAF, "name"), f'"{given} {family}"')
                w.t(person, LABEL, _lit(f"{given} {family}", "fr"))
                w.t(person, LABEL, _lit(f"{given} {family}", "en"))
            person = rng.choice(people)
            org = pick(1)[0]
            role = rng.choice(ROLES)
            m = _iri(f"membership/synthetic-{i}-{role}")
            w.t(m, RDF_TYPE, p(ORG, "Membership"))
            w.t(m, LABEL, _lit(f"{role} ({i})", "fr"))
            w.t(m, LABEL, _lit(f"{role} ({i})", "en"))
            w.t(m, p(ORG, "member"), person)
            w.t(m, p(ORG, "organization"), org)
            w.t(m, p(ORG, "role"), p(VOCAB, f"membership-role/{role}"))
            w.t(m, p(KGC, "roleLabel"), _lit(role.replace("-", " "), "fr"))
            w.t(m, p(KGC, "attestedDate"), _typed(f"{rng.randint(2000, 2025)}-06-01", "date"))
            w.t(m, p(PROV, "wasDerivedFrom"), passage())
        else:  # observation
            indicator, unit = rng.choice(INDICATORS)
            o = _iri(f"observation/synthetic-{i}-{indicator}")
            w.t(o, RDF_TYPE, p(QB, "Observation"))
            w.t(o, LABEL, _lit(f"{indicator} {i}", "fr"))
            w.t(o, LABEL, _lit(f"{indicator} {i}", "en"))
            w.t(o, p(KGC, "subject"), pick(1)[0])
            w.t(o, p(KGC, "indicator"), p(VOCAB, f"indicator/{indicator}"))
            w.t(o, f"<{SDMX_M}>", _typed(f"{rng.randint(1, 10**6)}.0", "decimal"))
            w.t(o, f"<{SDMX_U}>", p(VOCAB, f"unit/{unit}"))
            w.t(o, f"<{SDMX_P}>", _typed(str(rng.randint(2000, 2025)), "gYear"))
            w.t(o, p(KGC, "valueQualifier"), p(VOCAB, "value-qualifier/exact"))
            w.t(o, p(PROV, "wasDerivedFrom"), passage())
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.writelines(w.lines)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--triples N --out FILE [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--triples", type=int, required=True, help="how many triples, about")
    parser.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    path = generate(args.triples, args.out, args.seed)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
