"""Helpers of bench/run.sh (run with the project's venv, from the repository root).

    bench.py pages    URLS_FILE OUT_JSON            SQL queries, status and size per page (test Client)
    bench.py session  USERNAME                      a logged-in session id of a bench member (for wrk)
    bench.py reply-sql URLS_FILE OUT_JSON           SQL queries of one reply through the real view
    bench.py replies  URLS_FILE BASE_URL N OUT_JSON N sequential replies over HTTP (a member's session)
    bench.py wrk      WRK_OUTPUT                    requests/s, p50, p99, errors of one wrk run (JSON)
    bench.py meta     OUT_JSON                      the run's machine/software/seed facts (BENCH_* env)
    bench.py report   RESULTS_DIR README            rewrite the results section of bench/README.md
    bench.py profile  URLS_FILE NAME [N]            cProfile of N renders of one page (page cache off), or of
                                                    N replies with NAME=reply (test Client, in-process);
                                                    post500_member: the 500-comment post as BLOG_MEMBER

The Django parts use the same settings and database as the server (DATABASE_URL etc. from the
environment) and run anonymous unless stated.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("index", "forum", "hot_first", "hot_last", "normal")
# The contributor spaces (manage.py seed_bench_blog): the space's page 1, the post with 500 comments,
# a post with none; and the 500-comment post seen by a logged-in member who wrote some of them.
BLOG_PAGES = ("space", "post500", "post0")
BLOG_MEMBER = "user0011"   # one of the 50 commenters (seed_bench_blog.commenter_numbers()[0])
BLOG_READER = "user0007"   # a member who wrote none of the comments (the peers' MEMBER=1 login)
# page name -> (the page it shows, the member who asks)
MEMBER_PAGES = {"post500_member": ("post500", BLOG_MEMBER), "post500_reader": ("post500", BLOG_READER)}
BLOG_TARGET = ("post500", "hot_first")  # issue: the first at least as fast (req/s) as the second, same run
SQL_TARGET = 8
BENCH_PASSWORD = "benchpass"
SQL_USER = "user0001"      # the one reply whose queries are counted (test Client)
WRITE_USER = "user0002"    # the member who posts the timed replies over HTTP
PROFILE_USER = "user0003"  # bench.py profile reply
HOST = "127.0.0.1"


def read_urls(path) -> dict[str, str]:
    urls = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            name, url = line.split(None, 1)
            urls[name] = url.strip()
    return urls


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    import django

    django.setup()


def client():
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def reply_body(tag: str, i: int) -> str:
    """A realistic ~600-character Markdown reply, unique per run and index (the double-submit
    guard refuses the same body by the same member within 10 minutes)."""
    pool = _pool()
    return f"Bench reply {tag}-{i}.\n\n{pool[i % len(pool)]}"


@functools.cache
def _pool():
    from forums.management.commands.seed_bench import body_pool

    return body_pool()


# --- SQL per page -------------------------------------------------------------------------------------

def cmd_pages(urls_file, out):
    """Per page: SQL queries and size when the view renders (page cache off), and SQL when the
    anonymous page cache answers (a repeat request)."""
    django_setup()
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    urls = read_urls(urls_file)
    members = {}
    for name, (page, username) in MEMBER_PAGES.items():
        if page in urls:
            urls[name] = urls[page]
            members[name] = client()
            if not members[name].login(username=username, password=BENCH_PASSWORD):
                raise SystemExit(f"cannot log in as {username}")
    anonymous = client()
    results = {}
    sql_dir = Path(out).parent
    for name in [n for n in (*PAGES, *BLOG_PAGES, *MEMBER_PAGES) if n in urls]:
        c = members.get(name, anonymous)
        with override_settings(PAGE_CACHE_ENABLED=False):
            c.get(urls[name])  # warm (first-request caches: content types, site, templates)
            with CaptureQueriesContext(connection) as ctx:
                response = c.get(urls[name])
        if response.status_code != 200:
            raise SystemExit(f"{name} {urls[name]} answered {response.status_code}")
        (sql_dir / f"sql_{name}.txt").write_text(
            "\n\n".join(q["sql"] for q in ctx.captured_queries) + "\n")
        row = {"url": urls[name], "status": response.status_code, "sql": len(ctx.captured_queries),
               "bytes": len(response.content)}
        c.get(urls[name])  # fill the page cache, if there is one
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(urls[name])
        row["cache"] = response.get("X-Page-Cache", "none")
        row["sql_cached"] = len(ctx.captured_queries)
        results[name] = row
    Path(out).write_text(json.dumps(results, indent=2))
    for name, row in results.items():
        print(f"  {name:<10} {row['status']} rendered: {row['sql']:>2} queries {row['bytes']:>7} bytes; "
              f"repeat: cache {row['cache']}, {row['sql_cached']} queries  {row['url']}")


def cmd_session(username=BLOG_MEMBER):
    """A logged-in session of a bench member, made by the test Client's login in the shared database
    (DB sessions): its id on stdout, for wrk's Cookie header."""
    django_setup()
    c = client()
    if not c.login(username=username, password=BENCH_PASSWORD):
        raise SystemExit(f"cannot log in as {username}")
    print(c.cookies["sessionid"].value)


