"""Batch rendering: one image per row (and size) of a CSV, XLSX, JSON, JSONL or YAML file.

The pipeline, one module per step: :mod:`.readers` (rows) → :mod:`.mapping` (columns → fields) →
:mod:`.naming` (safe, unique output names) → :mod:`.plan` (jobs, shards, fingerprints) →
:mod:`.state` (what is already done) → :mod:`.executors` / :mod:`.worker` (render in parallel,
locally or on Dask) → :mod:`.report`, :mod:`.review`, :mod:`.bundle` (JSON report, contact
sheet, bound PDF, zip). :mod:`.runner` ties them together; :mod:`.cli` is the command line.
"""

from .mapping import ColumnMapping
from .plan import BatchSpec, Job, Shard
from .readers import Row, read_rows
from .runner import BatchOptions, BatchResult, run_batch

__all__ = ["BatchOptions", "BatchResult", "BatchSpec", "ColumnMapping", "Job", "Row", "Shard",
           "read_rows", "run_batch"]
