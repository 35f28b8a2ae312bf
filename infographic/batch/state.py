"""The batch's memory of finished outputs, kept in ``OUTDIR/.infographic-batch/``.

For every output file the state holds one JSON line: its fingerprint (see
:mod:`.fingerprint`), the sha256 and length of the bytes written, and the fit result. The line is
appended *before* the file is moved into place, so whatever a crash or ``kill -9`` interrupts, a
complete output file always has its line, and a rerun skips exactly the outputs whose file is
there, unchanged, with the current fingerprint. A half-written line (the process died while
appending) is ignored; a ``.part`` temporary left by a killed write is removed by the next run.
Each shard appends to its own file, so shards can share one output folder.

Runs on one folder at the same time (the whole file and ``--shard 1/2``, say) coordinate through
:class:`Claims`: an output is rendered only by the run that holds its claim, and a run picks up
the others' records as they are appended (:meth:`StateStore.refresh`), so nothing is rendered
twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError
from ..fileio import write_atomic
from ..findings import Finding

STATE_DIR = ".infographic-batch"


@dataclass(frozen=True)
class Record:
    fingerprint: str
    sha256: str
    length: int
    fit: str = "fit"
    findings: tuple[Finding, ...] = ()


def _findings(item: dict[str, Any]) -> tuple[Finding, ...]:
    """A state line's findings; a line written before they were typed has only messages."""
    if "findings" in item:
        return tuple(Finding.from_dict(f) for f in item["findings"])
    return tuple(Finding("", "warning", "", str(w)) for w in item.get("warnings", ()))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class StateStore:
    """Load the records of earlier runs; :meth:`commit` writes one output and records it."""

    def __init__(self, outdir: "str | Path", shard: str = "all") -> None:
        self.outdir = Path(outdir)
        self.folder = self.outdir / STATE_DIR
        self.path = self.folder / f"state-{shard}.jsonl"
        self.records: dict[str, Record] = {}
        #: Every output path any run has recorded in this folder (for the stale-output list).
        self.known: set[str] = set()
        self._handle: IO[str] | None = None
        self._leftovers: dict[str, list[Path]] = {}
        self._offsets: dict[Path, int] = {}  # how far each state file has been read
        self._read(include_own=True)

    def _read(self, include_own: bool) -> None:
        """Read the lines appended to the state files since the last read (whole lines only: a
        line being written is read next time, a line cut short by a killed run is skipped)."""
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("state-*.jsonl")):
            if path == self.path and not include_own:
                continue
            with path.open("rb") as handle:
                handle.seek(self._offsets.get(path, 0))
                data = handle.read()
            end = data.rfind(b"\n") + 1
            self._offsets[path] = self._offsets.get(path, 0) + end
            for line in data[:end].decode("utf-8", "replace").splitlines():
                try:
                    item = json.loads(line)
                    record = Record(item["fp"], item["sha256"], int(item["length"]),
                                    item.get("fit", "fit"), _findings(item))
                    relpath = str(item["path"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a killed run
                self.records[relpath] = record
                self.known.add(relpath)

    def refresh(self) -> None:
        """Pick up what other runs on this folder committed since this one started."""
        self._read(include_own=False)

    def take(self, relpath: str) -> Record | None:
        """The record of ``relpath`` from earlier runs, forgotten here once it has been used, so
        memory falls as a rerun proceeds instead of growing with the batch."""
        return self.records.pop(relpath, None)

    def is_current(self, relpath: str, fingerprint: str) -> bool:
        """True when ``relpath`` exists with the bytes recorded for this ``fingerprint``."""
        record = self.records.get(relpath)
        if record is None or record.fingerprint != fingerprint:
            return False
        path = self.outdir / relpath
        try:
            if path.stat().st_size != record.length:
                return False
            return file_sha256(path) == record.sha256
        except OSError:
            return False

    def commit(self, relpath: str, fingerprint: str, data: bytes, fit: str = "fit",
               findings: tuple[Finding, ...] = ()) -> Path:
        """Record, then atomically write, one output file."""
        record = Record(fingerprint, hashlib.sha256(data).hexdigest(), len(data), fit,
                        tuple(findings))
        line = json.dumps({"path": relpath, "fp": fingerprint, "sha256": record.sha256,
                           "length": record.length, "fit": fit,
                           "findings": [f.to_dict() for f in findings]},
                          ensure_ascii=False)
        target = self.outdir / relpath
        try:
            handle = self._open()
            handle.write(line + "\n")
            handle.flush()  # in the kernel before the rename: survives kill -9 of this process
            write_atomic(target, data)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}; the "
                              "outputs written so far are kept, rerun to finish") from None
        except OutputError as exc:
            raise OutputError(f"{exc.message}; the outputs written so far are kept, rerun to "
                              "finish") from None
        # Not kept in memory: each output is committed once per run and never looked up again.
        self.records.pop(relpath, None)
        self.known.add(relpath)
        return target

    def _open(self) -> IO[str]:
        if self._handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        return self._handle

    def lock(self) -> None:
        """Refuse a second run of the same shard into the same folder while this one runs."""
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; the operator keeps runs apart
            return
        handle = self._open()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.close()
            raise OutputError(f"another batch is writing to {self.outdir} (shard "
                              f"{self.path.stem.removeprefix('state-')}); wait for it to "
                              "finish, or use another output folder") from None

    def find_temporaries(self) -> None:
        """Note the ``.NAME.*.part`` files a killed run left behind (removed as their output
        is handled, so a shard never touches another shard's file in flight)."""
        self._leftovers = {}
        if self.outdir.is_dir():
            for path in self.outdir.rglob(".*.part"):
                name = path.name[1:].rsplit(".", 2)[0]
                relpath = (path.parent / name).relative_to(self.outdir).as_posix()
                self._leftovers.setdefault(relpath, []).append(path)

    def leftovers(self) -> list[str]:
        """Outputs whose ``.part`` files :meth:`find_temporaries` found and are still there."""
        return list(self._leftovers)

    def remove_temporaries(self, relpath: str | None = None) -> int:
        """Delete the leftovers of ``relpath`` (all of them when None); returns how many."""
        leftovers = self._leftovers
        keys = list(leftovers) if relpath is None else [relpath]
        removed = 0
        for key in keys:
            for path in leftovers.pop(key, ()):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Claims:
    """Which outputs a run is rendering now, shared by every run on one output folder.

    A claim is a POSIX record lock on one byte of ``.infographic-batch/claims.lock``, at an
    offset taken from the output's path: the kernel keeps the file empty, releases a dead
    process's locks at once (``kill -9`` leaves no stale claim) and never lets two processes
    hold one byte. Where there are no such locks (Windows) every claim succeeds.
    """

    def __init__(self, outdir: "str | Path") -> None:
        self._fd: int | None = None
        try:
            import fcntl
        except ImportError:
            self._fcntl = None
            return
        self._fcntl = fcntl
        folder = Path(outdir) / STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        # One descriptor for the whole run: closing any descriptor of the file would drop
        # every lock this process holds on it.
        self._fd = os.open(folder / "claims.lock", os.O_RDWR | os.O_CREAT, 0o666)

    @staticmethod
    def _offset(relpath: str) -> int:
        return int.from_bytes(hashlib.sha256(relpath.encode("utf-8")).digest()[:7], "big")

    def claim(self, relpaths: "list[str]", wait: bool = False) -> bool:
        """Claim every one of ``relpaths``, or none (False: another run holds one). With
        ``wait``, block until the other run releases them."""
        if self._fcntl is None or self._fd is None:
            return True
        taken: list[str] = []
        flags = self._fcntl.LOCK_EX | (0 if wait else self._fcntl.LOCK_NB)
        for relpath in relpaths:
            try:
                self._fcntl.lockf(self._fd, flags, 1, self._offset(relpath))
            except OSError:
                self.release(taken)
                return False
            taken.append(relpath)
        return True

    def release(self, relpaths: "list[str]") -> None:
        if self._fcntl is None or self._fd is None:
            return
        for relpath in relpaths:
            self._fcntl.lockf(self._fd, self._fcntl.LOCK_UN, 1, self._offset(relpath))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
