#!/usr/bin/python3
"""Python baseline for bench/xgb.ts: the same training run with the xgboost package.

Reads a JSON request on stdin: {"features": path, "labels": path, "rows": n, "cols": m,
"params": {...}, "rounds": k, "out": path}. Times DMatrix construction + training + prediction,
writes the predictions (little-endian float32) to "out" and prints {"seconds": s} as JSON.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    request = json.load(sys.stdin)
    features = np.fromfile(request["features"], dtype="<f4").reshape(request["rows"], request["cols"])
    labels = np.fromfile(request["labels"], dtype="<f4")
    started = time.perf_counter()
    matrix = xgb.DMatrix(features, label=labels, missing=np.nan, nthread=request["params"]["nthread"])
    booster = xgb.train(request["params"], matrix, num_boost_round=request["rounds"])
    predictions = booster.predict(matrix)
    seconds = time.perf_counter() - started
    predictions.astype("<f4").tofile(request["out"])
    print(json.dumps({"seconds": seconds, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
