"""Every package the installed code imports is declared in pyproject.toml (and none is declared
for nothing): the import statements of ``infographic/`` read with ``ast``, matched to the
distributions that provide them in the test environment."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

PACKAGE = ROOT / "infographic"
#: where each extra's packages may be imported: only code that runs for that feature
EXTRA_HOMES = {"preview": ("preview/",), "dask": ("batch/executors.py",)}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normalise(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = {extra: _requirement_names(reqs)
              for extra, reqs in project.get("optional-dependencies", {}).items()}
    return _requirement_names(project["dependencies"]), extras


def _third_party_imports() -> list[tuple[str, int, str]]:
    """(file relative to the package, line, top-level module) of every absolute import that is
    neither the standard library nor infographic itself."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("infographic", "__future__"):
                    found.append((path.relative_to(PACKAGE).as_posix(), node.lineno, top))
    return found


def test_every_imported_package_is_declared():
    core, extras = _declared()
    providers = packages_distributions()
    problems = []
    for where, line, module in _third_party_imports():
        dists = {_normalise(d) for d in providers.get(module, [])}
        if not dists:
            problems.append(f"{where}:{line}: '{module}' is not installed here, so no declared "
                            "dependency provides it")
            continue
        if dists & core:
            continue
        homes = [extra for extra, names in extras.items() if dists & names and extra != "test"
                 and where.startswith(EXTRA_HOMES.get(extra, ()))]
        if not homes:
            problems.append(f"{where}:{line}: imports '{module}' (from {', '.join(sorted(dists))})"
                            " but pyproject.toml does not declare it in [project] dependencies")
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_imported():
    core, extras = _declared()
    providers = packages_distributions()
    imported = {_normalise(d) for _, _, module in _third_party_imports()
                for d in providers.get(module, [])}
    for extra in EXTRA_HOMES:
        core = core | extras[extra]
    unused = sorted(core - imported)
    assert not unused, f"declared but never imported by infographic/: {unused}"
