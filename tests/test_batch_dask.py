"""The Dask executor renders the same batch on a cluster (here a LocalCluster of 2 processes)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from batch_support import MINI, SMALL, batch, load_report, outputs, ward_rows, write_csv

pytestmark = pytest.mark.slow  # starts a cluster of worker processes

try:
    import distributed
except ImportError:  # the optional 'dask' extra
    distributed = None


@pytest.fixture(scope="module")
def dask_installed() -> None:
    if distributed is None:
        if os.environ.get("INFOGRAPHIC_REQUIRE_TOOLS") == "1":
            pytest.fail("distributed is not installed; .ci/run installs the 'dask' extra")
        pytest.skip("pip install 'infographic[dask]' to test the Dask executor")


@pytest.fixture(scope="module")
def cluster(dask_installed):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs(folder)}


def test_dask_cluster_renders_the_same_batch_and_reports_bad_rows(tmp_path: Path,
                                                                  cluster) -> None:
    rows = ward_rows(8)
    rows[5]["cases"] = "nhiều"  # row 7: not a number (found while planning, on the client)
    rows[2].update({f"tips.{i}": "Thực hiện nghiêm Thông điệp 5K mỗi ngày" for i in (1, 2, 3, 4)})
    data = write_csv(tmp_path / "rows.csv", rows)  # row 4: its text overflows (found by a worker)
    args = ["--size", SMALL, "-q", "--name", "{row}-{ward}", "--strict"]
    assert batch(MINI, str(data), "-o", str(tmp_path / "local"), "-j", "1", *args) == 3
    on_dask = tmp_path / "dask"
    assert batch(MINI, str(data), "-o", str(on_dask), "--executor", "dask", "--scheduler",
                 cluster.scheduler_address, *args) == 3
    assert _digests(on_dask) == _digests(tmp_path / "local") and len(_digests(on_dask)) == 6
    report = load_report(on_dask / "batch-report.json")
    failed = [o for o in report["outcomes"] if o["status"] == "failed"]
    assert [(o["row"], o["field"]) for o in failed] == [(4, "tips"), (7, "cases")]
    assert failed[0]["error"].startswith("row 4, layout 'mini', field 'tips': ")
    # A rerun on the cluster renders nothing: the state is kept by the client.
    assert batch(MINI, str(data), "-o", str(on_dask), "--executor", "dask", "--scheduler",
                 cluster.scheduler_address, *args) == 3
    counts = load_report(on_dask / "batch-report.json")["counts"]
    assert counts["unchanged"] == 6 and counts["rendered"] == 0


def test_dask_local_cluster_without_a_scheduler(tmp_path: Path, dask_installed) -> None:
    from infographic.batch.executors import DaskExecutor

    executor = DaskExecutor(workers=1, processes=False)  # threads: quick to start
    try:
        assert executor.workers == 1
        data = write_csv(tmp_path / "rows.csv", ward_rows(3))
        from infographic.batch import BatchOptions, BatchSpec, run_batch

        result = run_batch(BatchOptions(data, tmp_path / "out", BatchSpec(
            layout=MINI, sizes=(SMALL,)), quiet=True), executor)
    finally:
        executor.close()
    assert result.rendered == 3 and result.exit_code == 0 and len(outputs(tmp_path / "out")) == 3
