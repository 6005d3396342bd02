"""Getting one file of a source: download (resuming a partial ``.part``), or copy from a mirror, then
verify size and SHA-256; a file that does not match is deleted, never kept."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import httpx

from kg.errors import InputError
from kg.fetch.manifest import RemoteFile, Source

#: Called with (bytes so far, total bytes) while a file is transferred.
Progress = Callable[[int, int], None]
CHUNK = 1 << 16


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def is_complete(path: Path, remote: RemoteFile) -> bool:
    """True when ``path`` already holds exactly the pinned file."""
    return (
        path.is_file() and path.stat().st_size == remote.size and sha256_file(path) == remote.sha256
    )


def verify(part: Path, target: Path, remote: RemoteFile) -> None:
    """Move ``part`` to ``target`` if it is the pinned file; otherwise delete it and say why."""
    size = part.stat().st_size
    digest = sha256_file(part)
    if size != remote.size or digest != remote.sha256:
        part.unlink()
        raise InputError(
            f"{remote.url} gave {size} bytes with SHA-256 {digest}, the manifest pins "
            f"{remote.size} bytes with {remote.sha256}: nothing was kept"
        )
    part.replace(target)


def download(
    client: httpx.Client, remote: RemoteFile, target: Path, progress: Progress | None = None
) -> None:
    """Download ``remote`` to ``target``, resuming ``target.part`` with an HTTP range request."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if have > remote.size:
        part.unlink()
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.stream("GET", remote.url, headers=headers) as response:
        if response.status_code == 416 and have == remote.size:
            pass  # already whole: verified below
        elif response.status_code not in (200, 206):
            raise InputError(f"{remote.url} answered HTTP {response.status_code}: not downloaded")
        else:
            if response.status_code == 200:
                have = 0  # the server ignored the range: start again
            with part.open("ab" if have else "wb") as handle:
                for block in response.iter_bytes(CHUNK):
                    handle.write(block)
                    have += len(block)
                    if progress:
                        progress(have, remote.size)
    verify(part, target, remote)


def copy_from(mirror: Path, source: Source, remote: RemoteFile, target: Path) -> None:
    """Copy one file from a local mirror laid out like the reference folder, then verify it."""
    origin = mirror / source.folder / remote.path
    if not origin.is_file():
        raise InputError(f"{origin} is missing: the mirror has no {source.name} file {remote.path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    shutil.copyfile(origin, part)
    verify(part, target, remote)


def fetch_source(
    source: Source,
    reference_dir: Path,
    *,
    client: httpx.Client | None = None,
    mirror: Path | None = None,
    project_root: Path | None = None,
    progress: Callable[[str], Progress | None] | None = None,
) -> list[Path]:
    """Bring every file of ``source`` into ``reference_dir``; return the files transferred."""
    done = []
    for remote in source.files:
        target = reference_dir / source.folder / remote.path
        if is_complete(target, remote):
            continue
        if remote.url.startswith("project:") and project_root is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            shutil.copyfile(project_root / remote.url.removeprefix("project:"), part)
            verify(part, target, remote)
        elif mirror is not None:
            copy_from(mirror, source, remote, target)
        elif client is not None:
            download(client, remote, target, progress(remote.path) if progress else None)
        else:
            raise InputError(f"{target} is missing and no way to fetch it was given")
        done.append(target)
    return done
