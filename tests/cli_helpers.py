"""The one way a test runs ``kg``: through its console-script entry point, :func:`kg.cli.main`.

Every CLI test calls :func:`run_kg` (or :func:`start_kg` for a process it watches or stops), so a
test sees what a person at a terminal sees: the exit code, stdout and stderr of its own process, an
80-column terminal unless the test asks for wider, the signals a real process gets, and only the
``KG_*`` settings the test gives (the caller's shell settings are left out). The answer is a
:class:`subprocess.CompletedProcess` whatever runs it.

:func:`invoke_kg` runs the same entry point inside the test process; it is for a test that makes
many calls where nothing of the process matters (the ``--help`` of every command the README shows),
so that each call does not pay a second of interpreter start-up. ``tests/test_architecture.py``
checks that no test calls the CLI any other way (no Typer ``CliRunner``, no ``python -m kg.cli``,
no import of :mod:`kg.cli`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import httpx
import typer.main
from typer.testing import CliRunner

from kg.cli import app, main

#: What the installed ``kg`` script runs (``[project.scripts]`` in pyproject.toml).
ENTRY_POINT = "from kg.cli import main; main()"


def kg_environment(
    env: Mapping[str, str] | None = None, *, columns: int = 80, installed: bool = False
) -> dict[str, str]:
    """This process's environment without its ``KG_*`` settings, a terminal ``columns`` wide, then
    ``env`` on top; ``installed`` also leaves out ``PYTHONPATH``, so an installed copy of ``kg``
    imports its own package rather than the checkout's."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KG_") and not (installed and k == "PYTHONPATH")
    }
    return {**base, "COLUMNS": str(columns), **(env or {})}


def installed_kg(venv: Path) -> Path:
    """The ``kg`` script that installing the package put in the virtual environment ``venv``."""
    return venv / "bin" / "kg"


def _command(args: tuple[str | Path, ...], kg: Path | None) -> list[str]:
    program = [str(kg)] if kg is not None else [sys.executable, "-c", ENTRY_POINT]
    return [*program, *map(str, args)]


def run_kg(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    columns: int = 80,
    kg: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` in its own process, to the end; ``kg`` names an installed script to run instead
    of this checkout's entry point."""
    return subprocess.run(
        _command(args, kg),
        env=kg_environment(env, columns=columns, installed=kg is not None),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_kg(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: int | IO[Any] | None = subprocess.DEVNULL,
    stderr: int | IO[Any] | None = subprocess.PIPE,
    text: bool = False,
    kg: Path | None = None,
) -> subprocess.Popen[Any]:
    """``kg ARGS`` started in its own process and left running: the caller reads it, signals it
    and waits for it (``kg serve``, a ``kg load`` killed mid-write)."""
    return subprocess.Popen(
        _command(args, kg),
        env=kg_environment(env, installed=kg is not None),
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        text=text,
    )


def wait_until_serving(proc: subprocess.Popen[Any], port: int, within: float) -> httpx.Response:
    """The first answer of ``/healthz`` from a ``kg serve`` started on ``port``; fails (with the
    process's stderr) if it ends first, or when nothing answers within ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, f"kg serve did not answer within {within:g} s"
            time.sleep(0.2)


def invoke_kg(
    *args: str | Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` through the same entry point inside this process, its output captured (and
    ``env`` set on top of this process's environment while it runs)."""
    argv = ["kg", *map(str, args)]
    saved = sys.argv
    code: Any = 0
    with CliRunner().isolation(env=env) as (out, err, _):
        sys.argv = argv
        try:
            main()
        except SystemExit as stop:
            code = stop.code
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    returncode = code if isinstance(code, int) else 0 if code is None else 1
    return subprocess.CompletedProcess(argv, returncode, stdout, stderr)


def command_tree() -> Any:
    """The click command behind ``kg`` (Typer vendors its own click), to read its commands and
    options without running it."""
    return typer.main.get_command(app)
