#!/usr/bin/env bash
# Transform time and peak memory on the warehouse that benches/pull.sh made.
#
#   benches/pull.sh [N] && benches/transform.sh [N]
#
# Each run transforms a fresh copy of the pulled warehouse (wh.t), so runs
# repeat (a second transform of one warehouse would reuse its models) and
# pull.sh's warehouse stays pulled-only. DATAFUSION_* variables (an engine
# setting, docs/operations.md) pass through, to compare settings.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DIR="$BENCH_ROOT/$N"
[ -d "$DIR/wh" ] || { echo "run benches/pull.sh $N first"; exit 1; }
grep -q '^\[transform\]' "$DIR/homeward.toml" || printf '[transform]\npaths = ["%s/sql"]\n' "$PWD" >> "$DIR/homeward.toml"
rm -rf "$DIR/wh.t" && cp -a "$DIR/wh" "$DIR/wh.t"
/usr/bin/time -v "$B" transform --config "$DIR/homeward.toml" --warehouse "$DIR/wh.t" --as-of 2026-06-30 2> "$DIR/time-transform.txt" >/dev/null \
  || { tail -20 "$DIR/time-transform.txt"; exit 1; }
python3 - "$DIR" <<'PY'
import json, re, sys
d = sys.argv[1]
run = json.load(open(f"{d}/out/2026-06-30/run.json"))
t = open(f"{d}/time-transform.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"wall {secs:.1f} s  peak RSS {rss/1024:.0f} MiB  indicator rows {sum(run['indicators'].values()):,}")
for m in sorted(run["models"], key=lambda m: -m["seconds"])[:8]:
    print(f"  {m['name']:<36} {m['seconds']:6.1f} s  {m['rows']:>10,} rows")
PY
