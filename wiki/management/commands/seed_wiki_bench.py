"""Seed the standard wiki benchmark dataset (../shared/bench/WIKI_DATASET.md) with bulk inserts.

    manage.py seed_wiki_bench [--reset] [--urls-file PATH] [--sections N]

The text comes from wiki/bench_data.py, whose digest() must equal the SHA-256 of WIKI_DATASET.md
(the command refuses to seed otherwise). 611 pages as an mptt tree (lft/rght/tree_id/level computed
here, pages inserted level by level), 1,611 revisions rendered once with wiki.rendering.render and
published, ham, patrolled, with `added_text`; each page's current text copied onto it; 3 outgoing
Link rows per page. The authors are the forum dataset's users user0000..user0999: those missing
are created as `seed_bench` creates them (same password hash scheme, profile, Members role,
verified address).

In-body links are the dataset's plain Markdown links `[T](/path)`: their targets are rewritten to
`/wiki/path` when seeding (Tribune's wiki lives under /wiki/); the digest is over the dataset's text.

`--sections N` (smoke tests only, e.g. on SQLite): only the root and the first N sections (the
history and big pages included). Any N other than 10 is NOT the standard dataset.

Writes the measured page paths (page, hist_page, history, diff, bigdiff, and save_page, the page
the write benchmark edits) to bench/results/wiki_urls.txt as `name path` lines.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from community import writing
from community.identity import skeleton
from community.models import Profile, SpamStatus, User, Visibility
from community.permissions import Role
from wiki import bench_data as data
from wiki import rendering
from wiki.diffing import added_text
from wiki.models import Link, Page, PageLog, Redirect, Revision, Watch

STANDARD_SECTIONS = data.SECTIONS
BATCH = 500
WIKI_PREFIX = "/wiki/"
_LINK_RE = re.compile(r"\]\(/([a-z0-9/-]*)\)")


def wiki_text(body: str) -> str:
    """The dataset's root-relative links `[T](/path)` pointed at Tribune's wiki: `[T](/wiki/path)`."""
    return _LINK_RE.sub(lambda m: f"]({WIKI_PREFIX}{m.group(1)})", body)


def selected_pages(sections: int) -> list[data.PageDef]:
    """The root and the first `sections` sections with everything below them (pre-order)."""
    return [p for p in data.PAGES if p.i == 0 or (p.i - 1) // 61 < sections]


def tree_fields(pages: list[data.PageDef]) -> dict[int, tuple[int, int, int]]:
    """page index -> (lft, rght, level) of the one mptt tree (pre-order; siblings are already in title
    order, which is the model's order_insertion_by)."""
    children: dict[int | None, list[int]] = {}
    for p in pages:
        children.setdefault(p.parent, []).append(p.i)
    out: dict[int, tuple[int, int, int]] = {}
    counter = 1

    def visit(i: int, level: int) -> None:
        nonlocal counter
        lft = counter
        counter += 1
        for child in children.get(i, []):
            visit(child, level + 1)
        out[i] = (lft, counter, level)
        counter += 1

    visit(0, 0)
    return out


def ensure_users() -> dict[int, int]:
    """user number -> pk of user0000..user0999, creating the missing ones as seed_bench does."""
    names = [f"user{n:04d}" for n in range(data.USERS)]
    existing = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    missing = [name for name in names if name not in existing]
    if missing:
        from allauth.account.models import EmailAddress

        password = make_password(data.PASSWORD)  # hashed once, reused
        joined = data.BASE_TIME - timedelta(days=365)
        User.objects.bulk_create(
            [User(username=name, username_skeleton=skeleton(name), email=f"{name}@example.com", password=password,
                  date_joined=joined, is_active=True, trust_level=1) for name in missing], batch_size=BATCH)
        created = dict(User.objects.filter(username__in=missing).values_list("username", "pk"))
        existing.update(created)
        ids = [created[name] for name in missing]
        Profile.objects.bulk_create([Profile(user_id=pk) for pk in ids], batch_size=BATCH)
        group, _created = Group.objects.get_or_create(name=Role.MEMBER)
        through = User.groups.through
        through.objects.bulk_create([through(user_id=pk, group_id=group.pk) for pk in ids], batch_size=BATCH)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=created[name], email=f"{name}@example.com", verified=True, primary=True)
             for name in missing], batch_size=BATCH)
    return {n: existing[name] for n, name in enumerate(names)}


