"""The steps of `kg import all` are said as they happen, with the time each took, and a step
without a bar of its own (converting, reconciling) shows a spinner while it runs."""

from __future__ import annotations

import io

from rich.console import Console

from kg.commands.steps import Steps


def test_steps_print_names_durations_and_spin_while_converting() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    ticks = iter([0.0, 0.0, 2.5, 2.5, 10.0, 10.0, 11.0])
    steps = Steps(console, "full build", clock=lambda: next(ticks))
    steps("ontology")
    assert steps._status is None  # the load shows its own bar
    steps("converting and reconciling twinnings")
    assert steps._status is not None  # a spinner while it runs
    steps("validating and loading seeds and imports")
    assert steps._status is None
    steps.close()
    text = out.getvalue()
    assert "full build: ontology took 2.5 s" in text
    assert "full build: converting and reconciling twinnings took 7.5 s" in text
    assert "full build: validating and loading seeds and imports took 1.0 s" in text
