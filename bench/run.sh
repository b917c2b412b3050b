#!/usr/bin/env bash
# The forum benchmark on the standard dataset (../shared/bench/DATASET.md), Tribune beside Spirit and
# django-machina in the same run, and the contributor spaces' pages on the blog dataset
# (bench/README.md), end to end, on 127.0.0.1 only:
#   1. bench/run_peers.sh: the shared peers' benchmark (PEERS_DIR, ../shared/bench/peers): setup_peers.sh
#      (idempotent), measure.sh (Tribune as served, rendered and as a member; Spirit and machina, each as
#      visitor and member; the write path of each), ratios.py, and the "Forum pages" section of
#      bench/README.md;
#   2. Tribune alone: fresh PostgreSQL database, migrate, seed both datasets (timed), collectstatic,
#      gunicorn with 2 sync workers and DEBUG off, SQL queries and size per page, wrk on the contributor
#      spaces' pages (and on the forum's hot topic rendered, their yardstick), 200 sequential replies
#      through the real view, and the "Latest results" section of bench/README.md.
#
#   bash bench/run.sh            (or: make bench)
#   smoke run (figures compare with nothing): PEERS="ours spirit" DURATION=2 RUNS=1 bash bench/run.sh
#
# Knobs (environment): PEERS_DIR (../shared/bench/peers), PEERS ("" = all), DURATION (20, seconds per
# wrk run, both parts), RUNS (2, the peers' rounds), MEMBER (1), SKIP_PEERS=1 (part 2 only),
# SKIP_ALONE=1 (part 1 only), BENCH_FORUM_ALONE=1 (part 2 also loads the five forum pages),
# BENCH_README (bench/README.md), BENCH_DB (tribune_bench), BENCH_PORT (8100), BENCH_REDIS_DB (5),
# BENCH_DURATION (${DURATION}s), BENCH_REPLIES (200), BENCH_NOTE (a sentence added to the report).
# Every wrk run holds /tmp/tribune-bench.lock (no two benchmarks at once on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GUNICORN=$ROOT/.venv/bin/gunicorn
RESULTS=$ROOT/bench/results
DB=${BENCH_DB:-tribune_bench}
PORT=${BENCH_PORT:-8100}
REDIS_DB=${BENCH_REDIS_DB:-5}
WRK_DURATION=${BENCH_DURATION:-${DURATION:-20}s}
REPLIES=${BENCH_REPLIES:-200}
BASE=http://127.0.0.1:$PORT
PG=(-h 127.0.0.1 -U postgres)
README=${BENCH_README:-$ROOT/bench/README.md}
LOCK=/tmp/tribune-bench.lock

log() { printf '\n== %s\n' "$*"; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y wrk >/dev/null; }
pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
if curl -s -o /dev/null "$BASE/"; then echo "something already listens on 127.0.0.1:$PORT" >&2; exit 1; fi
[[ ${SKIP_PEERS:-} == 1 ]] || bash bench/run_peers.sh --check

if [[ ${SKIP_PEERS:-} != 1 ]]; then
    # First: the peers' seed_ours.py rewrites bench/results/urls.txt (forum pages only); part 2 writes it whole.
    log "part 1: the forum pages, Tribune beside Spirit and machina (bench/run_peers.sh)"
    bash bench/run_peers.sh
fi
if [[ ${SKIP_ALONE:-} == 1 ]]; then
    log "done (SKIP_ALONE=1: no contributor spaces part); the verdict:"
    cat "${BENCH_PEERS_RESULTS:-$ROOT/bench/results/peers}/ratios.txt"
    exit 0
fi
log "part 2: Tribune alone, the contributor spaces' pages"

mkdir -p "$RESULTS"
# This part's own outputs only: bench/results also holds other benchmarks' files (some committed).
(cd "$RESULTS" && rm -f wrk_* sql_* migrate.txt seed.txt seed_blog.txt seed_blog.log urls.txt collectstatic.txt \
    pages.json reply_sql.json writes.json meta.json report.md gunicorn.log)

# The server's environment: production settings, DEBUG off.
unset TRIBUNE_DEMO TRIBUNE_TESTING EMAIL_URL
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export SECRET_KEY=tribune-bench-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 DEBUG=0
export DJANGO_SETTINGS_MODULE=community.settings