def reset_wiki() -> None:
    """Every wiki row gone (pages, revisions, links, redirects, watches, logs); users are kept."""
    with transaction.atomic():
        Page.objects.update(current_revision=None, parent=None, discussion_topic=None)
        for model in (Link, Redirect, Watch, PageLog):
            model.objects.all().delete()
        Revision.objects.update(reverts=None)
        Revision.objects.all().delete()
        Page.objects.all().delete()


def write_urls(path: Path) -> dict[str, str]:
    urls = data.measured_urls(WIKI_PREFIX)
    urls["save_page"] = f"{WIKI_PREFIX}{data.MEASURED_PAGE}"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep other lines of the file (none expected), replace ours.
    kept = []
    if path.exists():
        kept = [line for line in path.read_text().splitlines() if line.split(" ", 1)[0] not in urls]
    path.write_text("\n".join(kept + [f"{name} {url}" for name, url in urls.items()]) + "\n")
    return urls


class Seeder:
    def __init__(self, sections: int, out=None):
        self.pages = selected_pages(sections)
        self.indexes = {p.i for p in self.pages}
        self.out = out
        self.phases: list[tuple[str, float]] = []

    def phase(self, name: str, t0: float) -> float:
        now = time.monotonic()
        self.phases.append((name, now - t0))
        return now

    def run(self) -> dict[str, int]:
        t0 = time.monotonic()
        users = ensure_users()
        t0 = self.phase("users", t0)
        page_ids = self.insert_pages()
        t0 = self.phase("pages", t0)
        current = self.insert_revisions(page_ids, users)
        t0 = self.phase("revisions", t0)
        self.finish_pages(page_ids, current)
        t0 = self.phase("page fields", t0)
        links = self.insert_links(page_ids)
        self.phase("links", t0)
        return {"pages": len(page_ids), "revisions": sum(c[1] for c in current.values()), "links": links}

    def insert_pages(self) -> dict[int, int]:
        tree = tree_fields(self.pages)
        page_ids: dict[int, int] = {}
        by_level: dict[int, list[data.PageDef]] = {}
        for p in self.pages:
            by_level.setdefault(tree[p.i][2], []).append(p)
        tree_id = (max(Page.objects.values_list("tree_id", flat=True), default=0) or 0) + 1
        for level in sorted(by_level):
            rows = []
            for p in by_level[level]:
                lft, rght, _level = tree[p.i]
                rows.append(Page(parent_id=page_ids.get(p.parent), slug=p.slug, path=p.path, title=p.title,
                                 lft=lft, rght=rght, tree_id=tree_id, level=level,
                                 created_at=data.BASE_TIME, updated_at=data.BASE_TIME))
            created = Page.objects.bulk_create(rows, batch_size=BATCH)
            if any(page.pk is None for page in created):  # a backend that returns no ids
                ids = dict(Page.objects.filter(path__in=[p.path for p in by_level[level]])
                           .values_list("path", "pk"))
                for page in created:
                    page.pk = ids[page.path]
            for p, page in zip(by_level[level], created, strict=True):
                page_ids[p.i] = page.pk
        return page_ids

    def insert_revisions(self, page_ids, users) -> dict[int, tuple[str, int, object]]:
        """Revision rows, rendered; returns page index -> (current body, revision count, last rendered)."""
        current: dict[int, tuple[str, int, object]] = {}
        rows: list[Revision] = []
        previous: dict[int, str] = {}

        def flush():
            if rows:
                Revision.objects.bulk_create(rows, batch_size=BATCH)
                rows.clear()

        for rev in data.revisions():
            if rev.page not in self.indexes:
                continue
            page = data.PAGES[rev.page]
            body = wiki_text(rev.body)
            old = previous.get(rev.page, "")
            # Only the newest revision's rendering is kept on the page, but every revision stores its HTML.
            rendered = rendering.render(body, base_path=page.path)
            author = users[rev.author]
            rows.append(Revision(
                page_id=page_ids[rev.page], number=rev.number, author_id=author, created_at=rev.created,
                title=rev.title, body=body, body_html=rendered.html, toc=rendered.toc, summary=rev.summary,
                minor=False, size=len(body), size_delta=len(body) - len(old), added_text=added_text(old, body),
                patrolled=True, status=Visibility.PUBLISHED, spam_status=SpamStatus.HAM,
                fingerprint=writing.fingerprint(author, body)))
            previous[rev.page] = body
            current[rev.page] = (body, rev.number, rendered, rev.created)
            if len(rows) >= BATCH:
                flush()
        flush()
        return current

    def finish_pages(self, page_ids, current) -> None:
        newest = {(page_id, number): pk for page_id, number, pk in Revision.objects.filter(
            page_id__in=list(page_ids.values())).values_list("page_id", "number", "pk")}
        pages = []
        for i, page_id in page_ids.items():
            _body, number, rendered, created = current[i]
            pages.append(Page(pk=page_id, current_revision_id=newest[(page_id, number)], body_html=rendered.html,
                              toc=rendered.toc, revision_count=number, last_number=number,
                              title=data.PAGES[i].title, updated_at=created))
        Page.objects.bulk_update(pages, ["current_revision_id", "body_html", "toc", "revision_count",
                                         "last_number", "title", "updated_at"], batch_size=BATCH)

    def insert_links(self, page_ids) -> int:
        rows = []
        for p in self.pages:
            for t in dict.fromkeys(data.link_targets(p.i)):
                target = data.PAGES[t]
                rows.append(Link(source_id=page_ids[p.i], target_path=target.path, target_id=page_ids.get(t)))
        Link.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)


