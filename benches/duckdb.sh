#!/usr/bin/env bash
# Homeward against a DuckDB job doing the same work, side by side.
#
#   benches/duckdb.sh [REPEAT] [SIZES...]      (default: 3 runs; 100000 1000000)
#
# For each size: `--clean` drops are generated once ($DROPS drops, default
# 50); then, REPEAT times and alternating, under /usr/bin/time -v:
#
#   homeward   `homeward run` (release build, empty warehouse);
#   frozen     `benches/duckdb_job.py` with the frozen models of
#              benches/duckdb_job/ (the peer: read the same CSV drops, write
#              the raw layer as Parquet, keep current versions, every model
#              as Parquet, indicator_values); it never changes;
#   same-sql   the same job with today's `homeward compile` output: the same
#              queries on both engines (engine against design).
#
# Prints each run with the stage split, the medians, the ratio per pair and
# peak RSS, and fails unless all three produce the same indicator_values
# (same rows; values within 1e-9). SAME_SQL=0 leaves out the third line.
# DuckDB comes from `pip install duckdb` (installed if missing).
. "$(dirname "$0")/common.sh"
REPEAT="${1:-3}"
shift || true
SIZES=("${@:-100000 1000000}")
# shellcheck disable=SC2206
SIZES=(${SIZES[*]})
AS_OF=2026-06-30
SAME_SQL="${SAME_SQL:-1}"
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb

duck() { # duck LABEL MODELS I
  rm -rf "$W/duck-$1"
  /usr/bin/time -v python3 benches/duckdb_job.py "$DROPS" "$2" sql/seeds "$W/duck-$1" \
    2> "$W/time-$1-$3.txt" >/dev/null || { tail -20 "$W/time-$1-$3.txt"; exit 1; }
  cp "$W/duck-$1/phases.json" "$W/phases-$1-$3.json"
}

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
    duck frozen benches/duckdb_job "$i"
    if [ "$SAME_SQL" = 1 ]; then duck same-sql "$W/compiled" "$i"; fi
  done
  python3 - "$W" "$N" "$REPEAT" "$AS_OF" "$SAME_SQL" <<'PY'
import csv, json, os, statistics, sys
sys.path.insert(0, "benches")
from measure import wall_and_rss
w, n, repeat, as_of, same = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
peers = ["frozen"] + (["same-sql"] if same else [])
med = statistics.median
rows = []
for i in range(1, repeat + 1):
    h, hr = wall_and_rss(f"{w}/time-homeward-{i}.txt")
    run = json.load(open(f"{w}/run-{i}.json"))
    stages = {s["name"]: s["seconds"] for s in run["stages"]}
    duck = {}
    for p in peers:
        t, r = wall_and_rss(f"{w}/time-{p}-{i}.txt")
        duck[p] = (t, r, json.load(open(f"{w}/phases-{p}-{i}.json")))
    rows.append((h, hr, stages, duck))
    line = (f"{n:>9,} cases  run {i}: homeward {h:6.1f} s ({hr:5.0f} MiB; "
            + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()) + ")")
    for p, (t, r, ph) in duck.items():
        line += (f"  {p} {t:6.1f} s ({r:5.0f} MiB; raw {ph['raw']:.1f}, models {ph['models']:.1f};"
                 f" ratio {h / t:.2f})")
    print(line)
h = med([r[0] for r in rows])
split = ", ".join(f"{k} {med([r[2].get(k, 0) for r in rows]):.1f}" for k in rows[0][2])
print(f"{n:>9,} cases  median: homeward {h:.1f} s ({split}), peak RSS {max(r[1] for r in rows):.0f} MiB")
for p in peers:
    t = med([r[3][p][0] for r in rows])
    ratios = [r[0] / r[3][p][0] for r in rows]
    print(f"{n:>9,} cases  median: duckdb {p} {t:.1f} s (raw {med([r[3][p][2]['raw'] for r in rows]):.1f}, "
          f"models {med([r[3][p][2]['models'] for r in rows]):.1f}), peak RSS {max(r[3][p][1] for r in rows):.0f} MiB; "
          f"homeward/{p} {h / t:.2f} (pairs: {', '.join(f'{x:.2f}' for x in ratios)})")

def load(path):
    with open(path, newline="") as f:
        out = {}
        for row in csv.DictReader(f):
            key = tuple(row[c] for c in ["indicator_id", "project_code", "period_type", "period",
                                         "period_start", "period_end", "breakdown", "breakdown_value"])
            out[key] = row
        return out
ours = load(f"{w}/out/{as_of}/indicators/indicator_values.csv")
failed = False
for p in peers:
    theirs = load(f"{w}/duck-{p}/indicator_values.csv")
    problems = [f"only in homeward: {k}" for k in ours.keys() - theirs.keys()]
    problems += [f"only in duckdb: {k}" for k in theirs.keys() - ours.keys()]
    for k in ours.keys() & theirs.keys():
        for col in ["value", "numerator", "denominator"]:
            a, b = ours[k][col], theirs[k][col]
            if (a == "") != (b == "") or (a and abs(float(a) - float(b)) > 1e-9 * max(1.0, abs(float(a)))):
                problems.append(f"{k} {col}: homeward {a!r}, duckdb {b!r}")
    print(f"{n:>9,} cases  indicator_values: {len(ours):,} rows in homeward, {len(theirs):,} in duckdb {p}, "
          f"{len(problems)} differences")
    for q in problems[:20]:
        print("   ", q)
    failed |= bool(problems)
sys.exit(1 if failed else 0)
PY
done
