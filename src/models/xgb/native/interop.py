#!/usr/bin/python3
"""Python side of the XGBoost interoperability tests (run by the tests with /usr/bin/python3).

Reads one JSON request on stdin and answers one JSON line on stdout. Matrices travel as raw
little-endian float32 files, row-major, NaN for missing values.

  {"action": "predict", "model": path, "features": path, "rows": n, "cols": m, "out": path}
      load a model saved by Node and write its predictions
  {"action": "train", "features": path, "labels": path, "rows": n, "cols": m,
   "params": {...}, "rounds": k, "featureNames": [...], "model": path, "out": path}
      train with xgboost.train, save the model (UBJ or JSON by extension) and its predictions
"""
import json
import sys

import numpy as np
import xgboost as xgb


def read_matrix(request):
    data = np.fromfile(request["features"], dtype="<f4")
    return data.reshape(request["rows"], request["cols"])


def predict(request):
    booster = xgb.Booster(model_file=request["model"])
    matrix = xgb.DMatrix(read_matrix(request), missing=np.nan, feature_names=booster.feature_names)
    booster.predict(matrix).astype("<f4").tofile(request["out"])
    return {"rounds": booster.num_boosted_rounds(), "features": booster.feature_names}


def train(request):
    labels = np.fromfile(request["labels"], dtype="<f4")
    matrix = xgb.DMatrix(
        read_matrix(request),
        label=labels,
        missing=np.nan,
        feature_names=request.get("featureNames"),
    )
    booster = xgb.train(request["params"], matrix, num_boost_round=request["rounds"])
    booster.save_model(request["model"])
    booster.predict(matrix).astype("<f4").tofile(request["out"])
    return {"rounds": booster.num_boosted_rounds()}


def main():
    request = json.load(sys.stdin)
    actions = {"predict": predict, "train": train}
    result = actions[request["action"]](request)
    result["xgboost"] = xgb.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
