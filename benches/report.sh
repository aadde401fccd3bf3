#!/usr/bin/env bash
# Time to render every report (programme pages, donor packs in five
# formats) for the committed sample, release build. The sample is pulled
# and transformed once; then `homeward report` runs REPEAT times and the
# report stage's own duration (from run.json) and the command's wall time
# are printed, with their median.
#
#   benches/report.sh [REPEAT]
. "$(dirname "$0")/common.sh"
REPEAT="${1:-5}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
sed -e "s#^warehouse = .*#warehouse = \"$DIR/wh\"#" -e "s#^out = .*#out = \"$DIR/out\"#" \
    -e "s#^url = \"fixtures/drops\"#url = \"$PWD/fixtures/drops\"#" homeward.toml > "$DIR/homeward.toml"
printf '[transform]\npaths = ["%s/sql"]\n[report]\ntemplates = "%s/templates"\n' "$PWD" "$PWD" >> "$DIR/homeward.toml"
HOMEWARD_LOG=warn "$B" run --config "$DIR/homeward.toml" --as-of 2026-06-30 2>/dev/null
for i in $(seq "$REPEAT"); do
  start=$(date +%s.%N)
  HOMEWARD_LOG=warn "$B" report --config "$DIR/homeward.toml" --as-of 2026-06-30 2>/dev/null
  end=$(date +%s.%N)
  python3 - "$DIR" "$start" "$end" <<'PY'
import json, sys
d, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
run = json.load(open(f"{d}/out/2026-06-30/run.json"))
stage = next(s for s in run["stages"] if s["name"] == "report")
print(f"report stage {stage['seconds']:.3f} s  command {end - start:.3f} s  files {len(run['reports'])}")
PY
done | tee "$DIR/times.txt"
python3 - "$DIR/times.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
stage = statistics.median(float(r[2]) for r in rows)
cmd = statistics.median(float(r[5]) for r in rows)
print(f"median: report stage {stage:.3f} s, whole command {cmd:.3f} s")
PY
