"""Helpers shared by the batch tests: data files in every format, and running the CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from infographic.cli import main

FIXTURES = Path(__file__).resolve().parent / "batch_fixtures"
MINI = str(FIXTURES / "mini")
BANNER = str(FIXTURES / "banner")
SMALL = "200x200"

WARDS = ["Phường Bến Nghé", "Phường Võ Thị Sáu", "Phường Đa Kao", "Phường Tân Định",
         "Phường Nguyễn Cư Trinh", "Phường Cầu Ông Lãnh"]
TIPS = ["Đeo khẩu trang", "Rửa tay sát khuẩn", "Giữ khoảng cách", "Khai báo y tế"]


def ward_rows(count: int = 6) -> list[dict[str, Any]]:
    """Rows as a district office keeps them: ward, date, daily cases and two tips."""
    return [{"ward": WARDS[i % len(WARDS)] + ("" if i < len(WARDS) else f" {i}"),
             "date": f"2021-09-{13 + i % 10:02d}", "cases": 120 + 37 * i,
             "tips.1": TIPS[i % 4], "tips.2": TIPS[(i + 1) % 4]} for i in range(count)]


def write_csv(path: Path, rows: list[dict[str, Any]], *, delimiter: str = ",",
              encoding: str = "utf-8-sig") -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_format(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` in the format of ``path``'s suffix."""
    suffix = path.suffix
    if suffix == ".csv":
        return write_csv(path, rows)
    if suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")
    elif suffix == ".yaml":
        path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        columns = list(dict.fromkeys(k for row in rows for k in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        book.save(path)
    else:
        raise ValueError(suffix)
    return path


def batch(*args: str) -> int:
    """Run ``infographic batch ARGS`` in this process; returns the exit code."""
    return main(["batch", *args])


def batch_process(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "infographic", "batch", *args],
                          capture_output=True, text=True, **kwargs)


def load_report(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def outputs(folder: Path, suffix: str = ".png") -> list[Path]:
    """Visible output files (no state, review or temporaries)."""
    return sorted(p for p in Path(folder).rglob(f"*{suffix}")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts))
