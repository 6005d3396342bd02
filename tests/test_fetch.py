"""`kg fetch` against a real HTTP server on 127.0.0.1 serving fixture copies: a success, a checksum
mismatch (nothing kept), a 404, an interrupted transfer resumed with a range request, and `--from`."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from cli_helpers import run_kg
from kg.errors import InputError
from kg.fetch.download import fetch_source
from kg.fetch.manifest import RemoteFile, Source, load_manifest, select
from kg.settings import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "reference" / "iati-codelists"
FILES = ("nonembedded/Sector.xml", "embedded/ActivityStatus.xml")


@dataclass
class Served:
    """What the server serves and what it was asked."""

    root: Path
    cut_once: set[str] = field(default_factory=set)
    ranges: list[str | None] = field(default_factory=list)


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = served.root / self.path.lstrip("/")
            served.ranges.append(self.headers.get("Range"))
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            start = 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            if self.path in served.cut_once:  # send half, then drop the connection
                served.cut_once.discard(self.path)
                self.wfile.write(data[start : len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data[start:])

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    served = Served(FIXTURE)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    httpd.shutdown()
    httpd.server_close()


def _source(url: str, sha: dict[str, str] | None = None) -> Source:
    files = []
    for name in FILES:
        data = (FIXTURE / name).read_bytes()
        digest = (sha or {}).get(name) or hashlib.sha256(data).hexdigest()
        files.append(RemoteFile(name, f"{url}/{name}", len(data), digest))
    return Source("iati-codes", "test", "iati-codelists", tuple(files))


def test_success_writes_the_pinned_bytes(server: tuple[str, Served], tmp_path: Path) -> None:
    url, _ = server
    with httpx.Client() as client:
        done = fetch_source(_source(url), tmp_path, client=client)
    assert len(done) == 2
    for name in FILES:
        assert (tmp_path / "iati-codelists" / name).read_bytes() == (FIXTURE / name).read_bytes()
    with httpx.Client() as client:  # a second run finds them complete
        assert fetch_source(_source(url), tmp_path, client=client) == []


def test_checksum_mismatch_keeps_nothing(server: tuple[str, Served], tmp_path: Path) -> None:
    url, _ = server
    source = _source(url, {FILES[0]: "0" * 64})
    with httpx.Client() as client, pytest.raises(InputError, match="nothing was kept"):
        fetch_source(source, tmp_path, client=client)
    folder = tmp_path / "iati-codelists" / "nonembedded"
    assert list(folder.iterdir()) == []


def test_404_is_one_clear_error(server: tuple[str, Served], tmp_path: Path) -> None:
    url, _ = server
    missing = RemoteFile("nonembedded/Nope.xml", f"{url}/nonembedded/Nope.xml", 1, "0" * 64)
    source = Source("iati-codes", "test", "iati-codelists", (missing,))
    with httpx.Client() as client, pytest.raises(InputError, match="HTTP 404"):
        fetch_source(source, tmp_path, client=client)
    assert not (tmp_path / "iati-codelists" / "nonembedded" / "Nope.xml").exists()


def test_interrupted_transfer_is_resumed(server: tuple[str, Served], tmp_path: Path) -> None:
    url, served = server
    served.cut_once.add("/" + FILES[0])
    source = _source(url)
    target = tmp_path / "iati-codelists" / FILES[0]
    with httpx.Client() as client, pytest.raises(httpx.HTTPError):
        fetch_source(source, tmp_path, client=client)
    part = target.with_name(target.name + ".part")
    half = (FIXTURE / FILES[0]).stat().st_size // 2
    kept = part.stat().st_size  # what arrived before the cut, in whole chunks
    assert 0 < kept <= half and not target.exists()
    with httpx.Client() as client:
        fetch_source(source, tmp_path, client=client)
    assert target.read_bytes() == (FIXTURE / FILES[0]).read_bytes()
    assert f"bytes={kept}-" in served.ranges, served.ranges
    assert not part.exists()


def test_manifest_pins_every_source_of_the_import_layout() -> None:
    from kg.importers.pipeline import SHARED_LAYOUT

    manifest = load_manifest()
    assert {s.folder for s in manifest.values()} >= {
        folder.split("/")[0] for folder in SHARED_LAYOUT.values()
    }
    for source in manifest.values():
        for remote in source.files:
            assert len(remote.sha256) == 64 and remote.size > 0, remote
    with pytest.raises(InputError, match="unknown source 'nope'"):
        select(manifest, ["nope"])


def test_cli_from_a_mirror_verifies_what_it_copies(tmp_path: Path) -> None:
    mirror = PROJECT_ROOT / "tests" / "fixtures" / "reference"  # excerpts: iati files are whole
    reference = tmp_path / "reference"
    env = {"KG_REFERENCE_DIR": str(reference)}
    result = run_kg("fetch", "iati-codes", "--from", mirror, "--no-progress", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (reference / "iati-codelists" / "nonembedded" / "Sector.xml").is_file()
    bad = run_kg("fetch", "cog", "--from", mirror, "--no-progress", env=env)
    assert bad.returncode != 0  # the COG excerpt is not the pinned national file
    assert not (reference / "cog-etalab-decoupage-2026" / "communes.json").exists()