class Command(BaseCommand):
    help = ("Seed the standard wiki benchmark dataset (../shared/bench/WIKI_DATASET.md) with bulk inserts. "
            "Refuses a database that already holds wiki pages unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Delete every wiki page, revision, link, redirect, watch and log entry first "
                                 "(users are kept).")
        parser.add_argument("--sections", type=int, default=STANDARD_SECTIONS,
                            help="Sections to seed, for smoke tests only: any value other than 10 is NOT the "
                                 "standard dataset (default 10).")
        parser.add_argument("--urls-file",
                            default=str(Path(settings.BASE_DIR) / "bench" / "results" / "wiki_urls.txt"),
                            help="Where to write the `name path` lines of the measured pages.")

    def handle(self, *args, **options):
        sections = options["sections"]
        if not 1 <= sections <= STANDARD_SECTIONS:
            raise CommandError(f"--sections must be between 1 and {STANDARD_SECTIONS}.")
        if sections != STANDARD_SECTIONS:
            self.stderr.write(self.style.WARNING(
                f"--sections {sections}: this is NOT the standard dataset; do not compare its figures."))
        started = time.monotonic()
        found = data.digest()
        if found != data.EXPECTED_DIGEST:
            raise CommandError(f"wiki/bench_data.py does not generate the standard dataset: digest {found}, "
                               f"expected {data.EXPECTED_DIGEST} (WIKI_DATASET.md).")
        self.stdout.write(f"  {'digest':<12} {time.monotonic() - started:6.2f} s ({found[:16]}… matches)")
        if Page.objects.exists() or Revision.objects.exists():
            if not options["reset"]:
                raise CommandError("The database already holds wiki pages. Run seed_wiki_bench on a database "
                                   "without a wiki, or pass --reset to delete every wiki page and revision first.")
            t0 = time.monotonic()
            reset_wiki()
            self.stdout.write(f"  {'reset':<12} {time.monotonic() - t0:6.2f} s")

        seed_started = time.monotonic()
        seeder = Seeder(sections)
        with transaction.atomic():
            counts = seeder.run()
        if connection.vendor == "postgresql":
            t0 = time.monotonic()
            with connection.cursor() as cursor:
                for model in (Page, Revision, Link):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            seeder.phases.append(("vacuum", time.monotonic() - t0))
        elapsed = time.monotonic() - seed_started
        for name, seconds in seeder.phases:
            self.stdout.write(f"  {name:<12} {seconds:6.2f} s")
        urls = write_urls(Path(options["urls_file"]))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {counts['pages']} wiki pages, {counts['revisions']} revisions, {counts['links']} links "
            f"in {elapsed:.1f} s; measured pages in {options['urls_file']} ({', '.join(urls)})"))
        self.stdout.write(f"wiki_seed_seconds={elapsed:.2f}")
