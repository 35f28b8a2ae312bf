"""Atomic file writes (a reader, or a rerun after a crash, never sees half a file), and a bounded
read of a regular file (never a FIFO or a device that could block or never end)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


@contextmanager
def atomic_file(target: "str | os.PathLike[str]", mode: str = "wb", *,
                permissions: int | None = None, **open_args: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``target`` for writing; on leaving the block without an
    error it replaces ``target`` (with the usual permissions; ``mkstemp`` alone would make it
    private), on an error it is removed and ``target`` is left as it was.

    The one way this package writes a file: ``with atomic_file(path, "w", encoding="utf-8") as
    out: out.write(...)``; ``permissions=0o600`` for a private file. Raises
    :class:`OutputError` when the file cannot be written.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, mode, **open_args) as out:
            yield out
        os.chmod(tmp, 0o666 & ~_UMASK if permissions is None else permissions)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (None, tmp, str(target)):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise  # not about this file (e.g. a file being zipped could not be read)


def require_suffix(path: "str | os.PathLike[str]", suffixes: tuple[str, ...], option: str,
                   what: str) -> Path:
    """``path``, if its suffix is one of ``suffixes``; else an :class:`OutputError` naming the
    right ones, before anything is rendered (a PDF named ``x.png`` opens nowhere)."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{option} {path}: {what} is written as {' or '.join(suffixes)}; name "
                          f"it {path.with_suffix(suffixes[0]).name}")
    return path


def write_atomic(target: "str | os.PathLike[str]", data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_file`)."""
    with atomic_file(target) as out:
        out.write(data)
    return Path(target)


def read_regular(path: "str | os.PathLike[str]", limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else OSError.

    The file is opened without blocking and checked after opening, so a FIFO (which would block
    forever), a device such as ``/dev/zero`` (which never ends) or a socket — also one swapped in
    under the name, or reached through a symlink — is refused instead of read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > limit:
                raise OSError(errno.EFBIG, f"larger than {limit:,} bytes", os.fspath(path))
            chunks.append(chunk)
    finally:
        os.close(fd)
