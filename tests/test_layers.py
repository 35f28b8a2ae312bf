"""Imports go one way: the package's layer order, checked by reading every module with ``ast``.

``LAYERS`` below is the one place the order is written (the README's package map draws it).
A module may import modules of its own layer and of the layers before it, never of a later one,
and the modules' imports form no loop.

How imports count:

* module-level imports and imports inside functions both obey the layer order: a function-level
  import defers loading (cold CLI), it does not make an upward dependency acceptable — a lower
  layer that needs a later one gets it handed in or registered (``print`` registers the
  ``print-pdf`` writer with ``output`` the way blocks register with ``blocks``);
* only module-level imports can form a loop: a function-level import runs after every module
  has loaded (that is how a package ``__init__`` exports its submodules lazily);
* imports under ``if TYPE_CHECKING:`` are annotations only and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "infographic"

#: From the bottom up. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("errors", "limits", "cache", "fileio", "paths", "colour", "resources",
                    "sizes", "formatting", "dataparse", "datafile", "version", "isolation",
                    "findings", "usercache", "cairo_ffi", "svgsyntax", "renderkey")),
    ("text", ("text",)),  # fonts, shaping, wrapping, fitting, glyph outlines
    ("themes", ("themes",)),
    ("report", ("fitreport",)),  # what happened to every placed text, and the findings
    ("scene", ("scene",)),  # what a render placed: text runs with glyphs, paint, slot and box
    ("placement", ("placement",)),  # place(text, style, box): fit, place in the scene, report
    ("draw", ("output.fetcher", "output.glyphs", "output.imagedraw", "output.raster",
              "output.shapes", "output.tiles")),
    ("media", ("media",)),  # images, icons and QR codes, prepared for a layout
    ("compose", ("layout", "blocks", "alttext")),  # manifest, data, template, text and blocks
    ("checks", ("checks",)),  # preflight, measured on the laid-out artwork
    ("output", ("output",)),  # writers and encoders, one per format
    ("artwork", ("artwork",)),
    ("render", ("render",)),
    ("print", ("print",)),
    ("apps", ("authoring", "batch", "preview")),
    ("commands", ("cli", "__main__", "authoring.command", "batch.command", "media.command",
                  "preview.command", "print.command", "themes.command")),
    ("api", ("",)),  # infographic/__init__.py only: what ``import infographic`` offers
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer_of(module: str) -> int:
    best, rank = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or (prefix and module.startswith(prefix + "."))) \
                    and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank is not None, (f"infographic.{module} has no layer: add it to LAYERS in "
                              "tests/test_layers.py (and to the README's package map)")
    return rank


def _target(module: str, is_package: bool, node: ast.ImportFrom, name: str) -> str | None:
    """The package module an import names ("" for ``infographic`` itself), or None."""
    if node.level:
        base = module.split(".") if module else []
        if not is_package:
            base = base[:-1]
        base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
        parent = ".".join(base + ([node.module] if node.module else []))
    elif node.module and (node.module == "infographic" or node.module.startswith("infographic.")):
        parent = node.module.removeprefix("infographic").lstrip(".")
    else:
        return None
    candidate = f"{parent}.{name}" if parent else name
    return candidate if candidate in MODULES else parent


def imports(module: str, source: str | None = None) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import of the package in ``module``
    (its file, or ``source`` given as text)."""
    path = MODULES.get(module)
    is_package = path is not None and path.name == "__init__.py"
    found: list[tuple[str, int, bool]] = []

    def visit(nodes: list[ast.stmt], top: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse, top)
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "infographic" or alias.name.startswith("infographic."):
                        found.append((alias.name.removeprefix("infographic").lstrip("."),
                                      node.lineno, top))
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    target = _target(module, is_package, node, alias.name)
                    if target is not None:
                        found.append((target, node.lineno, top))
            inner = top and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                  ast.Lambda))
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit([c for c in children if isinstance(c, ast.stmt)]
                          if field != "handlers" else
                          [s for h in children for s in h.body], inner)

    if source is None:
        assert path is not None, module
        source = path.read_text(encoding="utf-8")
    visit(ast.parse(source).body, True)
    return found


def _name(module: str) -> str:
    return f"infographic.{module}" if module else "infographic"


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_imports_go_down_the_layers() -> None:
    upward = []
    for module in sorted(MODULES):
        here = layer_of(module)
        for target, line, _ in imports(module):
            if layer_of(target) > here:
                upward.append(f"{MODULES[module].relative_to(PACKAGE.parent)}:{line} "
                              f"({LAYERS[here][0]}) imports {_name(target)} "
                              f"({LAYERS[layer_of(target)][0]})")
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_no_import_loops() -> None:
    graph = {m: sorted({t for t, _, top in imports(m) if top and t != m}) for m in MODULES}
    # Tarjan's strongly connected components: any component with two modules is a loop.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, []):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(_name(m) for m in component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    assert not loops, "import loops:\n" + "\n".join(" ↔ ".join(loop) for loop in loops)


def test_the_walk_sees_function_level_imports_and_skips_type_checking() -> None:
    source = ("from typing import TYPE_CHECKING\n"
              "from ..fitreport import FitReport\n"
              "import infographic.sizes\n"
              "if TYPE_CHECKING:\n"
              "    from ..artwork import Artwork\n"
              "def draw():\n"
              "    try:\n"
              "        from ..print import pdf\n"
              "    except ImportError:\n"
              "        pass\n")
    found = imports("text.example", source)
    assert found == [("fitreport", 2, True), ("sizes", 3, True), ("print.pdf", 8, False)]
    # the text layer importing fitreport and print is what test_imports_go_down_the_layers flags
    assert layer_of("fitreport") > layer_of("text.example")
    assert layer_of("print.pdf") > layer_of("output.writers")
    assert layer_of("blocks.charts.kit") == layer_of("layout.context")
    assert layer_of("print.command") > layer_of("print.pdf")
    assert layer_of("") == len(LAYERS) - 1
