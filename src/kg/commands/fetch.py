"""`kg fetch [SOURCE...]`: download the reference sources into ``KG_REFERENCE_DIR``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import Progress

from kg.fetch.download import fetch_source
from kg.fetch.manifest import load_manifest, select
from kg.settings import Settings


def register(app: typer.Typer) -> None:
    """Add `kg fetch` to the `kg` app."""

    @app.command("fetch")
    def fetch(
        sources: Annotated[
            list[str] | None, typer.Argument(help="Sources to fetch (default: all).")
        ] = None,
        mirror: Annotated[
            Path | None,
            typer.Option("--from", help="Copy from a local mirror folder holding the same files."),
        ] = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Download each reference source from its publisher (URL, size and SHA-256 pinned in the
        manifest), resuming partial downloads; a file that does not match is not kept."""
        settings = Settings()
        chosen = select(load_manifest(), list(sources or []))
        console = Console(stderr=True)
        with (
            httpx.Client(follow_redirects=True, timeout=60.0) as client,
            Progress(console=console, disable=not progress) as bar,
        ):

            def hook(name: str) -> Callable[[int, int], None]:
                task = bar.add_task(name, total=None)
                return lambda done, total: bar.update(task, completed=done, total=total)

            for source in chosen:
                done = fetch_source(
                    source,
                    settings.reference_dir,
                    client=client,
                    mirror=mirror,
                    project_root=settings.project_root,
                    progress=hook,
                )
                console.print(f"{source.name} {source.version}: {len(done)} file(s) fetched")
