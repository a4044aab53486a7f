"""Evidently's side of bench/drift.mjs: read both windows with pandas, run DataDriftPreset, print JSON.

Usage: python bench/drift_evidently.py REFERENCE CURRENT TYPES_JSON
TYPES_JSON maps column -> "num" | "cat" (cairn's inferred types), so both tools test the same columns
the same way. Prints {"values": {column: drift score}, "count": drifted columns, "share": share}.
"""

from __future__ import annotations

import json
import sys

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset


def read(path: str) -> pd.DataFrame:
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)


def main() -> None:
    reference, current = read(sys.argv[1]), read(sys.argv[2])
    types = json.loads(sys.argv[3])
    definition = DataDefinition(
        numerical_columns=[c for c, t in types.items() if t == "num"],
        categorical_columns=[c for c, t in types.items() if t == "cat"],
    )
    snapshot = Report([DataDriftPreset()]).run(
        Dataset.from_pandas(current, data_definition=definition),
        Dataset.from_pandas(reference, data_definition=definition),
    )
    values, count = {}, {}
    for metric in snapshot.dict()["metrics"]:
        name = metric["metric_name"]
        if name.startswith("ValueDrift("):
            values[name.split("column=")[1].split(",")[0]] = float(metric["value"])
        elif name.startswith("DriftedColumnsCount"):
            count = metric["value"]
    print(json.dumps({"values": values, "count": count["count"], "share": count["share"]}))


if __name__ == "__main__":
    main()