def cmd_reply_sql(urls_file, out):
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = read_urls(urls_file)
    c = client()
    if not c.login(username=SQL_USER, password=BENCH_PASSWORD):
        raise SystemExit(f"cannot log in as {SQL_USER}")
    tag = f"sql-{time.time_ns()}"
    c.post(urls["reply_topic"], {"body": reply_body(tag, 0)})  # warm (per-process caches: content types)
    with CaptureQueriesContext(connection) as ctx:
        response = c.post(urls["reply_topic"], {"body": reply_body(tag, 1)})
    if response.status_code != 302:
        raise SystemExit(f"reply answered {response.status_code}, not 302")
    (Path(out).parent / "sql_reply.txt").write_text(
        "\n\n".join(q["sql"] for q in ctx.captured_queries) + "\n")
    result = {"sql": len(ctx.captured_queries), "status": response.status_code, "location": response["Location"]}
    Path(out).write_text(json.dumps(result, indent=2))
    print(f"  one reply: {result['sql']} queries, {result['status']} -> {result['location']}")


# --- The write path over HTTP -------------------------------------------------------------------------

def _request(base, method, path, *, cookies, body=None):
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Host": f"{parts.hostname}:{parts.port}",
               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    content = response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    conn.close()
    return response.status, dict(response.getheaders()), content


