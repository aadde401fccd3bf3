#!/usr/bin/env bash
# The local engine against a Ballista cluster on this machine (issue 21):
# a full run of N cases (the `--clean` drops of benches/pull.sh, 50 drops),
# then one night (the 1 % drop of benches/increment.sh), on each engine.
#
#   benches/cluster.sh [N]        (default 1 M)
#
# The cluster is `homeward scheduler` and two `homeward executor`s started
# here as processes (one task slot and a 512 MiB pool each: the machine's
# two cores), the warehouse on the local disk. The engines alternate
# (local, cluster, cluster, local); each run's wall time, stage times and
# peak RSS are printed, with the nodes' peak RSS, and the two engines'
# indicator_values are compared.
set -euo pipefail
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/homeward-target}"
if [ -z "${HOMEWARD_BIN:-}" ]; then
  (cd "$(dirname "$0")/.." && cargo build --release --features cluster --quiet)
  export HOMEWARD_BIN="$CARGO_TARGET_DIR/release/homeward"
fi
. "$(dirname "$0")/common.sh"
N="${1:-1000000}"
DIR="$BENCH_ROOT/$N"
AS_OF=2026-07-01
clean_drops "$N" >/dev/null
if [ ! -f "$DIR/increment.done" ]; then
  rm -rf "$DIR/increment"
  "$B" generate --cases $((N / 100)) --seed 2 --drops 1 --as-of "$AS_OF" --out "$DIR/increment" --clean
  touch "$DIR/increment.done"
fi
W="$DIR/cluster"
nightly_project "$W" "$DIR/drops"
PORT=50350

start_cluster() {
  local i
  stop_cluster
  mkdir -p "$W/nodes"
  "$B" scheduler --port $PORT > "$W/nodes/s.log" 2>&1 & echo $! > "$W/nodes/s.pid"
  sleep 1
  for i in 1 2; do
    "$B" executor --scheduler 127.0.0.1:$PORT --port $((PORT + 10 + i)) --grpc-port $((PORT + 20 + i)) \
      --slots 1 --memory-limit-mb 512 --work-dir "$W/nodes/e$i" > "$W/nodes/e$i.log" 2>&1 &
    echo $! > "$W/nodes/e$i.pid"
  done
  sleep 3
}
stop_cluster() {
  for f in "$W"/nodes/*.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$W/nodes"
}
trap stop_cluster EXIT

node_peaks() {
  for n in s e1 e2; do
    echo "  $n peak RSS: $(awk '/VmHWM/ {printf "%d MiB", $2 / 1024}' "/proc/$(cat "$W/nodes/$n.pid")/status")"
  done
}

# one ENGINE I: a full run and a night on ENGINE (local or cluster).
one() {
  local engine="$1" i="$2" args=()
  if [ "$engine" = cluster ]; then
    start_cluster
    args=(--engine "ballista://127.0.0.1:$PORT")
  fi
  rm -rf "$W/wh" "$W/out" "$W/tonight"
  mkdir -p "$W/tonight"
  timed "$engine-full-$i" "${args[@]}"
  [ "$engine" = cluster ] && node_peaks
  cp -r "$DIR"/increment/20* "$W/tonight/"
  sync
  AS_OF=$(next_day "$AS_OF") timed "$engine-night-$i" "${args[@]}"
  [ "$engine" = cluster ] && { node_peaks; stop_cluster; }
  return 0
}
one local 1
one cluster 1
one cluster 2
one local 2

python3 - "$W" <<'PY'
import json, re, sys
w = sys.argv[1]
for label in ["local-full-1", "cluster-full-1", "cluster-full-2", "local-full-2",
              "local-night-1", "cluster-night-1", "cluster-night-2", "local-night-2"]:
    t = open(f"{w}/time-{label}.txt").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
    run = json.load(open(f"{w}/run-{label}.json"))
    stages = " ".join(f"{s['name']} {s['seconds']:.1f} s" for s in run["stages"])
    print(f"{label:16} {secs:6.1f} s  homeward peak {rss} MiB  {stages}")
for kind in ["full", "night"]:
    a = open(f"{w}/values-local-{kind}-1.csv").read()
    b = open(f"{w}/values-cluster-{kind}-1.csv").read()
    print(f"{kind}: indicator_values {'identical' if a == b else 'DIFFER'} between the engines")
PY
