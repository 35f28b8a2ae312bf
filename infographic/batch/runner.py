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
from typing import IO, Any, Iterator, Sequence

from ..version import __version__
from ..errors import InfographicError
from ..findings import Finding
from .bundle import bind_pdfs, zip_outputs
from .executors import Executor, make_executor
from .naming import name_limit
from .plan import THUMBS_DIR, BatchSpec, Job, Output, Planner, RowFailure
from .progress import LogProgress, make_progress
from .readers import Row, read_rows
from .report import (EXIT_FIT_WARNINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_ROWS_FAILED, EXIT_START,
                     FAILED,
                     RENDERED, UNCHANGED, OutcomeLog, summary_lines, write_json_report)
from .review import write_contact_pngs, write_contact_sheet
from ..fileio import write_atomic
from .state import STATE_DIR, Claims, Record, StateStore
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
    prune: bool = False  # delete outputs the data no longer produces (whole-file runs only)
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
        self._thumbnail_only: dict[str, Record] = {}  # name → the outputs' record
        self._deferred: list[Job] = []  # claimed by another run when their turn came
        self._claims: Claims | None = None

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
            self._claims = Claims(self.outdir)
            return self._run_locked(planner, total, shard, state)
        finally:
            if self._claims is not None:
                self._claims.close()
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
                for job in self._deferred:  # now that this run holds no claims: wait for them
                    for result in executor.run(self._after_other_run(job, state, log,
                                                                     progress)):
                        self._record(result, state, log, progress)
        except KeyboardInterrupt:
            interrupted = True
            progress.message("interrupted: finished outputs are kept; rerun the same command "
                             "to render the rest")
        finally:
            if self._executor is None:
                executor.close()
        whole = self.spec.shard.count == 1 and self.spec.rows is None
        if whole and not interrupted:
            self._remove_leftovers(state)
        prune = self.options.prune and not planner.unnamed_rows
        stale = self._stale(planner, state, prune) if whole and not interrupted else []
        header = self._header(planner, started, interrupted)
        header["stale_outputs"] = stale
        header["pruned"] = bool(stale and prune)
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
        if stale:
            lines.append(f"{len(stale)} output(s) are no longer produced by the data"
                         + (": removed (--prune)" if prune else
                            f" (not removed: {planner.unnamed_rows} row(s) failed before their "
                            "names were known, fix them first)" if self.options.prune else
                            " (listed in the report as stale_outputs; --prune removes them)"))
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
                  "finding_kinds": {}, "outcomes": []}
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
            missing = self._missing(item.outputs, state)
            if missing and not self._claim(missing):  # another run is rendering them now
                self._deferred.append(item)
                continue
            if missing:
                state.refresh()  # what other runs finished since this one started
                claimed, missing = missing, self._missing(missing, state)
                self._claim_release([o for o in claimed if o not in missing])
            if missing:
                yield self._to_render(item, missing, state)
                continue
            records = [state.take(o.path) or Record("", "", 0) for o in item.outputs]
            if item.thumbnail and not (self.outdir / item.thumbnail).is_file():
                self._thumbnail_only[item.name] = self._merged(records)
                self._full_outputs[item.name] = item
                yield item.only([])  # draws the thumbnail only
                continue
            self._log_unchanged(item, self._merged(records), log, progress)

    def _to_render(self, job: Job, missing: list[Output], state: StateStore) -> Job:
        """The part of ``job`` still to render; the whole job is kept for its report entry."""
        for output in missing:
            state.remove_temporaries(output.path)
        self._full_outputs[job.name] = job
        return job.only(missing)

    def _after_other_run(self, job: Job, state: StateStore, log: OutcomeLog,
                         progress: LogProgress) -> Iterator[Job]:
        """A job another run was rendering: wait for its claims, then render what it left."""
        assert self._claims is not None
        paths = [o.path for o in job.outputs]
        self._claims.claim(paths, wait=True)
        state.refresh()
        missing = self._missing(job.outputs, state)
        if missing:
            yield self._to_render(job, missing, state)
            return
        self._claims.release(paths)
        self._log_unchanged(job, self._merged([state.take(p) or Record("", "", 0)
                                               for p in paths]), log, progress)

    def _missing(self, outputs: "Sequence[Output]", state: StateStore) -> list[Output]:
        """The outputs to render: all with ``--force``, else those not up to date."""
        return [o for o in outputs
                if self.options.force or not state.is_current(o.path, o.fingerprint)]

    def _claim(self, outputs: "Sequence[Output]") -> bool:
        return self._claims is None or self._claims.claim([o.path for o in outputs])

    def _claim_release(self, outputs: "Sequence[Output]") -> None:
        if self._claims is not None:
            self._claims.release([o.path for o in outputs])

    @staticmethod
    def _merged(records: list[Record]) -> Record:
        """One record for a job's outputs: the first one's fit, every finding once."""
        findings = tuple(dict.fromkeys(f for r in records for f in r.findings))
        return Record("", "", 0, records[0].fit if records else "fit", findings)

    def _log_unchanged(self, job: Job, record: Record, log: OutcomeLog,
                       progress: LogProgress) -> None:
        log.add(self._outcome(job, UNCHANGED, record.fit, record.findings))
        progress.advance()

    def _remove_leftovers(self, state: StateStore) -> None:
        """The ``.part`` files of killed runs, unless a run holds the output's claim now."""
        for relpath in state.leftovers():
            if self._claims is None or self._claims.claim([relpath]):
                state.remove_temporaries(relpath)
                if self._claims is not None:
                    self._claims.release([relpath])

    def _stale(self, planner: Planner, state: StateStore, prune: bool) -> list[str]:
        """Outputs an earlier run wrote that the data (rows, sizes, formats, names) no longer
        produces; with ``prune`` they are deleted, with their thumbnails."""
        stale = sorted(p for p in state.known - planner.expected if (self.outdir / p).is_file())
        if prune:
            for relpath in stale:
                (self.outdir / relpath).unlink(missing_ok=True)
                stem = relpath.rsplit(".", 1)[0]
                (self.outdir / THUMBS_DIR / f"{stem}.png").unlink(missing_ok=True)
        return stale

    def _record(self, result: JobResult, state: StateStore, log: OutcomeLog,
                progress: LogProgress) -> None:
        try:
            self._commit(result, state, log, progress)
        finally:  # after the commit: a run waiting for these outputs then finds them done
            self._claim_release(result.job.outputs)

    def _commit(self, result: JobResult, state: StateStore, log: OutcomeLog,
                progress: LogProgress) -> None:
        job = self._full_outputs.pop(result.job.name, result.job)
        unchanged = self._thumbnail_only.pop(job.name, None)
        if unchanged is not None:  # the outputs were up to date; only the thumbnail was drawn
            if result.ok and job.thumbnail and result.thumbnail:
                write_atomic(self.outdir / job.thumbnail, result.thumbnail)
            self._log_unchanged(job, unchanged, log, progress)
            return
        if not result.ok:
            self._log_failure(log, progress, job.row, result.error or "", result.reason,
                              result.field, job.layout_name, job.name, job.size)
            return
        for output in result.job.outputs:
            state.commit(output.path, output.fingerprint, result.files[output.path], result.fit,
                         result.findings)
        if job.thumbnail and result.thumbnail:
            write_atomic(self.outdir / job.thumbnail, result.thumbnail)
        for finding in result.findings:
            progress.message(f"row {job.row} ({job.name}): warning: {finding.message}")
        log.add(self._outcome(job, RENDERED, result.fit, result.findings))
        progress.advance()

    def _log_failure(self, log: OutcomeLog, progress: LogProgress, row: int, message: str,
                     reason: str | None, field_name: str | None, layout: str | None,
                     name: str | None, size: str | None) -> None:
        progress.message(f"error: {message}")
        log.add({"row": row, "name": name, "layout": layout, "size": size, "status": FAILED,
                 "field": field_name, "reason": reason, "error": message})
        progress.advance(failed=True)

    @staticmethod
    def _outcome(job: Job, status: str, fit: str, findings: Sequence[Finding]
                 ) -> dict[str, Any]:
        """One output's line of the report; ``warnings`` (the messages) is kept for readers
        of reports written before ``findings`` was typed."""
        return {"row": job.row, "name": job.name, "layout": job.layout_name, "size": job.size,
                "status": status, "fit": fit, "warnings": [f.message for f in findings],
                "findings": [f.to_dict() for f in findings],
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
            assert o.bind is not None  # the step runs only with --bind
            bind_pdfs((self.outdir / f for f in done() if f.endswith(".pdf")), Path(o.bind))
            return Path(o.bind)

        def zipped() -> Path:
            assert o.zip is not None  # the step runs only with --zip
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
