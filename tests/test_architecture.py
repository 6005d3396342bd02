"""The package's import graph: no two modules import each other (directly or round a longer cycle),
and no module imports from a layer above its own.

Imports are read with :mod:`ast` from the source files, including imports inside functions (a lazy
import is still a dependency); imports under ``if TYPE_CHECKING:`` are left out, since they never run.
The tests keep two rules of their own: every CLI test runs ``kg`` through ``cli_helpers``, and no
test module imports another (what they share lives in ``tests/*_helpers.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Layers from the bottom up; a module may import from its own layer and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    (
        "kg",
        "kg.errors",
        "kg.settings",
        "kg.namespaces",
        "kg.iris",
        "kg.prefixes",
        "kg.queries",
        "kg.sources",
        "kg.sparql_formats",
        "kg.store",
    ),
    ("kg.ontology",),
    ("kg.validation",),
    ("kg.ingest", "kg.fetch"),
    ("kg.importers.reconcile",),  # matching names to entities, used by the importers
    ("kg.importers", "kg.network", "kg.extract"),
    ("kg.reconciliation",),
    ("kg.web",),
    ("kg.release",),  # a release describes the dumps the web layer writes
    ("kg.commands", "kg.cli"),
]


def module_name(path: Path) -> str:
    """``src/kg/web/app.py`` → ``kg.web.app``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports at run time (the longest known prefix of each name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        if not names or _under_type_checking(node, parents):
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != own:
                found.add(name)
    return found


def import_graph() -> nx.DiGraph:
    """Module → module edges for every runtime import inside the ``kg`` package."""
    files = {module_name(p): p for p in (SRC / "kg").rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        for target in imports_of(path, set(files)):
            graph.add_edge(name, target)
    return graph


def layer_of(module: str) -> int:
    """Index in :data:`LAYERS` of the most specific prefix naming ``module``."""
    best, depth = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    if best < 0:
        pytest.fail(f"module {module} is in no layer of tests/test_architecture.py")
    return best


def _is_package_init_of(importer: str, imported: str) -> bool:
    """A package's ``__init__`` re-exporting its own submodules is not an arrow between modules."""
    return imported.startswith(importer + ".")


def test_no_import_cycles() -> None:
    graph = import_graph()
    edges = [(a, b) for a, b in graph.edges if not _is_package_init_of(a, b)]
    cycles = list(nx.simple_cycles(nx.DiGraph(edges)))
    assert not cycles, "import cycles: " + "; ".join(" → ".join([*c, c[0]]) for c in cycles)


def test_no_module_imports_from_a_layer_above() -> None:
    graph = import_graph()
    upward = [
        f"{a} → {b}"
        for a, b in graph.edges
        if a != "kg" and not _is_package_init_of(a, b) and layer_of(b) > layer_of(a)
    ]
    assert not upward, "imports from a higher layer: " + "; ".join(sorted(upward))


def test_the_checker_sees_a_planted_cycle(tmp_path: Path) -> None:
    """The reader finds both kinds of import, relative ones included, and skips TYPE_CHECKING."""
    pkg = tmp_path / "kg" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "a.py").write_text("from kg.pkg import b\n")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kg.pkg import c\n"
        "def f():\n    from . import a\n"
    )
    (pkg / "c.py").write_text("")
    known = {"kg", "kg.pkg", "kg.pkg.a", "kg.pkg.b", "kg.pkg.c"}
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        assert imports_of(pkg / "a.py", known) == {"kg.pkg", "kg.pkg.b"}
        assert imports_of(pkg / "b.py", known) == {"kg.pkg", "kg.pkg.a"}
    finally:
        SRC = saved


#: The test module through which every test runs the CLI (see its docstring for why one way).
CLI_HELPER = "cli_helpers.py"


def _joined_to_a_path(node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Div) and parent.right is node


