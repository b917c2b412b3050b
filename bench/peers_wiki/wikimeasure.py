"""In-process measurements of one wiki (Tribune or django-wiki), the same code for both: run it with
that wiki's own Python and DJANGO_SETTINGS_MODULE.

    wikimeasure.py sql   URLS_FILE OUT_JSON         status, bytes and warm SQL of each measured page (anonymous)
    wikimeasure.py saves URLS_FILE N OUT_JSON       N edits in a row by user0007 through the edit view

`saves`: for edit k (1..N, one not-counted warm-up before) the member GETs `<save_page>_edit/`, reads the
form the way a browser would (every input, the textarea's text, the base revision it carries), replaces
the textarea's text with edit_body(text, k) (WIKI_DATASET.md) and POSTs the form back; a redirect is a
saved edit. Times GET + POST; counts the POST's SQL (the GET's too, separately).
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAGES = ("page", "hist_page", "history", "diff", "bigdiff")
MEMBER = "user0007"


def load_dataset():
    spec = importlib.util.spec_from_file_location("tribune_wiki_bench_data", ROOT / "wiki" / "bench_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_urls(path) -> dict[str, str]:
    urls = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            name, url = line.split(None, 1)
            urls[name] = url.strip()
    return urls


class FormParser(HTMLParser):
    """The form that holds a textarea: its action and fields, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                            "fields": [], "textareas": [], "submits": []}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in ("input", "button") and (a.get("type") or "submit").lower() == "submit" and tag == "button" \
                or tag == "input" and (a.get("type") or "").lower() == "submit":
            if a.get("name"):
                self.current["submits"].append([a["name"], a.get("value") or ""])
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if not a.get("name") or kind in ("button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current["fields"].append([a["name"], a.get("value") or ("on" if kind == "checkbox" else "")])
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None]
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            text = text[1:] if text.startswith("\n") else text  # a browser drops the first newline
            self.current["fields"].append([name, text])
            self.current["textareas"].append(name)
            self.textarea = None
        elif tag == "select" and self.select is not None:
            self.current["fields"].append([self.select[0], self.select[1] or ""])
            self.select = None
        elif tag == "form":
            self.current = None


def edit_form(content: str) -> dict:
    parser = FormParser()
    parser.feed(content)
    forms = [f for f in parser.forms if f["textareas"] and f["method"] == "post"]
    if not forms:
        raise SystemExit("no edit form (a POST form with a textarea) on the edit page")
    form = forms[0]
    # The button a member clicks: the one named "save" if any, else the first named one.
    submits = [b for b in form["submits"] if b[0] == "save"] or form["submits"][:1]
    form["fields"] += submits
    return form


def django_setup():
    sys.path.insert(0, str(HERE))
    if os.environ["DJANGO_SETTINGS_MODULE"].startswith("community."):  # Tribune (its app `wiki` would
        sys.path.insert(0, str(ROOT))                                  # shadow django-wiki's)
    import django

    django.setup()


def client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def cmd_sql(urls_file, out):
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls, c, result = read_urls(urls_file), client(), {}
    for name in PAGES:
        c.get(urls[name])  # cold: imports, templates, caches
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(urls[name])
        result[name] = {"url": urls[name], "status": response.status_code, "bytes": len(response.content),
                        "sql": len(ctx)}
        print(f"  {name:<10} {response.status_code} {len(response.content):>8,} bytes {len(ctx):>3} SQL  {urls[name]}")
    Path(out).write_text(json.dumps(result, indent=1))


def cmd_saves(urls_file, count, out):
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = load_dataset()
    urls, c = read_urls(urls_file), client()
    c.force_login(get_user_model().objects.get(username=MEMBER))
    edit_url = urls["save_page"] + "_edit/"

    def save(k):
        with CaptureQueriesContext(connection) as get_ctx:
            response = c.get(edit_url)
        if response.status_code != 200:
            raise SystemExit(f"GET {edit_url} answered {response.status_code}")
        form = edit_form(response.content.decode())
        body_name = form["textareas"][0]
        fields = {}
        for name, value in form["fields"]:
            if name == body_name:
                value = data.edit_body(html.unescape(value).replace("\r\n", "\n"), k)
            fields.setdefault(name, []).append(value)
        with CaptureQueriesContext(connection) as post_ctx:
            response = c.post(form["action"] or edit_url, {k_: v if len(v) > 1 else v[0] for k_, v in fields.items()})
        if response.status_code != 302:
            raise SystemExit(f"edit {k}: POST answered {response.status_code}: {response.content[:600]!r}")
        return len(get_ctx), len(post_ctx)

    save(0)  # warm-up, not counted
    counts = []
    started = time.perf_counter()
    for k in range(1, count + 1):
        counts.append(save(k))
    seconds = time.perf_counter() - started
    posts = [p for _g, p in counts]
    result = {"saves": count, "seconds": round(seconds, 3), "saves_per_s": round(count / seconds, 2),
              "ms_per_save": round(1000 * seconds / count, 2), "sql_per_save": round(sum(posts) / count, 1),
              "sql_per_save_max": max(posts), "sql_per_form": round(sum(g for g, _p in counts) / count, 1),
              "url": edit_url, "member": MEMBER}
    print("  " + json.dumps(result))
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dw_site.settings")
    command, args = sys.argv[1], sys.argv[2:]
    if command == "sql":
        cmd_sql(*args)
    elif command == "saves":
        cmd_saves(args[0], int(args[1]), args[2])
    else:
        raise SystemExit(__doc__)
