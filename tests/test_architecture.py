"""The house rules of the package, checked as a newcomer would check them: the stages import only
downward (import-linter's layers contract in pyproject.toml), ruff is clean, no module is too long
to read in one sitting, no module keeps mutable state, and one module runs pandoc."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import FunctionType, ModuleType

import pressroom

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pressroom"
BIN = Path(sys.executable).parent
MOST_LINES = 500
MUTABLE = (dict, list, set, bytearray)


def _modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.walk_packages(pressroom.__path__, "pressroom.")
             if info.name != "pressroom.__main__"]  # it runs the CLI
    return [importlib.import_module(name) for name in ["pressroom", *names]]


def test_the_stages_import_only_downward() -> None:
    run = subprocess.run([BIN / "lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "0 broken" in run.stdout


def test_the_layers_contract_names_every_package() -> None:
    import tomllib

    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]
    named = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    packages = {f"pressroom.{path.parent.name}" for path in PACKAGE.glob("*/__init__.py")}
    assert packages <= named, packages - named


def test_ruff_is_clean() -> None:
    run = subprocess.run([BIN / "ruff", "check", "src", "tests", "benchmarks", ".ci", "styles"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]


def test_no_module_is_over_500_lines() -> None:
    long = {str(path.relative_to(ROOT)): lines for path in PACKAGE.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert not long, long


def test_no_module_keeps_mutable_state() -> None:
    """A module's globals are constants: tables are frozen (a mapping proxy, a frozenset, a tuple), and
    nothing is cached across calls, so a build depends on its arguments alone."""
    found = []
    for module in _modules():
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, ModuleType):
                continue
            if getattr(value, "__module__", module.__name__) != module.__name__ and not isinstance(value, MUTABLE):
                continue  # imported from elsewhere: checked where it is defined
            if isinstance(value, MUTABLE) or hasattr(value, "cache_info"):
                found.append(f"{module.__name__}.{name}")
            elif isinstance(value, FunctionType) and value.__defaults__:
                found += [f"{module.__name__}.{name} (a mutable default)"
                          for default in value.__defaults__ if isinstance(default, MUTABLE)]
    assert not found, found


def test_one_module_runs_pandoc() -> None:
    """Every pandoc call goes through core/pandoc.py, with its limits."""
    callers = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names]
                names += [node.module] if isinstance(node, ast.ImportFrom) else []
                if any(name and name.split(".")[0] == "pypandoc" for name in names):
                    callers.add(str(path.relative_to(PACKAGE)))
    assert callers == {"core/pandoc.py"}, callers


def test_function_level_imports_say_why() -> None:
    """An import inside a function is there for start-up time (or a heavy, optional dependency) and a
    comment says so, on one of its lines or the line before the group of imports it opens; never to
    hide an import cycle (the layers contract would not see one)."""
    silent = []
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        in_functions = {node.lineno: node for function in ast.walk(tree)
                        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                        for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)}
        imports = [in_functions[line] for line in sorted(in_functions)]
        groups: list[list[ast.stmt]] = []
        for node in imports:  # imports a blank line apart at most are one group
            if groups and node.lineno <= groups[-1][-1].end_lineno + 2:
                groups[-1].append(node)
            else:
                groups.append([node])
        for group in groups:
            first, last = group[0].lineno, group[-1].end_lineno
            if not any("#" in line for line in lines[first - 2:last]):
                silent.append(f"{path.relative_to(ROOT)}:{first}")
    assert not silent, silent