GUNICORN_PID=
cleanup() {
    if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log "fresh database $DB, Redis db $REDIS_DB flushed"
dropdb "${PG[@]}" --if-exists "$DB"
createdb "${PG[@]}" "$DB"
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null
$PY manage.py migrate --noinput >"$RESULTS/migrate.txt"

log "seed_bench"
SEED_T0=$(date +%s%N)
$PY manage.py seed_bench --urls-file "$RESULTS/urls.txt" | tee "$RESULTS/seed.txt"
SEED_WALL_MS=$(( ($(date +%s%N) - SEED_T0) / 1000000 ))
SEED_SECONDS=$(sed -n 's/^seed_seconds=//p' "$RESULTS/seed.txt")

log "seed_bench_blog (the contributor spaces' dataset, real services; Wagtail's log in seed_blog.log)"
SEED_T0=$(date +%s%N)
$PY manage.py seed_bench_blog --urls-file "$RESULTS/urls.txt" 2>"$RESULTS/seed_blog.log" | tee "$RESULTS/seed_blog.txt"
BLOG_SEED_WALL_MS=$(( ($(date +%s%N) - SEED_T0) / 1000000 ))
BLOG_SEED_SECONDS=$(sed -n 's/^blog_seed_seconds=//p' "$RESULTS/seed_blog.txt")

log "collectstatic"
$PY manage.py collectstatic --noinput >"$RESULTS/collectstatic.txt"

log "SQL queries and size per page (anonymous, and post500_member/post500_reader logged in; django.test.Client + CaptureQueriesContext)"
$PY bench/bench.py pages "$RESULTS/urls.txt" "$RESULTS/pages.json"

log "gunicorn on $BASE (2 sync workers)"
$GUNICORN community.wsgi:application --workers 2 --bind 127.0.0.1:$PORT >"$RESULTS/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "$BASE/forums/" && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$RESULTS/gunicorn.log" >&2; exit 1; }
    sleep 0.2
done

declare -A URL
while read -r name path; do URL[$name]=$path; done <"$RESULTS/urls.txt"
# The forum pages are measured beside the peers (part 1); here only the contributor spaces' pages, and the
# forums' hot topic rendered: the yardstick of the 500-comment post, in the same server and run.
SERVED_PAGES=(space post500 post0)
RENDERED_PAGES=(hot_first space post500 post0)
if [[ ${BENCH_FORUM_ALONE:-} == 1 ]]; then
    SERVED_PAGES=(index forum hot_first hot_last normal "${SERVED_PAGES[@]}")
    RENDERED_PAGES=(index forum hot_first hot_last normal space post500 post0)
fi
# wrk gives up on a request after 2 s and counts a timeout: the contributor spaces' slower pages
# (a 500-comment post, 16 connections queued on 2 workers) are given 10 s, so that every answer counts.
BLOG_PAGES=" space post500 post0 "
wrk_opts() { if [[ $BLOG_PAGES == *" $1 "* ]]; then echo "--timeout 10s "; fi; }
WRK_CMDS=()
NOCACHE='Cookie: sessionid=bench-no-page-cache'
for name in "${SERVED_PAGES[@]}"; do
    url="$BASE${URL[$name]}"
    read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$url")
    [[ $code == 200 ]] || { echo "$name $url answered $code" >&2; exit 1; }
    # Warm both workers (imports, templates, the page cache) before measuring; not measured.
    for _ in $(seq 20); do curl -s -o /dev/null "$url"; done
    log "wrk $name, as served ($size bytes over HTTP)"
    opts=$(wrk_opts "$name")
    # shellcheck disable=SC2086  # $opts: no option, or two words
    flock "$LOCK" wrk -t2 -c16 -d"$WRK_DURATION" --latency $opts "$url" | tee "$RESULTS/wrk_$name.txt"
    $PY bench/bench.py wrk "$RESULTS/wrk_$name.txt" >"$RESULTS/wrk_$name.json"
    WRK_CMDS+=("wrk -t2 -c16 -d$WRK_DURATION --latency $opts'$url'   # $name, as served")
done
for name in "${RENDERED_PAGES[@]}"; do
    url="$BASE${URL[$name]}"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$NOCACHE" "$url")
    [[ $code == 200 ]] || { echo "$name $url (no cache) answered $code" >&2; exit 1; }
    log "wrk $name, rendered on every request (page cache bypassed)"
    opts=$(wrk_opts "$name")
    # shellcheck disable=SC2086
    flock "$LOCK" wrk -t2 -c16 -d"$WRK_DURATION" --latency $opts -H "$NOCACHE" "$url" | tee "$RESULTS/wrk_${name}_render.txt"
    $PY bench/bench.py wrk "$RESULTS/wrk_${name}_render.txt" >"$RESULTS/wrk_${name}_render.json"
    WRK_CMDS+=("wrk -t2 -c16 -d$WRK_DURATION --latency $opts-H '$NOCACHE' '$url'   # $name, rendered")
done

