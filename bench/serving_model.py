"""Prepare the serving benchmark: one iris logistic regression saved twice, as MLflow's sklearn
pyfunc (what `mlflow models serve` runs) and as its ONNX export (what cairn serves), plus the
1-row and 100-row request bodies. Usage: python serving_model.py <folder>"""

import json
import sys
from pathlib import Path

import mlflow
import numpy as np
from mlflow.models import infer_signature
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

out = Path(sys.argv[1])
data = load_iris(as_frame=True)
X, y = data.data.astype("float32"), data.target.to_numpy()
model = LogisticRegression(max_iter=1000).fit(X, y)
signature = infer_signature(X, model.predict(X))
mlflow.sklearn.save_model(model, str(out / "sklearn"), signature=signature)
onx = to_onnx(model, X[:1].to_numpy(), options={id(model): {"zipmap": False}})
mlflow.onnx.save_model(onx, str(out / "onnx"), signature=signature)
rng = np.random.default_rng(0)
for rows in (1, 100):
    sample = X.iloc[rng.integers(0, len(X), rows)]
    body = {"dataframe_split": json.loads(sample.to_json(orient="split", index=False))}
    (out / f"body-{rows}.json").write_text(json.dumps(body))
