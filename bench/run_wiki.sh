#!/usr/bin/env bash
# The wiki benchmark (../shared/bench/WIKI_DATASET.md): Tribune and django-wiki 0.13 seeded with the same
# dataset and measured in the same run, interleaved. Fresh PostgreSQL databases, seeds (timed), warm SQL
# per page (in-process test Client), gunicorn with 2 sync workers and DEBUG off for each side, wrk
# -t2 -c16 -d20s per page and side (Tribune with and without its page cache), then 100 saves through
# each wiki's edit view by user0007, and the "Wiki" section of bench/README.md rewritten.
#
#   bash bench/run_wiki.sh          (or: make bench-wiki)
#
# Knobs (environment): WIKI_BENCH_DB (tribune_wikibench), WIKI_BENCH_DURATION (20s), WIKI_BENCH_RUNS (1),
# WIKI_BENCH_SAVES (100), WIKI_BENCH_REDIS_DB (6), SKIP_DJANGOWIKI=1 (Tribune only), BENCH_NOTE.
# Every wrk run holds /tmp/tribune-bench.lock (no two benchmarks at once on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GUNICORN=$ROOT/.venv/bin/gunicorn
RESULTS=$ROOT/bench/results/wiki
DB=${WIKI_BENCH_DB:-tribune_wikibench}
DURATION=${WIKI_BENCH_DURATION:-20s}
RUNS=${WIKI_BENCH_RUNS:-1}
SAVES=${WIKI_BENCH_SAVES:-100}
REDIS_DB=${WIKI_BENCH_REDIS_DB:-6}
DW_VENV=${DJANGOWIKI_VENV:-/tmp/peers/djangowiki}
DW_DIR=$ROOT/bench/peers_wiki
export DJANGOWIKI_DB=${DJANGOWIKI_DB:-bench_djangowiki} DJANGOWIKI_REDIS=redis://127.0.0.1:6379/8
declare -A PORT=([ours]=8110 [ours_nocache]=8111 [djangowiki]=8112)
PEERS=(ours ours_nocache djangowiki)
[[ ${SKIP_DJANGOWIKI:-} == 1 ]] && PEERS=(ours ours_nocache)
PAGES=(page hist_page history diff bigdiff)
PG=(-h 127.0.0.1 -U postgres)
LOCK=/tmp/tribune-bench.lock

log() { printf '\n== %s\n' "$*"; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y wrk >/dev/null; }
pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
for peer in "${PEERS[@]}"; do
    if curl -s -o /dev/null "http://127.0.0.1:${PORT[$peer]}/"; then
        echo "something already listens on 127.0.0.1:${PORT[$peer]}" >&2; exit 1
    fi
