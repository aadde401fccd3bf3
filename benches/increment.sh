#!/usr/bin/env bash
# The nightly increment against the full run, side by side, on N cases.
#
#   benches/increment.sh [N]        (default 1 M)
#
# 1. full:        `homeward run` on an empty warehouse with the N-case drops
#                 (the same drops as benches/pull.sh, generated once);
# 2. increment:   a 1 % drop arrives (N/100 cases with their assistance,
#                 businesses and surveys; its ids overlap the first ones, so
#                 it also carries new versions of existing records), then
#                 `homeward run` again;
# 3. full-refresh: `homeward run --full-refresh` on that warehouse, which must
#                 give the increment's indicator_values byte for byte.
# Each under /usr/bin/time -v: wall time, peak RSS, and the stage times.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
AS_OF=2026-07-01
mkdir -p "$DIR"
if [ ! -f "$DIR/increment.done" ]; then
  rm -rf "$DIR/increment"
  "$B" generate --cases $((N / 100)) --seed 2 --drops 1 --as-of "$AS_OF" --out "$DIR/increment" --clean
  touch "$DIR/increment.done"
fi
W="$DIR/inc"
rm -rf "$W"
mkdir -p "$W/drops" "$W/tonight"
cp -r "$DIR"/drops/20* "$W/drops/"
bench_config "$W/homeward.toml"
cat >> "$W/homeward.toml" <<TOML
[[sources]]
name = "history"
url = "drops"
[[sources]]
name = "tonight"
url = "tonight"
TOML

timed() { # label, extra args
  local label="$1"; shift
  /usr/bin/time -v "$B" run --config "$W/homeward.toml" --as-of "$AS_OF" "$@" 2> "$W/time-$label.txt" >/dev/null \
    || { tail -20 "$W/time-$label.txt"; exit 1; }
  cp "$W/out/$AS_OF/run.json" "$W/run-$label.json"
  cp "$W/out/$AS_OF/indicators/indicator_values.csv" "$W/values-$label.csv"
}

timed full
cp -r "$DIR"/increment/20* "$W/tonight/"
timed increment
timed refresh --full-refresh

python3 - "$W" <<'PY'
import json, re, sys
w = sys.argv[1]
def measure(label):
    t = open(f"{w}/time-{label}.txt").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    run = json.load(open(f"{w}/run-{label}.json"))
    stages = "  ".join(f"{s['name']} {s['seconds']:.1f}" for s in run["stages"])
    return secs, rss, run, stages
full = measure("full")
for label in ["full", "increment", "refresh"]:
    secs, rss, run, stages = measure(label)
    print(f"{label:<10} wall {secs:7.1f} s  ({secs / full[0]:6.1%} of full)  peak RSS {rss:6.0f} MiB  "
          f"rows pulled {run['totals']['rows_loaded']:>9,}  stages: {stages}")
same = open(f"{w}/values-increment.csv", "rb").read() == open(f"{w}/values-refresh.csv", "rb").read()
print(f"increment and full-refresh indicator_values identical: {same}")
_, _, run, _ = measure("increment")
print("slowest models of the increment:")
for m in sorted(run["models"], key=lambda m: -m["seconds"])[:10]:
    print(f"  {m['name']:<36} {m.get('mode', ''):<12} {m['seconds']:6.1f} s  {m['rows']:>10,} rows")
sys.exit(0 if same else 1)
PY
