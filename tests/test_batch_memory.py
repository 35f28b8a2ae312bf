"""Memory stays flat over a long batch: rows are streamed, planned and rendered a few at a time.

Measured in a fresh process (RSS from /proc): planning 10,000 rows, and rendering 200 of them.
The full 10,000-row render is in ``benchmarks/batch.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from batch_support import MINI, ward_rows, write_csv

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")

CHILD = r"""
import json, sys
from pathlib import Path
from infographic.batch import BatchOptions, BatchSpec, read_rows, run_batch
from infographic.batch.executors import SerialExecutor
from infographic.batch.plan import Planner

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

layout, data, out = sys.argv[1:4]
spec = BatchSpec(layout=layout, sizes=("200x200",), formats=("png",))
samples = {}
for number, item in enumerate(Planner(spec).plan(read_rows(data)), 1):
    if number in (1000, 10000):
        samples[f"plan_{number}"] = rss_mb()

class Sampling(SerialExecutor):
    def run(self, jobs):
        for number, result in enumerate(super().run(jobs), 1):
            if number in (40, 200):
                samples[f"render_{number}"] = rss_mb()
            yield result

spec.rows = (2, 201)
result = run_batch(BatchOptions(Path(data), Path(out), spec, quiet=True), Sampling())
samples["rendered"] = result.rendered
print(json.dumps(samples))
"""


@pytest.mark.slow  # 10,000 rows
def test_memory_is_flat_over_10000_rows(tmp_path: Path) -> None:
    rows = ward_rows(10000)
    data = write_csv(tmp_path / "rows.csv", rows)
    result = subprocess.run([sys.executable, "-c", CHILD, MINI, str(data), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    samples = json.loads(result.stdout.splitlines()[-1])
    assert samples["rendered"] == 200
    plan_growth = samples["plan_10000"] - samples["plan_1000"]
    render_growth = samples["render_200"] - samples["render_40"]
    print(f"RSS growth: planning rows 1,000→10,000: {plan_growth:.1f} MB; "
          f"rendering images 40→200: {render_growth:.1f} MB")
    # 9,000 more planned rows keep only their names (for uniqueness): about 1 MB.
    assert plan_growth < 8, samples
    assert render_growth < 8, samples