def _after_dash_m(node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    if not isinstance(parent, ast.List | ast.Tuple):
        return False
    index = parent.elts.index(node)
    before = parent.elts[index - 1] if index else None
    return isinstance(before, ast.Constant) and before.value == "-m"


def other_cli_calls(path: Path) -> list[str]:
    """Each place where the test module ``path`` runs ``kg`` other than through ``cli_helpers``:
    Typer's or click's ``CliRunner``, an import of :mod:`kg.cli` (to call ``app`` or ``main``), a
    process ``python -m kg.cli`` or ``python -c "from kg.cli import main…"``, or a ``…/bin/kg``
    script."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if ("kg.cli" in text and ("import" in text or _after_dash_m(node, parents))) or (
                text == "kg" and _joined_to_a_path(node, parents)
            ):
                found.append(f"{where} runs {text!r}")
            continue
        else:
            continue
        for name in names:
            if name.endswith(".CliRunner") or name in ("typer.testing", "click.testing"):
                found.append(f"{where} uses {name}")
            elif name == "kg.cli" or name.startswith("kg.cli."):
                found.append(f"{where} imports {name}")
    return sorted(set(found))


def test_every_cli_test_runs_kg_through_cli_helpers() -> None:
    tests = Path(__file__).resolve().parent
    modules = [p for p in tests.rglob("*.py") if p.name not in (CLI_HELPER, Path(__file__).name)]
    found = [call for path in modules for call in other_cli_calls(path)]
    assert not found, "run kg through tests/cli_helpers.py (run_kg, start_kg): " + "; ".join(found)


def test_the_cli_check_sees_every_other_way(tmp_path: Path) -> None:
    """Each of the styles the suite used before ``cli_helpers`` is caught; the helper's calls are not."""
    planted = {
        "runner.py": "from typer.testing import CliRunner\n",
        "click_runner.py": "import click.testing\n",
        "app.py": "from kg.cli import app\n",
        "package.py": "from kg import cli\nimport kg.cli\n",
        "dash_m.py": 'import sys\nargs = [sys.executable, "-m", "kg.cli", "load"]\n',
        "dash_c.py": 'args = ["python", "-c", "from kg.cli import main; main()"]\n',
        "script.py": 'from pathlib import Path\nkg = Path("venv") / "bin" / "kg"\n',
    }
    for name, text in planted.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert other_cli_calls(tmp_path / name), name
    fine = tmp_path / "fine.py"
    fine.write_text(
        'from cli_helpers import run_kg\nrun_kg("load", "x.ttl")\nLAYERS = [("kg.commands", "kg.cli")]\n',
        encoding="utf-8",
    )
    assert other_cli_calls(fine) == []


def imports_of_test_modules(path: Path) -> list[str]:
    """Each import of another test module (``test_*``) by the module ``path``: what two test modules
    share belongs in a ``*_helpers.py`` module, so that running one never collects the other's
    tests and a module can be moved or removed alone."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        found += [
            f"{path.name}:{node.lineno} imports {name}"
            for name in names
            if name.split(".")[0].startswith("test_")
        ]
    return found


def test_no_test_module_imports_another() -> None:
    tests = Path(__file__).resolve().parent
    found = [hit for path in sorted(tests.rglob("*.py")) for hit in imports_of_test_modules(path)]
    assert not found, "move what test modules share into a tests/*_helpers.py: " + "; ".join(found)


def test_the_test_import_check_sees_both_forms(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from test_other import helper\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("import test_other.sub as o\n", encoding="utf-8")
    (tmp_path / "c.py").write_text(
        "from ingest_helpers import kg\nfrom kg import settings\nimport testing\n", encoding="utf-8"
    )
    assert imports_of_test_modules(tmp_path / "a.py") == ["a.py:1 imports test_other"]
    assert imports_of_test_modules(tmp_path / "b.py") == ["b.py:1 imports test_other.sub"]
    assert imports_of_test_modules(tmp_path / "c.py") == []
