#!/usr/bin/env bash
# A year of nightly exports, then one more night (issue 17).
#
#   benches/year.sh [N] [DAYS]        (default 1 M cases, 365 nightly drops)
#
# 1. The history: `generate --cases N --drops DAYS --every 1
#    --reference-each-drop --clean`: a drop a night for a year, each with
#    the night's new cases and their records, new versions of earlier cases
#    (a 140th of the cases a night), and the projects and targets re-sent
#    as a full snapshot (unchanged).
# 2. full:   `homeward run` on an empty warehouse (every file pulled).
# 3. idle:   `homeward run` the next day (as-of 2026-07-02) with nothing
#            new: what a night costs before it has any rows (listing
#            DAYS × 6 files, planning, reports).
# 4. night:  the 1 % drop of benches/increment.sh (N/100 cases, seed 2,
#            dated 2026-07-01, with its projects and targets) arrives, and
#            `homeward run` the day after (as-of 2026-07-03).
# 5. `homeward run --full-refresh` at the night's as-of date, whose
#    indicator_values must equal the night's byte for byte.
# Each under /usr/bin/time -v. Prints wall time, the pull's share and its
# skipped files, the night's share of the full run and peak RSS.
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DAYS="${2:-365}"
DIR="$BENCH_ROOT/$N"
mkdir -p "$DIR"
AS_OF=2026-07-01
if [ "$(cat "$DIR/year.done" 2>/dev/null)" != "$DAYS" ]; then
  rm -rf "$DIR/year"
  "$B" generate --cases "$N" --seed 1 --drops "$DAYS" --every 1 --reference-each-drop \
    --as-of 2026-06-30 --out "$DIR/year" --clean >&2
  echo "$DAYS" > "$DIR/year.done"
fi
if [ ! -f "$DIR/increment.done" ]; then
  rm -rf "$DIR/increment"
  "$B" generate --cases $((N / 100)) --seed 2 --drops 1 --as-of "$AS_OF" --out "$DIR/increment" --clean
  touch "$DIR/increment.done"
fi
W="$DIR/year-run"
nightly_project "$W" "$DIR/year"

timed full
sync
AS_OF=$(next_day "$AS_OF") timed idle
cp -r "$DIR"/increment/20* "$W/tonight/"
AS_OF=$(next_day "$AS_OF" 2) timed night
AS_OF=$(next_day "$AS_OF" 2) timed refresh --full-refresh

python3 - "$W" <<'PY'
import json, sys
sys.path.insert(0, "benches")
from measure import wall_and_rss
w = sys.argv[1]
full, _ = wall_and_rss(f"{w}/time-full.txt")
for label in ["full", "idle", "night", "refresh"]:
    secs, rss = wall_and_rss(f"{w}/time-{label}.txt")
    run = json.load(open(f"{w}/run-{label}.json"))
    stages = ", ".join(f"{s['name']} {s['seconds']:.2f}" for s in run["stages"])
    t = run["totals"]
    print(f"{label:<8} wall {secs:6.1f} s ({secs / full:6.1%} of full)  peak RSS {rss:5.0f} MiB  "
          f"[{stages}]  files pulled {t['files_pulled']}, skipped {t['files_skipped']}")
same = open(f"{w}/values-night.csv", "rb").read() == open(f"{w}/values-refresh.csv", "rb").read()
print(f"night and full-refresh indicator_values identical: {same}")
sys.exit(0 if same else 1)
PY
