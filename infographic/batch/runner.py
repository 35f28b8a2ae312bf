"""Run a batch: plan the rows, skip what is up to date, render the rest, record and review it.

The data flows as a stream: rows are read, planned and handed to the executor a few at a time,
outcomes are spooled to disk, so memory stays flat however many rows the file has.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

from ..version import __version__
from ..errors import InfographicError
from .bundle import bind_pdfs, zip_outputs
from .executors import Executor, make_executor
from .naming import name_limit
from .plan import BatchSpec, Job, Planner, RowFailure
from .progress import LogProgress, make_progress
from .readers import Row, read_rows
from .report import (EXIT_FIT_WARNINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_ROWS_FAILED, EXIT_START,
                     FAILED,
                     RENDERED, UNCHANGED, OutcomeLog, summary_lines, write_json_report)
from .review import write_contact_pngs, write_contact_sheet
from ..fileio import write_atomic
from .state import STATE_DIR, Record, StateStore
from .worker import JobResult


@dataclass
class BatchOptions:
    """Everything ``infographic batch`` was asked to do."""

    data: Path
    outdir: Path
    spec: BatchSpec
    input_format: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    jobs: int | None = None
    timeout: float | None = None  # hard deadline of one job (row × size); None: the limit's
    executor: str = "pool"
    scheduler: str | None = None
    report: Path | None = None
    contact_sheet: bool = True
    contact_png: bool = False
    bind: Path | None = None
    zip: Path | None = None
    force: bool = False
    quiet: bool = False
    stream: IO[str] | None = None  # progress, warnings and errors (default: stderr)


@dataclass
class BatchResult:
    exit_code: int
    rendered: int
    unchanged: int
    failed: int
    warned: int
    report: Path
    extras: dict[str, Any] = field(default_factory=dict)


class BatchRunner:
    def __init__(self, options: BatchOptions, executor: Executor | None = None) -> None:
        self.options = options
        self.spec = options.spec
        self.outdir = Path(options.outdir)
        self.stream = options.stream or sys.stderr
        self._executor = executor
        self._full_outputs: dict[str, Job] = {}

    def rows(self) -> Iterator[Row]:
        o = self.options
        return read_rows(o.data, o.input_format, delimiter=o.delimiter, sheet=o.sheet)

    def count(self, planner: Planner | None = None) -> int:
        """Images (row × size) this shard will check: one cheap planning pass, nothing drawn."""
        return (planner or Planner(self.spec)).count(self.rows())

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> BatchResult:
        try:
            planner = Planner(self.spec, name_limit(self.outdir),
                              roots=(Path(self.options.data).parent, *self.spec.assets))
            total = self.count(planner)
            planner.check_start(Path(self.options.data).name)
        except InfographicError as exc:  # nothing can be rendered: say so in the report too
            self._write_start_failure(exc)
            raise
        shard = self.spec.shard.label
        state = StateStore(self.outdir, shard)
        try:
            state.lock()  # held until the report is written
            return self._run_locked(planner, total, shard, state)
        finally:
            state.close()

    def _run_locked(self, planner: Planner, total: int, shard: str,
                    state: StateStore) -> BatchResult:
        state.find_temporaries()
        log = OutcomeLog(self.outdir / STATE_DIR / f"outcomes-{shard}.jsonl")
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        progress = make_progress(total, self.stream, self.options.quiet)
        hints = any(planner.ignored_columns.values())
        if planner.ignored_columns and (hints or not self.options.quiet):
            print(self._ignored_line(planner), file=self.stream, flush=True)
        executor = self._executor or make_executor(self.options.jobs, self.options.executor,
                                                   self.options.scheduler, self.options.timeout)
        interrupted = False
        try:
            start = getattr(executor, "start", None)
            if start is not None:
                start()  # before the progress bar's thread: workers can then be forked
            with progress:
                for result in executor.run(self._todo(planner, state, log, progress)):
                    self._record(result, state, log, progress)
        except KeyboardInterrupt:
            interrupted = True
            progress.message("interrupted: finished outputs are kept; rerun the same command "
                             "to render the rest")
        finally:
            if self._executor is None:
                executor.close()
        if not self.spec.shard.count > 1 and not interrupted:
            state.remove_temporaries()
        header = self._header(planner, started, interrupted)
        extras, failures = self._hand_offs(log, progress) if not interrupted else ({}, [])
        header.update({k: str(v) for k, v in extras.items()})
        header["hand_off_errors"] = failures
        report = self._report_path()
        write_json_report(report, log, header)
        code = EXIT_INTERRUPTED if interrupted else log.exit_code()
        if failures and code in (EXIT_OK, EXIT_FIT_WARNINGS):
            code = EXIT_ROWS_FAILED
        lines = summary_lines(log, self.outdir, [f"{k.replace('_', ' ')}: {v}"
                                                 for k, v in extras.items()]
                              + [f"report: {report}"])
        if planner.ignored_columns:
            lines.append(self._ignored_line(planner))
        if not self.options.quiet or code:
            for line in lines:
                progress.message(line)
        counts = log.counts
        log.discard()
        return BatchResult(code, counts.rendered, counts.unchanged, counts.failed, counts.warned,
                           report, extras)

    @staticmethod
    def _ignored_line(planner: Planner) -> str:
        return "ignored columns (not fields of the layout): " + ", ".join(
            f"{c} ({hint})" if hint else c for c, hint in planner.ignored_columns.items())

    def _report_path(self) -> Path:
        shard = self.spec.shard.label
        return self.options.report or self.outdir / (
            "batch-report.json" if shard == "all" else f"batch-report-{shard}.json")

    def _write_start_failure(self, exc: InfographicError) -> None:
        """A report for a batch that could not start (unreadable data file, unknown layout), so
        whoever reads the reports never finds last run's one instead."""
        o, spec = self.options, self.spec
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        report = {"infographic": __version__, "started": now, "finished": now,
                  "data": str(o.data), "output": str(self.outdir), "layout": spec.layout,
                  "shard": f"{spec.shard.index}/{spec.shard.count}", "error": str(exc),
                  "exit_code": EXIT_START, "counts": {"rendered": 0, "unchanged": 0, "failed": 0,
                                                      "with_fit_warnings": 0, "failed_rows": 0},
                  "outcomes": []}
        try:
            write_atomic(self._report_path(), (json.dumps(report, ensure_ascii=False, indent=2)
                                               + "\n").encode("utf-8"))
        except (OSError, InfographicError):
            pass  # the error itself is what the user must see

    def _todo(self, planner: Planner, state: StateStore, log: OutcomeLog,
              progress: LogProgress) -> Iterator[Job]:
        """Jobs that need rendering; failures and up-to-date jobs are logged on the way."""
        for item in planner.plan(self.rows()):
            if isinstance(item, RowFailure):
                self._log_failure(log, progress, item.row, item.message, item.reason, item.field,
                                  item.layout, item.name, item.size)
                continue
            for output in item.outputs:
                state.remove_temporaries(output.path)
            missing = [o for o in item.outputs
                       if self.options.force or not state.is_current(o.path, o.fingerprint)]
            if not missing:
                records = [state.take(o.path) or Record("", "", 0) for o in item.outputs]
                warnings = list(dict.fromkeys(w for r in records for w in r.warnings))
                log.add(self._outcome(item, UNCHANGED, records[0].fit, warnings))
                progress.advance()
                continue
            self._full_outputs[item.name] = item
            yield item.only(missing)

    def _record(self, result: JobResult, state: StateStore, log: OutcomeLog,
                progress: LogProgress) -> None:
        job = self._full_outputs.pop(result.job.name, result.job)
        if not result.ok:
            self._log_failure(log, progress, job.row, result.error or "", result.reason,
                              result.field, job.layout_name, job.name, job.size)
            return
        for output in result.job.outputs:
            state.commit(output.path, output.fingerprint, result.files[output.path], result.fit,
                         result.warnings)
        if job.thumbnail and result.thumbnail:
            write_atomic(self.outdir / job.thumbnail, result.thumbnail)
        for warning in result.warnings:
            progress.message(f"row {job.row} ({job.name}): warning: {warning}")
        log.add(self._outcome(job, RENDERED, result.fit, list(result.warnings)))
        progress.advance()

    def _log_failure(self, log: OutcomeLog, progress: LogProgress, row: int, message: str,
                     reason: str | None, field_name: str | None, layout: str | None,
                     name: str | None, size: str | None) -> None:
        progress.message(f"error: {message}")
        log.add({"row": row, "name": name, "layout": layout, "size": size, "status": FAILED,
                 "field": field_name, "reason": reason, "error": message})
        progress.advance(failed=True)

    @staticmethod
    def _outcome(job: Job, status: str, fit: str, warnings: list[str]) -> dict[str, Any]:
        return {"row": job.row, "name": job.name, "layout": job.layout_name, "size": job.size,
                "status": status, "fit": fit, "warnings": warnings,
                "files": [o.path for o in job.outputs], "thumbnail": job.thumbnail}

    def _header(self, planner: Planner, started: str, interrupted: bool) -> dict[str, Any]:
        o, spec = self.options, self.spec
        return {"infographic": __version__, "started": started, "data": str(o.data),
                "output": str(self.outdir), "layout": planner.default_layout.name,
                "sizes": list(spec.sizes), "formats": list(spec.formats), "theme": spec.theme,
                "shard": f"{spec.shard.index}/{spec.shard.count}", "interrupted": interrupted,
                "ignored_columns": planner.ignored_columns}

    def _hand_offs(self, log: OutcomeLog,
                   progress: LogProgress) -> tuple[dict[str, Path], list[str]]:
        """Contact sheet, PNG pages, bound PDF, zip. One failing does not stop the others."""
        o = self.options
        extras: dict[str, Path] = {}
        failures: list[str] = []

        def done() -> Iterator[str]:
            return (f for x in log if x["status"] != FAILED for f in x["files"])

        def contact_sheet() -> Path:
            title = f"{Path(self.spec.layout).name} · {Path(o.data).name}"
            shard = self.spec.shard
            name = "index.html" if shard.count == 1 else f"index-{shard.label}.html"
            return write_contact_sheet(self.outdir, log, title, name)

        def contact_pages() -> Path | None:
            pages = write_contact_pngs(self.outdir, log)
            return pages[0].parent if pages else None

        def bound() -> Path:
            bind_pdfs((self.outdir / f for f in done() if f.endswith(".pdf")), Path(o.bind))
            return Path(o.bind)

        def zipped() -> Path:
            zip_outputs(((self.outdir / f, f) for f in done()), Path(o.zip))
            return Path(o.zip)

        steps = [("contact_sheet", o.contact_sheet, contact_sheet),
                 ("contact_sheet_pages", o.contact_png, contact_pages),
                 ("bound_pdf", bool(o.bind), bound), ("zip", bool(o.zip), zipped)]
        for key, wanted, step in steps:
            if not wanted:
                continue
            try:
                path = step()
            except (InfographicError, OSError) as exc:
                message = f"{key.replace('_', ' ')}: {exc}"
                failures.append(message)
                progress.message(f"error: {message}")
                continue
            if path is not None:
                extras[key] = path
        return extras, failures


def run_batch(options: BatchOptions, executor: Executor | None = None) -> BatchResult:
    """Run the batch described by ``options`` (see :class:`BatchOptions`)."""
    return BatchRunner(options, executor).run()
