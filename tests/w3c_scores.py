"""A pytest plugin printing the W3C suites' score table at the end of the run.

A test joins a suite with ``record_property("w3c_suite", name)``; the table counts, per suite, the
tests that passed, failed, are known failures (xfail, with their reason in the test module) and
were skipped.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

_SCORES: defaultdict[str, Counter[str]] = defaultdict(Counter)


def _suite(report: pytest.TestReport) -> str | None:
    for name, value in report.user_properties:
        if name == "w3c_suite":
            return str(value)
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count the outcome of each W3C test once (its call phase, or the setup that skipped it)."""
    suite = _suite(report)
    if suite is None:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            outcome = "known failure" if report.skipped else "unexpectedly passed"
        else:
            outcome = report.outcome
        _SCORES[suite][outcome] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The score table: one line per suite."""
    if not _SCORES:
        return
    columns = ("passed", "failed", "known failure", "unexpectedly passed", "skipped")
    writer = terminalreporter
    writer.section("W3C test suites")
    width = max(len(s) for s in _SCORES)
    writer.write_line(f"{'suite':<{width}}  {'total':>5}  " + "  ".join(columns))
    for suite in sorted(_SCORES):
        counts = _SCORES[suite]
        cells = "  ".join(f"{counts[c]:>{len(c)}}" for c in columns)
        writer.write_line(f"{suite:<{width}}  {sum(counts.values()):>5}  {cells}")
