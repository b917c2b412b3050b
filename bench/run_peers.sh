#!/usr/bin/env bash
# The forum pages side by side: Tribune (as served, rendered on every request, and as a logged-in
# member), Spirit and django-machina measured in the same run, on the same data, interleaved, with the
# shared peers' benchmark (../shared/bench/peers: its README.md). Then its `ratios.py` verdict, and the
# "Forum pages" section of bench/README.md rewritten (bench/peers_report.py). Run by bench/run.sh
# (make bench) first; also runs alone:
#
#   bash bench/run_peers.sh            (bash bench/run_peers.sh --check: only check PEERS_DIR, PEERS, ports)
#
# Knobs (environment): PEERS_DIR (../shared/bench/peers, relative to the project root, or absolute),
# PEERS ("" = every peers/*.env there; e.g. "ours spirit"), DURATION (20, seconds per wrk run), RUNS (2),
# MEMBER (1: every page also as user0007), BENCH_PEERS_RESULTS (bench/results/peers), BENCH_README
# (bench/README.md), and measure.sh's own: WORKERS THREADS CONNS SKIP_RESET SKIP_WRITE.
# The measurement holds /tmp/tribune-bench.lock (no two benchmarks at once on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS_DIR=${PEERS_DIR:-../shared/bench/peers}
[[ $PEERS_DIR == /* ]] || PEERS_DIR=$ROOT/$PEERS_DIR
for f in README.md setup_peers.sh measure.sh summarize.py ratios.py peers; do
    if [[ ! -e $PEERS_DIR/$f ]]; then
        echo "bench: the peers' benchmark is not in PEERS_DIR=$PEERS_DIR (no $f there)." >&2
        echo "       It lives in the shared folder beside the project (../shared/bench/peers from the project" >&2
        echo "       root); set PEERS_DIR=/path/to/shared/bench/peers, or SKIP_PEERS=1 for Tribune alone." >&2
        exit 2
    fi
done
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
PY=$ROOT/.venv/bin/python
README=${BENCH_README:-$ROOT/bench/README.md}
LOCK=/tmp/tribune-bench.lock

read -r -a PEER_LIST <<<"${PEERS:-}"
for p in "${PEER_LIST[@]}"; do
    [[ -f $PEERS_DIR/peers/$p.env ]] || { echo "bench: no peer '$p' in $PEERS_DIR/peers/" >&2; exit 2; }
done
SELECTED=("${PEER_LIST[@]}")
if [[ ${#SELECTED[@]} -eq 0 ]]; then
    mapfile -t SELECTED < <(cd "$PEERS_DIR/peers" && ls ./*.env | sed 's|^\./||; s/\.env$//')
fi
for p in "${SELECTED[@]}"; do
    port=$(sed -n 's/^PEER_PORT=\([0-9]*\).*/\1/p' "$PEERS_DIR/peers/$p.env")
    if [[ -n $port ]] && curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "bench: something already listens on 127.0.0.1:$port (peer $p)" >&2; exit 1
    fi
done
[[ ${1:-} == --check ]] && exit 0   # bench/run.sh checks before it starts anything

# The peers' settings come from their .env files only: nothing of ours (or of bench/run.sh's knobs:
# Spirit and machina read BENCH_DB) may leak into them.
unset DJANGO_SETTINGS_MODULE DATABASE_URL REDIS_URL EMAIL_URL TRIBUNE_DEMO TRIBUNE_TESTING BENCH_DB BENCH_DEBUG
export TRIBUNE_ROOT=$ROOT
export BENCH_RESULTS=${BENCH_PEERS_RESULTS:-$ROOT/bench/results/peers}
export DURATION=${DURATION:-20} RUNS=${RUNS:-2} MEMBER=${MEMBER:-1}
mkdir -p "$BENCH_RESULTS"
# summarize.py globs wrk_<peer>_<page>_run*.txt: a previous run's files must not join this one.
(cd "$BENCH_RESULTS" && rm -f wrk_* queries_* write_* pip_freeze_* results.md machine.txt ratios*.txt commands.txt)
if [[ ${SKIP_RESET:-0} != 1 ]]; then (cd "$BENCH_RESULTS" && rm -f urls_* seed_* reply_topic_*); fi

printf '\n== peers: setup (idempotent: wrk, PostgreSQL role bench, /tmp/peers virtualenvs) %s\n' "${PEER_LIST[*]:-all}"
bash "$PEERS_DIR/setup_peers.sh" "${PEER_LIST[@]}"

printf '\n== peers: measure.sh %s (DURATION=%s RUNS=%s MEMBER=%s), waiting for %s\n' \
    "${PEER_LIST[*]:-all}" "$DURATION" "$RUNS" "$MEMBER" "$LOCK"
flock "$LOCK" bash "$PEERS_DIR/measure.sh" "${PEER_LIST[@]}"

printf '\n== peers: ratios.py\n'
set +e
python3 "$PEERS_DIR/ratios.py" "$BENCH_RESULTS/results.md" >"$BENCH_RESULTS/ratios.txt"
RATIOS_STATUS=$?
set -e
echo "$RATIOS_STATUS" >"$BENCH_RESULTS/ratios_status.txt"
cat "$BENCH_RESULTS/ratios.txt"
echo "(exit status $RATIOS_STATUS: $([[ $RATIOS_STATUS == 0 ]] && echo 'every goal met' || echo 'goals not met'))"

P=${PEERS_DIR/#$(dirname "$ROOT")\//..\/}   # ../shared/... when it sits beside the project
R=${BENCH_RESULTS/#$ROOT\//}
{
    echo "export TRIBUNE_ROOT=\$PWD BENCH_RESULTS=\$PWD/$R DURATION=$DURATION RUNS=$RUNS MEMBER=$MEMBER"
    echo "bash $P/setup_peers.sh ${PEER_LIST[*]}"
    echo "bash $P/measure.sh ${PEER_LIST[*]}"
    echo "python3 $P/ratios.py $R/results.md"
} | sed 's/ *$//' >"$BENCH_RESULTS/commands.txt"

printf '\n== peers: report into %s\n' "$README"
"$PY" bench/peers_report.py "$BENCH_RESULTS" "$README"
