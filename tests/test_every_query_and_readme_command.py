"""What the docs promise: every named query of ``queries/`` runs on the seed store (with the example
values of its ``# param:`` header), and every ``kg`` command README.md shows exists, with its options."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from cli_helpers import command_tree, invoke_kg
from kg.queries import NamedQuery, QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.store import open_store

LIBRARY = QueryLibrary(PROJECT_ROOT / "queries")
EXAMPLE = re.compile(r"e\.g\.\s+(\S+)")


def example_values(query: NamedQuery) -> dict[str, str]:
    """Each parameter's example value (``e.g. X`` in its description), or its default."""
    values = {}
    for param in query.parameters:
        match = EXAMPLE.search(param.description)
        if match:
            values[param.name] = match.group(1).rstrip(".,;)")
        elif param.required:
            pytest.fail(f"{query.path.name}: required parameter {param.name} gives no example")
    return values


@pytest.fixture(scope="module")
def seed_store(project_store_path: Path) -> ox.Store:
    """The session's project store (ontology and seeds), opened read-only."""
    return open_store(project_store_path, read_only=True)


@pytest.mark.parametrize("name", LIBRARY.names())
def test_every_named_query_runs_on_the_seed_store(seed_store: ox.Store, name: str) -> None:
    result = LIBRARY.run(seed_store, name, **example_values(LIBRARY.get(name)))
    if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
        list(result)  # evaluate every row: errors surface here
    else:
        assert isinstance(result, bool | ox.QueryBoolean)  # ASK


def readme_commands() -> list[list[str]]:
    """Every ``kg ...`` command line of README.md (code blocks and inline code), as tokens."""
    text = (PROJECT_ROOT / "README.md").read_text("utf-8")
    lines = [m.group(1) for m in re.finditer(r"`(kg [^`]+)`", text)]
    lines += [line.strip() for line in text.splitlines() if line.strip().startswith("kg ")]
    commands = []
    for line in lines:
        line = line.split("  #")[0].strip()
        try:
            tokens = shlex.split(line.replace("[", " ").replace("]", " ").replace("…", " "))
        except ValueError:
            continue
        if len(tokens) > 1:
            commands.append(tokens[1:])
    return commands


@pytest.mark.parametrize("tokens", readme_commands(), ids=" ".join)
def test_every_command_of_the_readme_parses(tokens: list[str]) -> None:
    command: Any = command_tree()
    path: list[str] = []
    for token in tokens:
        if hasattr(command, "commands") and token in command.commands:
            command = command.commands[token]
            path.append(token)
        elif (
            hasattr(command, "commands")
            and not token.startswith("-")
            and not token.isupper()
            and not path
        ):
            pytest.fail(f"README shows `kg {' '.join(tokens)}` but kg has no command {token!r}")
    if not path:
        assert tokens[0] in ("--help", "--version") or tokens[0].isupper(), tokens
        return
    options = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)} | {"--help"}
    for token in tokens:
        if token.startswith("--"):
            assert token.split("=")[0] in options, f"kg {' '.join(path)} has no option {token}"
    result = invoke_kg(*path, "--help")
    assert result.returncode == 0, result.stdout + result.stderr
