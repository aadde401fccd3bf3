#!/usr/bin/env bash
# A month of nights: a full run on N cases, then NIGHTS nightly 1 % drops
# (default 12), one `homeward run` each. The current-state tables gather a
# part per night and are compacted when their later parts pass a tenth of
# their rows, so this shows what the increment costs over time, compaction
# included, not only on the first night.
#
#   benches/nights.sh [N] [NIGHTS]        (default 1 M cases, 12 nights)
#
# Each night's drop is `generate --cases N/100 --seed 10+night`: its ids
# overlap the first ones, so every night carries new versions of existing
# records. With NEW=1 the ids are moved to a namespace of the night
# (C0000001 -> CN010000001 on night 1, and so on for every id), so every
# night adds 1 % new records instead: the current tables grow and each
# reaches its major compaction. Prints each night's wall time (as a share of the full run), the
# parts of `cur_assistance`, and whether a table was compacted; at the end
# the last night's indicator_values are compared with `--full-refresh`.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
NIGHTS="${2:-12}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
AS_OF=2026-07-01
night_drops "$NIGHTS"
W="$DIR/nights"
nightly_project "$W"

timed full
sync # the full run's files written back now, not during night 1
for i in $(seq "$NIGHTS"); do
  # A drop id per night, in order: 2026-07-01T0001, …
  tonight="$W/tonight/${AS_OF}T$(printf %04d "$i")"
  cp -r "$DIR/night-$i/$AS_OF" "$tonight"
  if [ "${NEW:-0}" = 1 ]; then
    for f in "$tonight"/*.csv; do
      sed -E -i "s/(^|,)([ABCS])00/\1\2N$(printf %02d "$i")00/g" "$f"
    done
  fi
  AS_OF=$(next_day "$AS_OF" "$i") timed "night-$i"
done
AS_OF=$(next_day "$AS_OF" "$NIGHTS") timed refresh --full-refresh

python3 - "$W" "$NIGHTS" <<'PY'
import json, re, sys
w, nights = sys.argv[1], int(sys.argv[2])
def wall(label):
    t = open(f"{w}/time-{label}.txt").read()
    v = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    return sum(float(x) * 60 ** i for i, x in enumerate(reversed(v.split(":"))))
def rss(label):
    t = open(f"{w}/time-{label}.txt").read()
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
full = wall("full")
print(f"full         wall {full:6.1f} s  peak RSS {rss('full'):5.0f} MiB")
total = 0.0
for i in range(1, nights + 1):
    label = f"night-{i}"
    secs = wall(label)
    total += secs
    run = json.load(open(f"{w}/run-{label}.json"))
    cur = {m["name"]: m for m in run["models"] if m["name"].startswith("cur_")}
    parts = "/".join(str(len(cur[n].get("parts", [])) or 1) for n in sorted(cur))
    compacted = [n for n, m in cur.items() if m.get("mode") == "incremental" and not m.get("parts")]
    print(f"{label:<9} wall {secs:5.1f} s ({secs / full:5.1%} of full)  peak RSS {rss(label):4.0f} MiB  "
          f"parts (assistance/businesses/cases/rss) {parts}  major compaction: {', '.join(compacted) or '-'}")
print(f"mean night {total / nights:.1f} s: {total / nights / full:.1%} of the full run, compactions included")
same = open(f"{w}/values-night-{nights}.csv", "rb").read() == open(f"{w}/values-refresh.csv", "rb").read()
print(f"night {nights} and full-refresh indicator_values identical: {same}")
sys.exit(0 if same else 1)
PY