# The 500-comment post as logged-in members, with real sessions: a commenter (their thread is rendered
# for them alone) and a reader who wrote nothing there (the thread's HTML shared by such members).
for who in member:user0011 reader:user0007; do
    name=post500_${who%%:*}
    MEMBER_SESSION=$($PY bench/bench.py session "${who#*:}")
    MEMBER_COOKIE="Cookie: sessionid=$MEMBER_SESSION"
    url="$BASE${URL[post500]}"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$MEMBER_COOKIE" "$url")
    [[ $code == 200 ]] || { echo "post500 as ${who#*:} answered $code" >&2; exit 1; }
    for _ in $(seq 5); do curl -s -o /dev/null -H "$MEMBER_COOKIE" "$url"; done
    log "wrk $name, logged in as ${who#*:}"
    flock "$LOCK" wrk -t2 -c16 -d"$WRK_DURATION" --latency --timeout 10s -H "$MEMBER_COOKIE" "$url" | tee "$RESULTS/wrk_${name}_render.txt"
    $PY bench/bench.py wrk "$RESULTS/wrk_${name}_render.txt" >"$RESULTS/wrk_${name}_render.json"
    WRK_CMDS+=("wrk -t2 -c16 -d$WRK_DURATION --latency --timeout 10s -H 'Cookie: sessionid=…' '$url'   # $name (bench.py session ${who#*:})")
done

log "write path: SQL of one reply (test Client), then $REPLIES sequential replies over HTTP"
$PY bench/bench.py reply-sql "$RESULTS/urls.txt" "$RESULTS/reply_sql.json"
$PY bench/bench.py replies "$RESULTS/urls.txt" "$BASE" "$REPLIES" "$RESULTS/writes.json"

cleanup
GUNICORN_PID=

log "report"
export BENCH_LOAD_START="$LOAD_START" BENCH_SEED_SECONDS="$SEED_SECONDS" BENCH_SEED_WALL_MS="$SEED_WALL_MS"
export BENCH_BLOG_SEED_SECONDS="$BLOG_SEED_SECONDS" BENCH_BLOG_SEED_WALL_MS="$BLOG_SEED_WALL_MS"
export BENCH_NOTE="${BENCH_NOTE:-}" BENCH_LOAD_END BENCH_CPU BENCH_MEM_GB BENCH_SOFT BENCH_META_COMMANDS
BENCH_LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
BENCH_MEM_GB=$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)
BENCH_CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
BENCH_SOFT="$($PY -c "import sys, django, gunicorn; print(f'Python {sys.version.split()[0]}, Django {django.get_version()}, gunicorn {gunicorn.__version__}')")"
BENCH_SOFT="$BENCH_SOFT, PostgreSQL $(psql "${PG[@]}" -tAc 'show server_version' | cut -d' ' -f1)"
BENCH_SOFT="$BENCH_SOFT, $(redis-server --version | cut -d' ' -f1-3), $( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)"
BENCH_META_COMMANDS=$(printf '%s\n' \
    "dropdb -h 127.0.0.1 -U postgres --if-exists $DB && createdb -h 127.0.0.1 -U postgres $DB" \
    "export DATABASE_URL=$DATABASE_URL REDIS_URL=$REDIS_URL SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 DEBUG=0" \
    "redis-cli -n $REDIS_DB flushdb" \
    ".venv/bin/python manage.py migrate --noinput" \
    ".venv/bin/python manage.py seed_bench --urls-file bench/results/urls.txt" \
    ".venv/bin/python manage.py seed_bench_blog --urls-file bench/results/urls.txt" \
    ".venv/bin/python manage.py collectstatic --noinput" \
    ".venv/bin/python bench/bench.py pages bench/results/urls.txt bench/results/pages.json   # SQL and bytes" \
    ".venv/bin/gunicorn community.wsgi:application --workers 2 --bind 127.0.0.1:$PORT &" \
    "${WRK_CMDS[@]}" \
    ".venv/bin/python bench/bench.py reply-sql bench/results/urls.txt bench/results/reply_sql.json" \
    ".venv/bin/python bench/bench.py replies bench/results/urls.txt $BASE $REPLIES bench/results/writes.json")
$PY bench/bench.py meta "$RESULTS/meta.json"
$PY bench/bench.py report "$RESULTS" "$README"
if [[ ${SKIP_PEERS:-} != 1 ]]; then
    log "the forum pages' verdict (part 1, ratios.py; exit status $(cat "${BENCH_PEERS_RESULTS:-$ROOT/bench/results/peers}/ratios_status.txt"))"
    cat "${BENCH_PEERS_RESULTS:-$ROOT/bench/results/peers}/ratios.txt"
fi