def cmd_replies(urls_file, base, count, out):
    django_setup()
    from forums.models import Topic

    urls = read_urls(urls_file)
    count = int(count)
    topic_id = int(re.search(r"/t/([0-9]+)/", urls["reply_topic"]).group(1))
    before = Topic.objects.values_list("post_count", "last_position").get(pk=topic_id)
    # A member's session, created by the test Client's login in the shared database (DB sessions).
    c = client()
    if not c.login(username=WRITE_USER, password=BENCH_PASSWORD):
        raise SystemExit(f"cannot log in as {WRITE_USER}")
    cookies = {"sessionid": c.cookies["sessionid"].value}
    status, _headers, content = _request(base, "GET", urls["reply_topic"], cookies=cookies)
    if status != 200:
        raise SystemExit(f"GET {urls['reply_topic']} answered {status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    if "csrftoken" not in cookies:
        raise SystemExit("no csrftoken cookie")
    tag = str(time.time_ns())
    bodies = [reply_body(tag, i) for i in range(count)]
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for body in bodies:
        status, headers, _content = _request(base, "POST", urls["reply_topic"], cookies=cookies,
                                             body={"csrfmiddlewaretoken": token, "body": body})
        statuses[status] = statuses.get(status, 0) + 1
        if status != 302 or "#post-" not in headers.get("Location", ""):
            raise SystemExit(f"reply answered {status} {headers.get('Location', '')}: {_content[:300]!r}")
    elapsed = time.perf_counter() - started
    after = Topic.objects.values_list("post_count", "last_position").get(pk=topic_id)
    result = {"replies": count, "seconds": elapsed, "replies_per_s": count / elapsed, "statuses": statuses,
              "post_count_before": before[0], "post_count_after": after[0],
              "last_position_before": before[1], "last_position_after": after[1]}
    if after[0] - before[0] != count or after[1] - before[1] != count:
        raise SystemExit(f"counters moved by {after[0] - before[0]}/{after[1] - before[1]}, not {count}")
    Path(out).write_text(json.dumps(result, indent=2))
    print(f"  {count} replies in {elapsed:.2f} s: {count / elapsed:.1f} replies/s, statuses {statuses}; "
          f"topic post_count {before[0]} -> {after[0]}")


# --- wrk ----------------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(text: str) -> dict:
    result = {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))}
    for pct in ("50", "99"):
        result[f"p{pct}_ms"] = _ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+([0-9]+)", text)
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    socket = re.search(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", text)
    result["socket_errors"] = sum(int(g) for g in socket.groups()) if socket else 0
    result["requests"] = int(re.search(r"([0-9]+) requests in", text).group(1))
    return result


def cmd_wrk(path):
    print(json.dumps(parse_wrk(Path(path).read_text())))


# --- README -------------------------------------------------------------------------------------------

START, END = "<!-- results:start -->", "<!-- results:end -->"


def _fmt(value, digits=0):
    return f"{value:,.{digits}f}" if value is not None else "—"


def _wrk(results: Path, name: str, variant: str = "") -> dict | None:
    path = results / f"wrk_{name}{variant}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _errors(w: dict) -> str:
    if w["non_2xx"] or w["socket_errors"]:
        return f" ({w['non_2xx']} non-2xx, {w['socket_errors']} socket errors)"
    return ""


def _page_table(results: Path, pages: dict, variant: str, sql_key: str) -> list[str]:
    """The forum pages measured by Tribune's own server in this part of the run (none by default:
    bench/run_peers.sh measures them beside Spirit and machina; BENCH_FORUM_ALONE=1 adds them here)."""
    rows = [(name, w) for name in PAGES if (w := _wrk(results, name, variant))]
    if not rows:
        return []
    lines = ["| page | req/s | p50 ms | p99 ms | SQL | bytes |", "|---|---:|---:|---:|---:|---:|"]
    for name, w in rows:
        p = pages[name]
        lines.append(f"| `{name}` | {_fmt(w['rps'], 1)}{_errors(w)} | {_fmt(w['p50_ms'], 1)} "
                     f"| {_fmt(w['p99_ms'], 1)} | {p[sql_key]} | {p['bytes']:,} |")
    return lines


def _sql_table(pages: dict) -> list[str]:
    lines = ["| page | SQL rendered | SQL as served (page cache) | bytes |", "|---|---:|---:|---:|"]
    for name in [n for n in PAGES if n in pages]:
        p = pages[name]
        lines.append(f"| `{name}` | {p['sql']} | {p['sql_cached']} ({p['cache']}) | {p['bytes']:,} |")
    return lines


def _blog_section(results: Path, pages: dict, meta: dict) -> list[str]:
    """The contributor spaces' pages, and the issue's comparison: the 500-comment post against the
    forums' hot topic, both rendered on every request in this run."""
    measured = [n for n in (*BLOG_PAGES, *MEMBER_PAGES) if n in pages and (_wrk(results, n) or _wrk(results, n, "_render"))]
    if not measured:
        return []

    def cells(w):
        if w is None:
            return "— | — | —"
        return f"{_fmt(w['rps'], 1)}{_errors(w)} | {_fmt(w['p50_ms'], 1)} | {_fmt(w['p99_ms'], 1)}"

    lines = [
        "",
        "### Contributor spaces",
        "",
        f"Seeding the blog dataset (`manage.py seed_bench_blog`, after `seed_bench`): **{meta['blog_seed_seconds']:.1f} s** "
        f"({meta['blog_seed_wall_seconds']:.1f} s wall for the command).",
        "",
        "Wagtail's pages have no anonymous page cache: as served, they are rendered on every request too. "
        "Rendered = with the dummy `sessionid` cookie, as the forum pages above (+1 query: the unknown session). "
        f"`post500_member`: the same post for a logged-in member (`{BLOG_MEMBER}`, who wrote some of the "
        "comments: their own show Edit and Delete, the others Report: rendered for them alone), with a real "
        f"session; `post500_reader`: for a member who wrote none of them (`{BLOG_READER}`): the thread's HTML "
        "is the one cached for every such member (blogs/threads.py), the rest of the page is rendered.",
        "",
        "| page | served req/s | p50 ms | p99 ms | rendered req/s | p50 ms | p99 ms | SQL | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in measured:
        p = pages[name]
        lines.append(f"| `{name}` | {cells(_wrk(results, name))} | {cells(_wrk(results, name, '_render'))} "
                     f"| {p['sql']} | {p['bytes']:,} |")
    post, topic = BLOG_TARGET
    wp, wt = _wrk(results, post, "_render"), _wrk(results, topic, "_render")
    if wp and wt:
        ratio = wp["rps"] / wt["rps"]
        lines += [
            "",
            "**The issue's target**: the post page with 500 comments rendered at least as fast, in requests/s, as "
            "the forums' hot topic page in the same run (both rendered on every request, dummy session cookie):",
            "",
            "| page | rendered req/s | p50 ms | p99 ms | SQL | bytes |",
            "|---|---:|---:|---:|---:|---:|",
            f"| `{topic}` (forum hot topic, page 1: 20 posts) | {cells(wt)} | {pages[topic]['sql']} "
            f"| {pages[topic]['bytes']:,} |",
            f"| `{post}` (space post, 500 threaded comments) | {cells(wp)} | {pages[post]['sql']} "
            f"| {pages[post]['bytes']:,} |",
            "",
            f"- `{post}` / `{topic}` req/s: **{ratio:.2f}** — target (≥ 1.00) "
            + ("**met**." if ratio >= 1 else "**not met**."),
        ]
    return lines


def build_report(results: Path) -> str:
    meta = json.loads((results / "meta.json").read_text())
    pages = json.loads((results / "pages.json").read_text())
    reply_sql = json.loads((results / "reply_sql.json").read_text())
    writes = json.loads((results / "writes.json").read_text())
    lines = [
        f"Run of {meta['date']} on {meta['machine']}.",
        f"Software: {meta['software']}.",
        "",
    ]
    if meta.get("note"):
        lines += [f"**Note:** {meta['note']}", ""]
    lines += [
        f"Seeding the standard dataset (`manage.py seed_bench`): **{meta['seed_seconds']:.1f} s** "
        f"({meta['seed_wall_seconds']:.1f} s wall for the command, migrate excluded).",
        "",
        "The forum pages' requests/s, against Spirit and machina measured in the same run, are in the "
        "section above (bench/run_peers.sh). The columns that compared with DATASET.md's peer figures "
        "(× Spirit, Spirit and machina req/s, and the absolute targets derived from them) are gone: those "
        "figures were taken another day, on a machine then about 2.5× faster. Here, Tribune's own server, "
        f"anonymous, in process (`bench.py pages`; target ≤ {SQL_TARGET} SQL rendered):",
        "",
        *_sql_table(pages),
    ]
    served = _page_table(results, pages, "", "sql_cached")
    if served:
        lines += ["", "**As served to an anonymous visitor** (the anonymous page cache answers):", "", *served]
    rendered = _page_table(results, pages, "_render", "sql")
    if rendered:
        lines += [
            "",
            "**Rendered on every request** (page cache bypassed by a dummy `sessionid` cookie, so the view "
            "runs for an anonymous visitor; under wrk each request also looks the unknown session up: "
            "+1 query over the SQL shown, which is the view's own count with no cookie):",
            "",
            *rendered,
        ]
    rps = writes["replies_per_s"]
    lines += [
        "",
        f"- Write path over HTTP: **{rps:.1f} replies/s** ({writes['replies']} sequential replies by one "
        f"member through the real view, {writes['seconds']:.2f} s, every one a 302) and **{reply_sql['sql']} "
        f"SQL queries per reply**. The topic's post count moved {writes['post_count_before']} → "
        f"{writes['post_count_after']}. Replies/s against Spirit's: the section above (in process, same run).",
        f"- SQL per rendered page (target ≤ {SQL_TARGET}): "
        + ("met on every page." if all(pages[n]["sql"] <= SQL_TARGET for n in PAGES if n in pages)
           else "**not met** on " + ", ".join(n for n in PAGES if n in pages and pages[n]["sql"] > SQL_TARGET) + "."),
        *_blog_section(results, pages, meta),
        "",
        "Exact commands of this part of the run (bench/run.sh, Tribune alone):",
        "```sh",
        *meta["commands"],
        "```",
        "Raw outputs in `bench/results/`: wrk_*.txt, sql_*.txt (the queries of each rendered page and of one "
        "reply), pages.json, writes.json, seed.txt, seed_blog.txt, gunicorn.log.",
    ]
    return "\n".join(lines)


def cmd_report(results, readme):
    results, readme = Path(results), Path(readme)
    section = build_report(results)
    text = readme.read_text() if readme.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = f"{head}{START}\n{section}\n{END}{tail}"
    else:
        text = f"{text.rstrip()}\n\n## Latest results\n\n{START}\n{section}\n{END}\n"
    readme.write_text(text)
    (results / "report.md").write_text(section + "\n")
    print(section)


def cmd_meta(out):
    """meta.json from the BENCH_* variables run.sh exports."""
    import datetime

    e = os.environ
    meta = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} vCPU ({e['BENCH_CPU']}), {e['BENCH_MEM_GB']} GB RAM, load average "
                   f"{e['BENCH_LOAD_START']} at start, {e['BENCH_LOAD_END']} at end",
        "software": e["BENCH_SOFT"],
        "seed_seconds": float(e["BENCH_SEED_SECONDS"]),
        "seed_wall_seconds": int(e["BENCH_SEED_WALL_MS"]) / 1000,
        "blog_seed_seconds": float(e.get("BENCH_BLOG_SEED_SECONDS") or 0),
        "blog_seed_wall_seconds": int(e.get("BENCH_BLOG_SEED_WALL_MS") or 0) / 1000,
        "note": e.get("BENCH_NOTE", ""),
        "commands": e["BENCH_META_COMMANDS"].splitlines(),
    }
    Path(out).write_text(json.dumps(meta, indent=2))


