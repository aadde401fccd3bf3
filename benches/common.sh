# Sourced by the bench scripts: the release build, the generated drops, and
# the bench folder. Not run on its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/homeward-target}"
# HOMEWARD_BIN runs another build (for figures that do not depend on speed,
# such as sizes); by default the release build, made here.
if [ -n "${HOMEWARD_BIN:-}" ]; then
  B="$HOMEWARD_BIN"
else
  cargo build --release --quiet
  B="$CARGO_TARGET_DIR/release/homeward"
fi
BENCH_ROOT="${BENCH_DIR:-/tmp/homeward-bench}"

# clean_drops N: prints the folder of `--clean` drops for N cases (seed 1,
# $DROPS drops ending 2026-06-30, default 50 as in issue 17; 10 before it),
# generated once and kept (again when DROPS changes).
DROPS_COUNT="${DROPS:-50}"
clean_drops() {
  local dir="$BENCH_ROOT/$1"
  mkdir -p "$dir"
  if [ "$(cat "$dir/drops.done" 2>/dev/null)" != "$DROPS_COUNT" ]; then
    rm -rf "$dir/drops"
    "$B" generate --cases "$1" --seed 1 --drops "$DROPS_COUNT" --as-of 2026-06-30 --out "$dir/drops" --clean >&2
    echo "$DROPS_COUNT" > "$dir/drops.done"
  fi
  echo "$dir/drops"
}

# night_drops NIGHTS: one 1 % drop per night in $DIR/night-<i>
# (`generate --cases N/100 --seed 10+i`, as-of $AS_OF), generated once.
night_drops() {
  for i in $(seq "$1"); do
    local d="$DIR/night-$i"
    if [ ! -f "$d.done" ]; then
      rm -rf "$d"
      "$B" generate --cases $((N / 100)) --seed $((10 + i)) --drops 1 --as-of "$AS_OF" --out "$d" --clean
      touch "$d.done"
    fi
  done
}

# bench_config FILE: writes a config with the warehouse `wh`, output `out`,
# the demo key and this checkout's SQL and templates; the caller appends
# its [[sources]].
bench_config() {
  cat > "$1" <<TOML
warehouse = "wh"
out = "out"
[privacy]
demo_key = true
[transform]
paths = ["$PWD/sql"]
[report]
templates = "$PWD/templates"
TOML
}

# nightly_project W [HISTORY]: a fresh project in W with two sources,
# `drops` (a copy of the N-case history in $DIR/drops, or a link to the
# folder HISTORY) and `tonight` (empty: the caller drops the nights' files
# there), for `timed`.
nightly_project() {
  rm -rf "$1"
  mkdir -p "$1/tonight"
  if [ -n "${2:-}" ]; then
    ln -s "$2" "$1/drops"
  else
    mkdir -p "$1/drops"
    cp -r "$DIR"/drops/20* "$1/drops/"
  fi
  bench_config "$1/homeward.toml"
  cat >> "$1/homeward.toml" <<TOML
[[sources]]
name = "history"
url = "drops"
[[sources]]
name = "tonight"
url = "tonight"
TOML
}

# next_day DATE [DAYS]: the date DAYS (default 1) after DATE. A night of
# the benchmarks runs at the date after the run before it, as a scheduled
# night does (its as-of date is the day it runs), so it writes a new as-of
# folder and replaces only `latest/`: re-running an as-of date also
# replaces that date's folder, ≈ 0.2 s more at 1 M cases (benches/README.md).
next_day() {
  date -u -d "$1 + ${2:-1} day" +%F
}

# timed LABEL [ARGS...]: `homeward run` on the project $W at $AS_OF under
# /usr/bin/time -v; keeps time-LABEL.txt, run-LABEL.json and
# values-LABEL.csv in $W.
timed() {
  local label="$1"; shift
  /usr/bin/time -v "$B" run --config "$W/homeward.toml" --as-of "$AS_OF" "$@" 2> "$W/time-$label.txt" >/dev/null \
    || { tail -20 "$W/time-$label.txt"; exit 1; }
  cp "$W/out/$AS_OF/run.json" "$W/run-$label.json"
  cp "$W/out/$AS_OF/indicators/indicator_values.csv" "$W/values-$label.csv"
}
