"""The seed's way, as a baseline: pandas reads the ROI demand and wind exports and Ember's prices,
resamples them to hours and writes one hourly table to PostgreSQL, with DataFrame.to_sql or COPY.
Usage: /usr/bin/python3 bench/ingest/seed_pandas.py <raw-dir> <postgres-url> <to_sql|copy>
Prints one JSON line: seconds and rows."""
import io
import json
import sys
import time
from pathlib import Path

import pandas as pd
import sqlalchemy

raw, url, method = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
started = time.perf_counter()


def dashboard(pattern):
    frames = []
    for path in sorted((raw / "eirgrid-smartgriddashboard").glob(pattern)):
        frame = pd.read_csv(path, header=None, names=["time", "field", "region", "value"])
        year = 2000 + int(path.name.split("_")[2])
        frame["time"] = pd.to_datetime(frame["time"], format="%d-%b-%Y %H:%M:%S")
        frames.append(frame[frame["time"].dt.year == year])
    series = pd.concat(frames).drop_duplicates("time").set_index("time")["value"]
    local = series.tz_localize("Europe/Dublin", ambiguous="NaT", nonexistent="NaT")
    local = local[local.index.notna()]
    return local.tz_convert("UTC").resample("1h").mean()


demand = dashboard("ROI_demandactual_*_Eirgrid.csv")
wind = dashboard("ROI_windactual_*_Eirgrid.csv")
ember = pd.read_csv(raw / "ember" / "Ireland.csv")
price = ember.set_index(pd.to_datetime(ember["Datetime (UTC)"], utc=True) - pd.Timedelta(hours=24))["Price (EUR/MWhe)"]
table = pd.DataFrame({"demand_mw": demand, "wind_mw": wind, "price_eur_mwh": price})
table.index.name = "ts_utc"
table = table.reset_index()
parsed = time.perf_counter()

engine = sqlalchemy.create_engine(url.replace("postgres://", "postgresql+psycopg2://"))
with engine.begin() as conn:
    conn.exec_driver_sql("DROP TABLE IF EXISTS seed_features_hourly")
    conn.exec_driver_sql(
        "CREATE TABLE seed_features_hourly (ts_utc timestamptz PRIMARY KEY, demand_mw float8, wind_mw float8, price_eur_mwh float8)"
    )
if method == "to_sql":
    table.to_sql("seed_features_hourly", engine, if_exists="append", index=False, method="multi", chunksize=1000)
else:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False, na_rep="\\N", sep="\t")
    buffer.seek(0)
    raw_conn = engine.raw_connection()
    try:
        with raw_conn.cursor() as cursor:
            cursor.copy_expert("COPY seed_features_hourly FROM STDIN", buffer)
        raw_conn.commit()
    finally:
        raw_conn.close()
print(json.dumps({"method": method, "seconds": time.perf_counter() - started, "parseSeconds": parsed - started, "rows": len(table)}))
