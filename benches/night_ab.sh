#!/usr/bin/env bash
# Two builds' nights side by side (issue 17): what a change to a night
# costs or saves, on the same warehouse, alternated.
#
#   benches/night_ab.sh BASE NEW [PAIRS] [N]     (default 3 pairs, 1 M cases)
#
# BASE and NEW are two `homeward` binaries (e.g. a copy of the release
# build before the change, and the one after). On the N-case drops and the
# 1 % drop of benches/increment.sh: one full run with BASE (kept as
# wh-full), then PAIRS times a night from a copy of it with BASE, then with
# NEW. Both read this checkout's SQL and templates. Prints each night's
# wall time, peak RSS, stage times and the delta models' seconds, and
# whether its indicator_values equal the first night's.
. "$(dirname "$0")/common.sh"
BASE="$1"; NEW="$2"; PAIRS="${3:-3}"; N="${4:-1000000}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
AS_OF=2026-07-01
if [ ! -f "$DIR/increment.done" ]; then
  rm -rf "$DIR/increment"
  "$B" generate --cases $((N / 100)) --seed 2 --drops 1 --as-of "$AS_OF" --out "$DIR/increment" --clean
  touch "$DIR/increment.done"
fi
W="$DIR/night-ab"
if [ ! -d "$W/wh-full" ]; then
  nightly_project "$W" "$DIR/drops"
  B="$BASE" timed full
  mv "$W/wh" "$W/wh-full"
  cp -r "$DIR"/increment/20* "$W/tonight/"
fi
night=$(next_day "$AS_OF")
for i in $(seq "$PAIRS"); do
  for side in base new; do
    rm -rf "$W/wh" "$W/out/$night"
    cp -a "$W/wh-full" "$W/wh"
    sync
    if [ "$side" = base ]; then B="$BASE" AS_OF="$night" timed "$side-$i"; else B="$NEW" AS_OF="$night" timed "$side-$i"; fi
  done
done

python3 - "$W" "$PAIRS" <<'PY'
import json, sys
sys.path.insert(0, "benches")
from measure import wall_and_rss
w, pairs = sys.argv[1], int(sys.argv[2])
first = open(f"{w}/values-base-1.csv", "rb").read()
for i in range(1, pairs + 1):
    for side in ("base", "new"):
        label = f"{side}-{i}"
        secs, rss = wall_and_rss(f"{w}/time-{label}.txt")
        run = json.load(open(f"{w}/run-{label}.json"))
        stages = "  ".join(f"{s['name']} {s['seconds']:.2f}" for s in run["stages"])
        delta = sum(m["seconds"] for m in run["models"] if m.get("mode") == "delta")
        same = open(f"{w}/values-{label}.csv", "rb").read() == first
        print(f"{label:<7} wall {secs:5.2f} s  peak {rss:4.0f} MiB  {stages}  delta models {delta:.2f}  "
              f"values {'identical' if same else 'DIFFER'}")
PY
