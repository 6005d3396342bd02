"""The manifest of reference sources: for each file its pinned publisher URL, size and SHA-256."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from kg.errors import InputError


@dataclass(frozen=True)
class RemoteFile:
    """One file of a source: where it goes (relative to the source folder) and what it must be."""

    path: str
    url: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Source:
    """One reference source: its name, pinned version, folder in the reference layout and files."""

    name: str
    version: str
    folder: str
    files: tuple[RemoteFile, ...]


def load_manifest(text: str | None = None) -> dict[str, Source]:
    """Sources of the manifest shipped with the package (or of ``text``), by name."""
    if text is None:
        text = resources.files("kg.fetch").joinpath("manifest.toml").read_text("utf-8")
    sources = {}
    for entry in tomllib.loads(text)["source"]:
        files = tuple(RemoteFile(**f) for f in entry["file"])
        sources[entry["name"]] = Source(entry["name"], entry["version"], entry["folder"], files)
    return sources


def select(manifest: dict[str, Source], names: list[str]) -> list[Source]:
    """The sources named (all when none), or an error naming the unknown one."""
    for name in names:
        if name not in manifest:
            raise InputError(f"unknown source {name!r}: kg fetch knows {', '.join(manifest)}")
    return [manifest[n] for n in names] if names else list(manifest.values())
