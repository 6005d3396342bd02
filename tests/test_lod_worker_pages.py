"""Resource pages built in a query worker (:mod:`kg.web.lod.page_job`) are the pages the server
builds in-process (:func:`kg.web.lod.resolve.resolve`), byte for byte: status, headers and body, for
every resource of a real on-disk store, in HTML (both languages) and RDF, and for the answers that
are not pages (404, 406, a malformed IRI). The one allowed difference is the random label of the
blank node standing for the description document, renamed in order of appearance on both sides."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from kg.errors import InputError, KGError
from kg.settings import PROJECT_ROOT
from kg.web.lod.page_job import PageRequest, answer, response_of
from kg.web.worker_pool import WorkerPool
from lod_helpers import BASE, build_lod_store, subjects

QUERIES = str(PROJECT_ROOT / "queries")
BLANK = re.compile(rb"_:[A-Za-z0-9]+")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lod_store(tmp_path_factory.mktemp("worker-pages") / "store")


def job(path: str, accept: str, **params: str) -> PageRequest:
    headers = [(b"host", b"testserver"), (b"accept", accept.encode())]
    scope = {
        "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": urlencode(params).encode(),
        "root_path": "", "headers": headers, "server": ("testserver", 80),
    }  # fmt: skip
    return PageRequest(scope, BASE, QUERIES)


def canonical(body: bytes) -> bytes:
    """``body`` with its blank node labels renamed in order of first appearance."""
    names: dict[bytes, bytes] = {}
    return BLANK.sub(lambda m: names.setdefault(m.group(), b"_:b%d" % len(names)), body)


Headers = list[tuple[bytes, bytes]]


def seen(status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
    """What is compared: status, headers (the length checked against the body, then left out: the
    renamed blank node changes it) and the canonical body."""
    assert (b"content-length", str(len(body)).encode()) in headers
    return status, [h for h in headers if h[0] != b"content-length"], canonical(body)


def in_process(store: ox.Store, page: PageRequest) -> tuple[int, Headers, bytes]:
    response = answer(store, page)
    return seen(response.status_code, response.raw_headers, bytes(response.body))


def jobs(store: ox.Store) -> Iterator[PageRequest]:
    for iri in subjects(store):
        path = "/" + iri.removeprefix(BASE)
        yield job(path, "text/html", lang="fr")
        yield job(path, "text/html", lang="en")
        yield job(path, "text/turtle")
    yield job("/id/nothing-here", "text/html")  # 404 page
    yield job("/id/nothing-here", "text/turtle")  # 404 in the error shape
    yield job("/def", "image/png")  # 406
    yield job("/graph/seed", "text/html")
    yield job("/def/Collectivity", "text/html", partners="2")


def test_pages_from_a_worker_are_the_pages_built_in_process(store_path: Path) -> None:
    store = ox.Store.read_only(str(store_path))
    expected = [(page, in_process(store, page)) for page in jobs(store)]
    assert len(expected) > 50 and {status for _, (status, _, _) in expected} >= {200, 404, 406}

    async def compare() -> int:
        pool = WorkerPool(store_path, size=1, isolate=False, quick=1)
        await pool.start()
        try:
            compared = 0
            for page, (status, headers, body) in expected:
                result = await pool.run(page, 30)
                got = b"".join([chunk async for chunk in result.body])
                response = response_of(result.header, got)
                remote = seen(response.status_code, response.raw_headers, bytes(response.body))
                assert remote == (status, headers, body), page.scope["path"]
                compared += 1
            return compared
        finally:
            await pool.close()

    assert asyncio.run(compare()) == len(expected)


def test_a_malformed_iri_is_the_same_error_from_a_worker(store_path: Path) -> None:
    store = ox.Store.read_only(str(store_path))
    page = job("/id/a b<c", "text/html")
    with pytest.raises(InputError) as local:
        answer(store, page)

    async def remote() -> KGError:
        pool = WorkerPool(store_path, size=1, isolate=False)
        await pool.start()
        try:
            await pool.run(page, 30)
        except KGError as exc:
            return exc
        finally:
            await pool.close()
        raise AssertionError("the worker answered a malformed IRI")

    error = asyncio.run(remote())
    assert type(error) is InputError and str(error) == str(local.value)
