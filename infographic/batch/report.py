"""Outcomes of a batch: counted as they come, spooled to disk, written as a JSON report.

Exit codes of ``infographic batch`` (also in the README and ``--help``):

====  ==========================================================================================
0     every row rendered (or was already up to date) and no text was truncated or overflows
1     the batch could not start (unknown layout, unreadable data file, bad option value)
2     the command line is wrong (argparse usage error)
3     some rows failed (see the report: row, field, reason); all other rows were rendered.
      Also when the contact sheet, bound PDF or zip could not be written
4     every row rendered, but some outputs have fit warnings (truncated or overflowing text,
      characters no font has): review them in the contact sheet
130   interrupted (Ctrl-C); rerun the same command to finish
====  ==========================================================================================
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

from ..fileio import atomic_file

EXIT_OK, EXIT_START, EXIT_USAGE, EXIT_ROWS_FAILED, EXIT_FIT_WARNINGS = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130

RENDERED, UNCHANGED, FAILED = "rendered", "unchanged", "failed"


@dataclass
class Counts:
    rendered: int = 0
    unchanged: int = 0
    failed: int = 0
    warned: int = 0
    failed_rows: set[int] = field(default_factory=set)
    #: outputs with at least one finding of each kind (``fit``, ``qr``, ``contrast`` …)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.rendered + self.unchanged + self.failed


class OutcomeLog:
    """Appends one JSON line per outcome to a spool file, so a 10,000-row batch's report is
    streamed, not held in memory."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        spool.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[str] | None = spool.open("w", encoding="utf-8")
        self.counts = Counts()

    def add(self, outcome: dict[str, Any]) -> None:
        status = outcome["status"]
        if status == RENDERED:
            self.counts.rendered += 1
        elif status == UNCHANGED:
            self.counts.unchanged += 1
        else:
            self.counts.failed += 1
            self.counts.failed_rows.add(outcome["row"])
        if outcome.get("warnings"):
            self.counts.warned += 1
        for kind in outcome_kinds(outcome):
            self.counts.kinds[kind] = self.counts.kinds.get(kind, 0) + 1
        assert self._handle is not None
        self._handle.write(json.dumps(outcome, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Outcomes in row order (then name), read back from the spool."""
        if self._handle is not None:
            self._handle.flush()
        with self.spool.open("r", encoding="utf-8") as handle:
            keyed = [(json.loads(line)["row"], offset) for offset, line in _lines(handle)]
        keyed.sort()
        with self.spool.open("r", encoding="utf-8") as handle:
            for _, offset in keyed:
                handle.seek(offset)
                yield json.loads(handle.readline())

    def discard(self) -> None:
        self.close()
        self.spool.unlink(missing_ok=True)

    def exit_code(self) -> int:
        if self.counts.failed:
            return EXIT_ROWS_FAILED
        if self.counts.warned:
            return EXIT_FIT_WARNINGS
        return EXIT_OK


def outcome_kinds(outcome: dict[str, Any]) -> list[str]:
    """The kinds of an outcome's findings, each once (a report line's ``findings``)."""
    return list(dict.fromkeys(f.get("kind", "") for f in outcome.get("findings") or ()))


def _lines(handle: IO[str]) -> Iterator[tuple[int, str]]:
    while True:
        offset = handle.tell()
        line = handle.readline()
        if not line:
            return
        yield offset, line


def write_json_report(path: Path, log: OutcomeLog, header: dict[str, Any]) -> Path:
    """The machine-readable report: the batch's settings, counts and every output's outcome."""
    counts = log.counts
    head = {**header, "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "exit_code": log.exit_code(),
            "counts": {"rendered": counts.rendered, "unchanged": counts.unchanged,
                       "failed": counts.failed, "with_fit_warnings": counts.warned,
                       "failed_rows": len(counts.failed_rows)},
            "finding_kinds": dict(sorted(counts.kinds.items()))}
    with atomic_file(path, "w", encoding="utf-8") as out:
        text = json.dumps(head, ensure_ascii=False, indent=2)
        out.write(text[:-2] + ',\n  "outcomes": [')
        for number, outcome in enumerate(log):
            out.write(("," if number else "") + "\n    " + json.dumps(outcome, ensure_ascii=False))
        out.write("\n  ]\n}\n")
    return path


def summary_lines(log: OutcomeLog, outdir: Path, extras: list[str]) -> list[str]:
    c = log.counts
    lines = [f"batch: {c.rendered} rendered, {c.unchanged} unchanged, {c.failed} failed"
             f"{f' ({len(c.failed_rows)} row(s))' if c.failed else ''}, "
             f"{c.warned} with fit warnings → {outdir}"]
    lines += extras
    return lines

