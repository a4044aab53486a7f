"""Write a reference and a current window of mixed columns for drift benchmarks and profiling.

Usage: .venv/bin/python tests/reference/make_drift_data.py ROWS OUT_DIR [--parquet]
Writes OUT_DIR/reference.csv and OUT_DIR/current.csv (or .parquet): 20 columns — 12 floats
(4 of them shifted in the current window, 2 with missing values), 3 wide integer columns, 2
integer codes with at most 10 values (categorical by Evidently's rule), 3 string categories.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd


def window(rows: int, rng: np.random.Generator, drifted: bool) -> pd.DataFrame:
    shift = 0.25 if drifted else 0.0
    columns: dict[str, np.ndarray] = {}
    for i in range(12):
        values = rng.normal(loc=shift if i < 4 else 0.0, scale=1.0 + i / 10, size=rows)
        if i in (10, 11):
            values[rng.random(rows) < 0.05] = np.nan
        columns[f"f{i}"] = np.round(values, 6)
    for i in range(3):
        columns[f"i{i}"] = rng.integers(0, 1000 + 500 * i, size=rows) + (40 if drifted and i == 0 else 0)
    for i in range(2):
        columns[f"code{i}"] = rng.integers(0, 6 + 2 * i, size=rows)
    labels = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])
    for i in range(3):
        p = np.array([0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
        if drifted and i == 0:
            p = p[::-1]
        columns[f"cat{i}"] = rng.choice(labels, size=rows, p=p)
    return pd.DataFrame(columns)


def main() -> None:
    rows = int(sys.argv[1])
    out = Path(sys.argv[2])
    parquet = "--parquet" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(42)
    for name, drifted in (("reference", False), ("current", True)):
        frame = window(rows, rng, drifted)
        if parquet:
            frame.to_parquet(out / f"{name}.parquet", index=False)
        else:
            frame.to_csv(out / f"{name}.csv", index=False)


if __name__ == "__main__":
    main()
