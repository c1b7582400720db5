"""Reference forecaster for bench/year.ts: a plain Python XGBoost, written the way an analyst
would in an afternoon, to compare dcgrid's models against on the same origins.

One direct multi-horizon model (the horizon is a feature): each training row is an origin at
00:00 UTC and a forecast hour 1..H; the features are the calendar of the target hour, the horizon,
and lags of the load that are known at the origin (the same hour 1 and 2 weeks before the target,
the same hour on the last known day, the last hour, the mean of the last 24 h and 168 h, last
year's same weekday). Squared-error objective (python3-xgboost 1.7 has no quantile objective);
P10/P90 are the median plus the 10 %/90 % quantiles of the errors per horizon on the last 8 weeks
of the training period (a holdout fitted without them).

Input: CSV ts_utc (ISO), value (hourly, NaN allowed). Output: CSV origin,horizon,p10,p50,p90.
"""
import argparse
import sys

import numpy as np
import pandas as pd
import xgboost as xgb


def features(y: np.ndarray, ts: pd.DatetimeIndex, origins: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of (origin index, h) pairs; targets are y[o + h - 1]."""
    o = np.repeat(origins, horizon)
    h = np.tile(np.arange(1, horizon + 1), len(origins))
    t = o + h - 1
    local = ts.tz_convert("Europe/Dublin")

    def at(index: np.ndarray) -> np.ndarray:
        ok = (index >= 0) & (index < o)  # known at the origin only
        out = np.full(index.shape, np.nan)
        out[ok] = y[index[ok]]
        return out

    csum = np.concatenate([[0.0], np.nancumsum(y)])
    cnt = np.concatenate([[0], np.cumsum(~np.isnan(y))])

    def mean_before(window: int) -> np.ndarray:
        lo = np.maximum(o - window, 0)
        n = cnt[o] - cnt[lo]
        return np.where(n > 0, (csum[o] - csum[lo]) / np.maximum(n, 1), np.nan)

    day_back = 24 * np.ceil(h / 24).astype(int)
    week_back = 168 * np.ceil(h / 168).astype(int)
    year_back = 364 * 24  # same weekday last year
    x = np.column_stack(
        [
            h,
            local.hour.values[t],
            local.dayofweek.values[t],
            local.month.values[t],
            local.dayofyear.values[t],
            at(t - day_back),
            at(t - week_back),
            at(t - week_back - 168),
            at(t - year_back),
            at(o - 1),
            mean_before(24),
            mean_before(168),
        ]
    )
    return x, t


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--train-end", required=True, help="first hour not used for training (ISO, UTC)")
    parser.add_argument("--train-years", type=float, default=6)
    parser.add_argument("--origins-from", required=True)
    parser.add_argument("--origins-to", required=True)
    parser.add_argument("--every-h", type=int, default=24)
    parser.add_argument("--horizon", type=int, default=168)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    frame = pd.read_csv(args.input)
    ts = pd.DatetimeIndex(pd.to_datetime(frame["ts_utc"], utc=True))
    y = frame["value"].to_numpy(dtype=float)
    index_of = {stamp: i for i, stamp in enumerate(ts)}
    train_end = index_of[pd.Timestamp(args.train_end)]
    train_start = max(0, train_end - int(args.train_years * 365 * 24))
    midnight = np.array([i for i in range(train_start + 400 * 24, train_end - args.horizon + 1) if ts[i].hour == 0])
    holdout_start = train_end - 8 * 7 * 24
    params = {
        "objective": "reg:squarederror",
        "eta": 0.05,
        "max_depth": 8,
        "subsample": 0.8,
        "colsample_bytree": 0.8,
        "min_child_weight": 10,
        "tree_method": "hist",
        "nthread": args.threads,
        "seed": 0,
    }

    def fit(origins: np.ndarray) -> xgb.Booster:
        x, t = features(y, ts, origins, args.horizon)
        keep = (t < train_end) & ~np.isnan(y[t])
        data = xgb.DMatrix(x[keep], label=y[t[keep]])
        return xgb.train(params, data, num_boost_round=600)

    # Errors per horizon on the holdout (a model fitted before it), for the intervals.
    early = fit(midnight[midnight + args.horizon <= holdout_start])
    hold = midnight[(midnight >= holdout_start) & (midnight + args.horizon <= train_end)]
    xh, th = features(y, ts, hold, args.horizon)
    err = (y[th] - early.predict(xgb.DMatrix(xh))).reshape(len(hold), args.horizon)
    q10 = np.nanquantile(err, 0.1, axis=0)
    q90 = np.nanquantile(err, 0.9, axis=0)

    model = fit(midnight)
    first = index_of[pd.Timestamp(args.origins_from)]
    last = index_of[pd.Timestamp(args.origins_to)]
    origins = np.arange(first, last + 1, args.every_h)
    x, t = features(y, ts, origins, args.horizon)
    p50 = model.predict(xgb.DMatrix(x)).reshape(len(origins), args.horizon)
    rows = []
    for j, o in enumerate(origins):
        for h in range(args.horizon):
            rows.append((ts[o].strftime("%Y-%m-%dT%H:%M:%S.000Z"), h + 1, p50[j, h] + q10[h], p50[j, h], p50[j, h] + q90[h]))
    pd.DataFrame(rows, columns=["origin", "horizon", "p10", "p50", "p90"]).to_csv(args.output, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
