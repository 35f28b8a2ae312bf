"""cairocffi without its start-up cost.

Importing cairocffi costs about 0.2 s of every command that draws, in two parts:

* it parses cairo's C declarations with pycparser. cffi can save parsed declarations as a
  Python module instead ("out-of-line ABI mode": type tables, no parsing, no C compiler). The
  first process that draws builds that module from cairocffi's own declarations into the
  per-user cache (infographic/usercache.py: private folder, one entry per cairocffi, cffi and
  Python version); later processes load it and hand it to cairocffi as its ``cairocffi.ffi``
  module, which is all cairocffi takes from there;
* it looks for the cairo library under three names with ``ctypes.util.find_library``, and on
  Linux each name that is not there costs a run of ``ldconfig`` and ``gcc``. While cairocffi
  imports, ``find_library`` answers from the answers kept in the same cache.

Anything unexpected (no cache folder, an unfamiliar cairocffi, xcffib present) and cairocffi
imports as it always does. ``INFOGRAPHIC_CACHE=0`` turns this off with the other caches. Every
module that imports cairocffi or cairosvg calls :func:`load_cairocffi` first.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib.util
import io
import json
import os
import sys
import tempfile
import types
from pathlib import Path
from typing import Iterator

from . import usercache
from .fileio import write_atomic

_KIND = "cairo-ffi"
_MODULES = ("ffi", "ffi_pixbuf")  # what cairocffi.ffi defines and cairocffi imports from it


def _versions() -> str:
    """What the saved bindings depend on: cairocffi's declaration files, cffi, Python."""
    spec = importlib.util.find_spec("cairocffi")
    if spec is None or spec.origin is None:
        return ""
    import _cffi_backend

    folder = Path(spec.origin).parent
    try:
        sources = [(folder / f).read_bytes() for f in ("ffi.py", "constants.py")]
    except OSError:
        return ""
    return usercache.key(*sources, _cffi_backend.__version__, sys.version)


def _paths(versions: str) -> tuple[Path, Path] | None:
    folder = usercache.cache_dir()
    if folder is None or not versions:
        return None
    name = usercache.key(_KIND, versions)[:32]
    return folder / _KIND / f"_infographic_cairo_{name}.py", \
        folder / _KIND / f"_infographic_cairo_{name}_pixbuf.py"


def _load(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # the pixbuf module imports the main one by this name
    spec.loader.exec_module(module)
    return module


def _build(main: Path, pixbuf: Path) -> None:
    """Import cairocffi the usual way (this once) and save its declarations for next time."""
    import cairocffi  # noqa: F401 - parses the declarations

    ffi_module = sys.modules["cairocffi.ffi"]
    main.parent.mkdir(mode=0o700, exist_ok=True)
    for ffi, path in ((ffi_module.ffi, main), (ffi_module.ffi_pixbuf, pixbuf)):
        ffi.set_source(path.stem, None)
        with tempfile.TemporaryDirectory() as scratch:  # cffi writes to a name it is given
            text = Path(scratch) / path.name
            with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
                ffi.emit_python_code(str(text))
            write_atomic(path, text.read_bytes())  # processes may race here


@contextlib.contextmanager
def _remembered_find_library(versions: str) -> Iterator[None]:
    """``ctypes.util.find_library`` answering from the per-user cache within the block."""
    name = usercache.key("find-library", versions, sys.platform)
    try:
        answers = json.loads(usercache.get("find-library", name) or b"{}")
    except ValueError:
        answers = {}
    looked_up = dict(answers)
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name not in looked_up:
            looked_up[name] = original(name)
        return looked_up[name]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
        if looked_up != answers:
            usercache.put("find-library", name, json.dumps(looked_up).encode())


def load_cairocffi() -> None:
    """Import cairocffi, from the saved declarations when there are some (they are saved on the
    first call for this user and these versions). Call it before importing cairosvg."""
    if "cairocffi" in sys.modules or importlib.util.find_spec("xcffib") is not None:
        return
    versions = _versions()
    paths = _paths(versions)
    if paths is None:
        return
    main, pixbuf = paths
    with _remembered_find_library(versions):
        if not (main.is_file() and pixbuf.is_file()):
            with contextlib.suppress(OSError):
                _build(main, pixbuf)
            return
        try:
            bindings = types.ModuleType("cairocffi.ffi", "cairocffi's bindings, from "
                                        "infographic's per-user cache")
            bindings.ffi = _load(main).ffi  # type: ignore[attr-defined]
            bindings.ffi_pixbuf = _load(pixbuf).ffi  # type: ignore[attr-defined]
            sys.modules["cairocffi.ffi"] = bindings
            import cairocffi  # noqa: F401
        except Exception:  # noqa: BLE001 - any failure: cairocffi imports the usual way
            for name in [n for n in sys.modules if n.split(".")[0] == "cairocffi"]:
                del sys.modules[name]
            import cairocffi  # noqa: F401,F811