# --- Profile ------------------------------------------------------------------------------------------

def cmd_profile(urls_file, name, count="200"):
    django_setup()
    import cProfile
    import pstats

    from django.test import override_settings

    override_settings(PAGE_CACHE_ENABLED=False).enable()  # profile the rendering, not the cache
    urls = read_urls(urls_file)
    c = client()
    if name == "reply":  # the write path: a member posting unique replies to reply_topic
        if not c.login(username=PROFILE_USER, password=BENCH_PASSWORD):
            raise SystemExit(f"cannot log in as {PROFILE_USER}")
        tag = f"profile-{time.time_ns()}"
        bodies = iter(reply_body(tag, i) for i in range(int(count) + 1))

        def hit():
            response = c.post(urls["reply_topic"], {"body": next(bodies)})
            assert response.status_code == 302, response.status_code
    else:
        page, username = MEMBER_PAGES.get(name, (name, None))
        path = urls[page]
        if username is not None and not c.login(username=username, password=BENCH_PASSWORD):
            raise SystemExit(f"cannot log in as {username}")

        def hit():
            response = c.get(path)
            assert response.status_code == 200, response.status_code
    hit()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(int(count)):
        hit()
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{name}: {int(count)} renders in {elapsed:.2f} s = {elapsed / int(count) * 1000:.2f} ms each "
          "(in-process, profiler on)")
    out = ROOT / "bench" / "results" / f"profile_{name}.pstats"
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


COMMANDS = {"pages": cmd_pages, "session": cmd_session, "reply-sql": cmd_reply_sql, "replies": cmd_replies,
            "wrk": cmd_wrk, "report": cmd_report, "meta": cmd_meta, "profile": cmd_profile}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
