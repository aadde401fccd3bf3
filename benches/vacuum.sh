#!/usr/bin/env bash
# The warehouse's size over nights, without and with `homeward vacuum`.
#
#   benches/vacuum.sh [N] [NIGHTS]        (default 100 k cases, 14 nights)
#
# Two projects get the same history (the N-case drops of benches/pull.sh)
# and then the same NIGHTS nightly 1 % drops (as benches/nights.sh makes
# them), one `homeward run` each. The second also runs `homeward vacuum`
# after each night, with `[vacuum] keep_transforms = 2, keep_days = 0`.
# Prints the bytes under the warehouse after each night (du -sb), and
# checks that both projects' last indicator_values are identical.
. "$(dirname "$0")/common.sh"
N="${1:-100000}"
NIGHTS="${2:-14}"
DIR="$BENCH_ROOT/$N"
clean_drops "$N" >/dev/null
AS_OF=2026-07-01
night_drops "$NIGHTS"
for variant in plain vacuum; do
  W="$DIR/size-$variant"
  nightly_project "$W"
  printf '[vacuum]\nkeep_transforms = 2\nkeep_days = 0\n' >> "$W/homeward.toml"
  timed full
  [ "$variant" = vacuum ] && "$B" vacuum --config "$W/homeward.toml" >/dev/null 2>&1
  du -sb "$W/wh" | cut -f1 > "$W/size-0.txt"
  for i in $(seq "$NIGHTS"); do
    cp -r "$DIR/night-$i/$AS_OF" "$W/tonight/${AS_OF}T$(printf %04d "$i")"
    AS_OF=$(next_day "$AS_OF" "$i") timed "night-$i"
    if [ "$variant" = vacuum ]; then
      "$B" vacuum --config "$W/homeward.toml" >/dev/null 2> "$W/vacuum-$i.txt"
    fi
    du -sb "$W/wh" | cut -f1 > "$W/size-$i.txt"
  done
done
python3 - "$DIR" "$NIGHTS" <<'PY'
import sys
d, nights = sys.argv[1], int(sys.argv[2])
size = lambda v, i: int(open(f"{d}/size-{v}/size-{i}.txt").read()) / 2**20
print("night  without vacuum (MiB)  with vacuum (MiB)")
for i in range(nights + 1):
    print(f"{'full' if i == 0 else i:>5}  {size('plain', i):20.1f}  {size('vacuum', i):17.1f}")
same = open(f"{d}/size-plain/values-night-{nights}.csv", "rb").read() == open(f"{d}/size-vacuum/values-night-{nights}.csv", "rb").read()
print(f"last night's indicator_values identical: {same}")
sys.exit(0 if same else 1)
PY
