# Sourced by the bench scripts: the release build, the generated drops, and
# the bench folder. Not run on its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/homeward-target}"
cargo build --release --quiet
B="$CARGO_TARGET_DIR/release/homeward"
BENCH_ROOT="${BENCH_DIR:-/tmp/homeward-bench}"

# clean_drops N: prints the folder of `--clean` drops for N cases (seed 1,
# 10 weekly drops ending 2026-06-30), generated once and kept.
clean_drops() {
  local dir="$BENCH_ROOT/$1"
  mkdir -p "$dir"
  if [ ! -f "$dir/drops.done" ]; then
    rm -rf "$dir/drops"
    "$B" generate --cases "$1" --seed 1 --drops 10 --as-of 2026-06-30 --out "$dir/drops" --clean >&2
    touch "$dir/drops.done"
  fi
  echo "$dir/drops"
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