done
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.txt "$RESULTS"/*.json "$RESULTS"/*.log

if [[ ${SKIP_DJANGOWIKI:-} != 1 && ! -x $DW_VENV/bin/gunicorn ]]; then
    log "django-wiki 0.13 into $DW_VENV (pinned: bench/peers_wiki/requirements.txt)"
    python3 -m venv "$DW_VENV"
    "$DW_VENV/bin/pip" install -q -r "$DW_DIR/requirements.txt"
fi

# Tribune's environment: production settings, DEBUG off.
unset TRIBUNE_DEMO TRIBUNE_TESTING EMAIL_URL
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export SECRET_KEY=tribune-bench-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 DEBUG=0
export DJANGO_SETTINGS_MODULE=community.settings

declare -A PID=()
cleanup() {
    for peer in "${!PID[@]}"; do
        if kill -0 "${PID[$peer]}" 2>/dev/null; then kill -TERM "${PID[$peer]}"; wait "${PID[$peer]}" 2>/dev/null || true; fi
    done
    PID=()
}
trap cleanup EXIT INT TERM
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log "Tribune: fresh database $DB, Redis db $REDIS_DB flushed, migrate, seed_wiki_bench"
dropdb "${PG[@]}" --if-exists "$DB" && createdb "${PG[@]}" "$DB"
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null
$PY manage.py migrate --noinput >"$RESULTS/migrate.log" 2>&1
$PY manage.py seed_wiki_bench --urls-file "$RESULTS/urls_ours.txt" 2>>"$RESULTS/migrate.log" | tee "$RESULTS/seed_ours.txt"
cp "$RESULTS/urls_ours.txt" "$ROOT/bench/results/wiki_urls.txt"
cp "$RESULTS/urls_ours.txt" "$RESULTS/urls_ours_nocache.txt"
$PY manage.py collectstatic --noinput >"$RESULTS/collectstatic.log"

if [[ ${SKIP_DJANGOWIKI:-} != 1 ]]; then
    log "django-wiki: fresh database $DJANGOWIKI_DB, migrate, seed (same dataset)"
    dropdb "${PG[@]}" --if-exists "$DJANGOWIKI_DB" && createdb "${PG[@]}" "$DJANGOWIKI_DB"
    (cd "$DW_DIR" && DJANGO_SETTINGS_MODULE=dw_site.settings "$DW_VENV/bin/python" manage.py migrate --noinput \
        >"$RESULTS/migrate_djangowiki.log" 2>&1)
    (cd "$DW_DIR" && DJANGO_SETTINGS_MODULE=dw_site.settings "$DW_VENV/bin/python" seed_djangowiki.py \
        "$RESULTS/urls_djangowiki.txt" | tee "$RESULTS/seed_djangowiki.txt")
fi

measure() {  # peer, then the wikimeasure.py arguments
    local peer=$1; shift
    if [[ $peer == djangowiki ]]; then
        (cd "$DW_DIR" && DJANGO_SETTINGS_MODULE=dw_site.settings "$DW_VENV/bin/python" wikimeasure.py "$@")
    elif [[ $peer == ours_nocache ]]; then
        PAGE_CACHE_ENABLED=0 $PY bench/peers_wiki/wikimeasure.py "$@"
    else
        PAGE_CACHE_ENABLED=1 $PY bench/peers_wiki/wikimeasure.py "$@"
    fi
}

log "warm SQL per page (anonymous, in-process test Client)"
for peer in "${PEERS[@]}"; do
    echo "-- $peer"
    measure "$peer" sql "$RESULTS/urls_$peer.txt" "$RESULTS/sql_$peer.json" || echo "$peer: SQL counts failed"
done

log "gunicorn, 2 sync workers each: ours :${PORT[ours]} (page cache on), ours_nocache :${PORT[ours_nocache]}, djangowiki :${PORT[djangowiki]}"
for peer in "${PEERS[@]}"; do
    port=${PORT[$peer]}
    if [[ $peer == djangowiki ]]; then
        (cd "$DW_DIR" && exec env DJANGO_SETTINGS_MODULE=dw_site.settings "$DW_VENV/bin/gunicorn" dw_site.wsgi:application \
            --workers 2 --bind 127.0.0.1:$port) >"$RESULTS/gunicorn_$peer.log" 2>&1 &
    else
        cache=1; [[ $peer == ours_nocache ]] && cache=0
        PAGE_CACHE_ENABLED=$cache $GUNICORN community.wsgi:application --workers 2 --bind 127.0.0.1:$port \
            >"$RESULTS/gunicorn_$peer.log" 2>&1 &
    fi
    PID[$peer]=$!
done
for peer in "${PEERS[@]}"; do
    for _ in $(seq 150); do
        curl -s -o /dev/null "http://127.0.0.1:${PORT[$peer]}/" && break
        kill -0 "${PID[$peer]}" 2>/dev/null || { cat "$RESULTS/gunicorn_$peer.log" >&2; exit 1; }
        sleep 0.2
    done
done

declare -A URL=()
for peer in "${PEERS[@]}"; do
    while read -r name path; do URL[$peer:$name]=$path; done <"$RESULTS/urls_$peer.txt"
done
WRK_CMDS=()
log "wrk, interleaved: $RUNS round(s) x ${#PAGES[@]} pages x ${#PEERS[@]} sides, -t2 -c16 -d$DURATION"
for run in $(seq "$RUNS"); do
    for name in "${PAGES[@]}"; do
        for peer in "${PEERS[@]}"; do
            url="http://127.0.0.1:${PORT[$peer]}${URL[$peer:$name]}"
            code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
            if [[ $code != 200 ]]; then
                echo "$peer $name: $url answered $code, not measured" | tee -a "$RESULTS/skipped.txt"; continue
            fi
            for _ in $(seq 20); do curl -s -o /dev/null "$url"; done  # warm both workers, not measured
            echo "-- run $run, $name, $peer"
            flock "$LOCK" wrk -t2 -c16 -d"$DURATION" --latency --timeout 10s "$url" | tee "$RESULTS/wrk_${peer}_${name}_$run.txt"
            $PY bench/bench.py wrk "$RESULTS/wrk_${peer}_${name}_$run.txt" >"$RESULTS/wrk_${peer}_${name}_$run.json"
            [[ $run == 1 ]] && WRK_CMDS+=("wrk -t2 -c16 -d$DURATION --latency --timeout 10s '$url'   # $name, $peer")
        done
    done
done
cleanup

log "saves: $SAVES edits in a row by user0007 through each wiki's edit view (in-process test Client)"
for peer in ours djangowiki; do
    [[ " ${PEERS[*]} " == *" $peer "* ]] || continue
    echo "-- $peer"
    measure "$peer" saves "$RESULTS/urls_$peer.txt" "$SAVES" "$RESULTS/saves_$peer.json" \
        || echo "$peer: the saves failed (see above)" | tee -a "$RESULTS/skipped.txt"
done

log "report"
export BENCH_LOAD_START="$LOAD_START" BENCH_NOTE="${BENCH_NOTE:-}" WIKI_BENCH_DURATION="$DURATION" WIKI_BENCH_RUNS="$RUNS"
BENCH_LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg); export BENCH_LOAD_END
WIKI_BENCH_COMMANDS=$(printf '%s\n' "${WRK_CMDS[@]}"); export WIKI_BENCH_COMMANDS
$PY bench/peers_wiki/report.py "$RESULTS" "$ROOT/bench/README.md"
