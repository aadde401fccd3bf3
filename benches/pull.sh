#!/usr/bin/env bash
# Pull throughput and peak memory on N generated clean cases (default 1 M).
#
#   benches/pull.sh [N]
#
# Generates `--clean` drops once (kept in $BENCH_DIR), then times a pull into
# an empty warehouse with /usr/bin/time -v and prints rows/s, MB/s and peak RSS.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
mkdir -p "$DIR"
cat > "$DIR/homeward.toml" <<TOML
warehouse = "wh"
out = "out"
[privacy]
demo_key = true
[[sources]]
url = "drops"
TOML
rm -rf "$DIR/wh" "$DIR/out"
/usr/bin/time -v "$B" pull --config "$DIR/homeward.toml" --as-of 2026-06-30 2> "$DIR/time.txt" >/dev/null || { cat "$DIR/time.txt"; exit 1; }
python3 - "$DIR" <<'PY'
import json, os, re, sys
d = sys.argv[1]
run = json.load(open(f"{d}/out/2026-06-30/run.json"))
t = open(f"{d}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
rows = run["totals"]["rows_read"]
size = sum(f["size"] for f in run["files"])
print(f"files {len(run['files'])}  rows {rows:,}  input {size/1e6:.1f} MB")
print(f"wall {secs:.1f} s  pull stage {run['stages'][0]['seconds']:.1f} s")
print(f"throughput {rows/secs:,.0f} rows/s  {size/1e6/secs:.1f} MB/s")
print(f"peak RSS {rss/1024:.0f} MiB")
PY
