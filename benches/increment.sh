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
#                 `homeward run` again, the next day (as-of 2026-07-02);
# 3. full-refresh: `homeward run --full-refresh` on that warehouse, which must
#                 give the increment's indicator_values byte for byte
#                 (at the same as-of date).
# Each under /usr/bin/time -v: wall time, peak RSS, and the stage times.
# Full runs and increments REPEAT times each (default 3); medians compared.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
AS_OF=2026-07-01
NIGHT=$(next_day "$AS_OF")
mkdir -p "$DIR"
if [ ! -f "$DIR/increment.done" ]; then
  rm -rf "$DIR/increment"
  "$B" generate --cases $((N / 100)) --seed 2 --drops 1 --as-of "$AS_OF" --out "$DIR/increment" --clean
  touch "$DIR/increment.done"
fi
W="$DIR/inc"
nightly_project "$W"

# Each run REPEAT times (default 3), the medians compared: on this shared
# 2-core machine single runs vary by several percent. Every increment
# starts from the same warehouse: the one the last full run left.
REPEAT="${REPEAT:-3}"
for i in $(seq "$REPEAT"); do
  rm -rf "$W/wh" "$W/out"
  timed "full-$i"
done
rm -rf "$W/wh-full"
cp -a "$W/wh" "$W/wh-full"
cp -r "$DIR"/increment/20* "$W/tonight/"
for i in $(seq "$REPEAT"); do
  rm -rf "$W/wh" "$W/out/$NIGHT"
  cp -a "$W/wh-full" "$W/wh"
  # The copy's dirty pages would otherwise be written back during the
  # increment and be timed with it (seen as 1–2 s of noise at 100 k).
  sync
  AS_OF="$NIGHT" timed "increment-$i"
done
AS_OF="$NIGHT" timed refresh --full-refresh
rm -rf "$W/wh-full"

python3 - "$W" "$REPEAT" <<'PY'
import json, re, statistics, sys
w, repeat = sys.argv[1], int(sys.argv[2])
def measure(label):
    t = open(f"{w}/time-{label}.txt").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    run = json.load(open(f"{w}/run-{label}.json"))
    stages = "  ".join(f"{s['name']} {s['seconds']:.1f}" for s in run["stages"])
    return secs, rss, run, stages
labels = [f"full-{i}" for i in range(1, repeat + 1)] + [f"increment-{i}" for i in range(1, repeat + 1)] + ["refresh"]
runs = {label: measure(label) for label in labels}
median = lambda kind: statistics.median(runs[f"{kind}-{i}"][0] for i in range(1, repeat + 1))
full = median("full")
for label in labels:
    secs, rss, run, stages = runs[label]
    print(f"{label:<12} wall {secs:7.1f} s  ({secs / full:6.1%} of full median)  peak RSS {rss:6.0f} MiB  "
          f"rows pulled {run['totals']['rows_loaded']:>9,}  stages: {stages}")
increment = median("increment")
print(f"median full {full:.1f} s, median increment {increment:.1f} s: {increment / full:.1%} of the full run")
refresh = open(f"{w}/values-refresh.csv", "rb").read()
same = all(open(f"{w}/values-increment-{i}.csv", "rb").read() == refresh for i in range(1, repeat + 1))
print(f"increment and full-refresh indicator_values identical: {same}")
_, _, run, _ = runs["increment-1"]
modes = {}
for m in run["models"]:
    modes[m.get("mode", "")] = modes.get(m.get("mode", ""), 0) + 1
print(f"models of the increment by mode: {modes}")
print("slowest models of the increment:")
for m in sorted(run["models"], key=lambda m: -m["seconds"])[:10]:
    print(f"  {m['name']:<36} {m.get('mode', ''):<12} {m['seconds']:6.1f} s  {m['rows']:>10,} rows")
sys.exit(0 if same else 1)
PY
