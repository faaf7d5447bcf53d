"""Reading the CSV that `augur eval --rows FILE` writes, for the scripts beside this one.

`read(path, columns, times)` returns the rows (dicts) whose `times` columns all hold a positive
finite number, each with those numbers as floats, and the rows skipped for lacking one. A missing file or column raises `RowsError` with a one-line message naming the file.
"""
import csv
import math


class RowsError(Exception):
    pass


def read(path: str, columns: list[str], times: list[str]) -> tuple[list[tuple[dict, list[float]]], list[dict]]:
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns + times if c not in (reader.fieldnames or [])]
            if missing:
                raise RowsError(f"{path}: no column {', '.join(missing)} (expected `augur eval --rows` output)")
            rows, skipped = [], []
            for row in reader:
                try:
                    values = [float(row[t]) for t in times]
                except (TypeError, ValueError):
                    skipped.append(row)
                    continue
                if all(v > 0 and math.isfinite(v) for v in values):
                    rows.append((row, values))
                else:
                    skipped.append(row)
            return rows, skipped
    except OSError as e:
        raise RowsError(f"{path}: {e.strerror}") from None
