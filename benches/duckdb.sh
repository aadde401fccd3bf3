#!/usr/bin/env bash
# Homeward against a DuckDB job doing the same work, side by side.
#
#   benches/duckdb.sh [REPEAT] [SIZES...]      (default: 3 runs; 100000 1000000)
#
# For each size: `--clean` drops are generated once; `homeward compile`
# renders the models; then, REPEAT times and alternating, `homeward run`
# (release build, empty warehouse) and `benches/duckdb_job.py` (read the
# same CSV drops, write the raw layer as Parquet, keep current versions,
# every model as Parquet, indicator_values) run under /usr/bin/time -v.
# Prints each run, the medians, the ratio and peak RSS, and fails unless both
# produce the same indicator_values (same rows; values within 1e-9).
# DuckDB comes from `pip install duckdb` (installed if missing).
. "$(dirname "$0")/common.sh"
REPEAT="${1:-3}"
shift || true
SIZES=("${@:-100000 1000000}")
# shellcheck disable=SC2206
SIZES=(${SIZES[*]})
AS_OF=2026-06-30
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb

for N in "${SIZES[@]}"; do
  DROPS="$(clean_drops "$N")"
  W="$BENCH_ROOT/$N/side-by-side"
  rm -rf "$W"
  mkdir -p "$W"
  bench_config "$W/homeward.toml"
  printf '[[sources]]\nurl = "%s"\n' "$DROPS" >> "$W/homeward.toml"
  "$B" compile --config "$W/homeward.toml" --as-of "$AS_OF" --into "$W/compiled" 2>/dev/null
  for i in $(seq "$REPEAT"); do
    rm -rf "$W/wh" "$W/out"
    /usr/bin/time -v "$B" run --config "$W/homeward.toml" --as-of "$AS_OF" 2> "$W/time-homeward-$i.txt" >/dev/null \
      || { tail -20 "$W/time-homeward-$i.txt"; exit 1; }
    cp "$W/out/$AS_OF/run.json" "$W/run-$i.json"
    rm -rf "$W/duck"
    /usr/bin/time -v python3 benches/duckdb_job.py "$DROPS" "$W/compiled" sql/seeds "$W/duck" \
      2> "$W/time-duckdb-$i.txt" >/dev/null || { tail -20 "$W/time-duckdb-$i.txt"; exit 1; }
  done
  python3 - "$W" "$N" "$REPEAT" "$AS_OF" <<'PY'
import csv, json, statistics, sys
sys.path.insert(0, "benches")
from measure import wall_and_rss
w, n, repeat, as_of = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = []
for i in range(1, repeat + 1):
    h, hr = wall_and_rss(f"{w}/time-homeward-{i}.txt")
    d, dr = wall_and_rss(f"{w}/time-duckdb-{i}.txt")
    run = json.load(open(f"{w}/run-{i}.json"))
    stages = {s["name"]: s["seconds"] for s in run["stages"]}
    rows.append((h, hr, d, dr, stages))
    print(f"{n:>9,} cases  run {i}: homeward {h:6.1f} s ({hr:5.0f} MiB; "
          + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
          + f")  duckdb {d:6.1f} s ({dr:5.0f} MiB)")
med = lambda xs: statistics.median(xs)
h = med([r[0] for r in rows]); d = med([r[2] for r in rows])
no_report = med([r[0] - r[4].get("report", 0) for r in rows])
print(f"{n:>9,} cases  median: homeward {h:.1f} s (without the report stage {no_report:.1f} s), "
      f"duckdb {d:.1f} s, ratio homeward/duckdb {h / d:.2f} ({no_report / d:.2f} without reports); "
      f"peak RSS homeward {max(r[1] for r in rows):.0f} MiB, duckdb {max(r[3] for r in rows):.0f} MiB")

def load(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        out = {}
        for row in r:
            key = tuple(row[c] for c in ["indicator_id", "project_code", "period_type", "period",
                                         "period_start", "period_end", "breakdown", "breakdown_value"])
            out[key] = row
        return out
ours = load(f"{w}/out/{as_of}/indicators/indicator_values.csv")
theirs = load(f"{w}/duck/indicator_values.csv")
problems = [f"only in homeward: {k}" for k in ours.keys() - theirs.keys()]
problems += [f"only in duckdb: {k}" for k in theirs.keys() - ours.keys()]
for k in ours.keys() & theirs.keys():
    for col in ["value", "numerator", "denominator"]:
        a, b = ours[k][col], theirs[k][col]
        if (a == "") != (b == "") or (a and abs(float(a) - float(b)) > 1e-9 * max(1.0, abs(float(a)))):
            problems.append(f"{k} {col}: homeward {a!r}, duckdb {b!r}")
print(f"{n:>9,} cases  indicator_values: {len(ours):,} rows in homeward, {len(theirs):,} in duckdb, "
      f"{len(problems)} differences")
for p in problems[:20]:
    print("   ", p)
sys.exit(1 if problems else 0)
PY
done
