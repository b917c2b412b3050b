"""Text handling shared by the spam checkers and the classifier: accent folding, links and their
domains, tokens (French and English), and a fingerprint to spot the same text posted again."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import cache
from urllib.parse import urlsplit

# Links with a scheme or "www.", and bare links on the usual shorteners ("bit.ly/abc").
SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly",
    "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "v.gd", "s.id", "lnkd.in", "bl.ink",
    "short.io", "shorte.st", "adf.ly", "x.co", "soo.gd", "clck.ru", "qr.net", "1url.com",
})
_URL = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+""")
_BARE_SHORT = re.compile(
    r"(?i)(?<![\w./@-])(" + "|".join(re.escape(domain) for domain in sorted(SHORTENERS, key=len, reverse=True))
    + r")/[A-Za-z0-9_-]+"
)
# E-mail links: "mailto:" anywhere ([me](mailto:…), <mailto:…>), and CommonMark's e-mail autolinks
# (<me@example.com>); a bare address is plain text on the page, not a link.
_MAILTO = re.compile(r"""(?i)\bmailto:[^\s<>"'()\[\]{}]+""")
_EMAIL_AUTOLINK = re.compile(
    r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_WORD = re.compile(r"[a-z0-9]+")
_SYMBOLS = re.compile(r"[€$£%!]")
_EXTRA_FOLDS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "’": "'"})
MAX_TOKEN = 64


@cache
def _combining_marks() -> re.Pattern:
    """Every combining character (accents once decomposed), as one class built once (about 0.1 s):
    testing each character of each text in Python cost as much as the rest of fold for 100 KB."""
    codes = [code for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))]
    ranges = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in ranges) + "]+")


def fold(text: str) -> str:
    """Lowercase, accents removed: "Déjà Vu" -> "deja vu" (French and English read alike)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return decomposed if decomposed.isascii() else _combining_marks().sub("", decomposed)


def domain_of(url: str) -> str:
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").removeprefix("www.")


def email_domain(address: str) -> str:
    """The domain of "me@example.com" or "mailto:me@example.com?subject=hi" ("" without one)."""
    address = address.split("?", 1)[0]
    if "@" not in address:
        return ""
    return address.rsplit("@", 1)[1].rstrip(".,;:!?").rstrip(".").lower()


# Addresses written without a scheme ("quick-cash.top/win", "vitrier-lille.fr"): not clickable here, but
# the reader is asked to type them. Only on top-level domains that are not also file extensions
# (.py, .md, .js, .sh, .pl are files far more often than sites).
_TLDS = (
    "com|net|org|info|biz|fr|be|ch|ca|uk|de|eu|es|it|nl|pt|ru|ua|in|ng|za|au|nz|us|ie|at|dk|se|no|fi|br|mx"
    "|ar|co|cc|tk|ml|ga|cf|gq|pw|ws|xyz|top|shop|store|site|online|club|live|app|io|me|tv|vip|win|bet"
    "|casino|fun|icu|buzz|cloud|link|click|today|space|website|tech|pro|ai|agency|digital|money|finance"
    "|loan|loans|life|world|network|email|support|services|group|news|blog|page|one|best|deals|sale|work"
)
_BARE = re.compile(r"(?i)(?<![\w@./:-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r"))"
                   r"(?:/[^\s<>\"'()\[\]{}]*)?(?![\w-])")
# Tried from the start of a run of letters, digits and hyphens only: from each letter of "a-a-a-…" the
# run was scanned again to its end (quadratic: minutes for 100 KB). Searched in lowercased text: a
# case-insensitive alternation of the top-level domains is tried branch by branch, 4 times slower.
_WRITTEN_DOT = re.compile(r"(?<![a-z0-9-])-*\b([a-z0-9][a-z0-9-]{2,})\s*[(\[]?\s*(?:dot|point)\s*[)\]]?\s*(" + _TLDS + r")\b")


def find_links(text: str, *, bare: bool = False) -> list[tuple[str, str]]:
    """(url, domain) of every link in the text: web links, then bare shortened ones, then e-mail
    links (an address's domain is the link's). With `bare`, also addresses written without a scheme
    ("quick-cash.top/win") or with their dot spelled out ("quick-cash dot com")."""
    urls = [match.group(0).rstrip(".,;:!?") for match in _URL.finditer(text)]
    urls += [match.group(0) for match in _BARE_SHORT.finditer(text)]
    if bare:
        rest = _BARE_SHORT.sub(" ", _URL.sub(" ", _MAILTO.sub(" ", text)))
        urls += [match.group(0).rstrip(".,;:!?") for match in _BARE.finditer(rest)
                 if not match.group(1).replace(".", "").isdigit()]
        urls += [f"{match.group(1)}.{match.group(2)}" for match in _WRITTEN_DOT.finditer(rest.lower())]
    pairs = [(url, domain_of(url)) for url in urls]
    mails = [match.group(0).rstrip(".,;:!?") for match in _MAILTO.finditer(text)]
    mails += ["mailto:" + match.group(1) for match in _EMAIL_AUTOLINK.finditer(text)]
    pairs += [(url, email_domain(url)) for url in mails]
    return [(url, domain) for url, domain in pairs if domain]


def is_shortener(domain: str) -> bool:
    return domain in SHORTENERS


def domain_matches(domain: str, blocked) -> bool:
    """True if `domain` or one of its parent domains is in `blocked`."""
    parts = domain.split(".")
    return any(".".join(parts[index:]) in blocked for index in range(len(parts) - 1))


def tokens(text: str, *, bigrams: bool = True) -> set[str]:
    """The classifier's features: words (accents folded, elisions split: "l'argent" -> "argent"),
    word bigrams, link tokens (domain, top-level domain, shortener), money/percent/shouting marks
    and digit-length buckets. A set: what counts is whether a feature occurs, not how often."""
    found: set[str] = set()
    for _url, domain in find_links(text):
        found.add("link")
        found.add(f"domain:{domain}"[:MAX_TOKEN])
        found.add("tld:" + domain.rsplit(".", 1)[-1])
        if is_shortener(domain):
            found.add("link:shortener")
    stripped = _BARE.sub(" ", _BARE_SHORT.sub(" ", _URL.sub(" ", text)))
    letters = sum(map(str.isalpha, stripped))  # (map, sum: no Python loop over every character)
    if letters >= 12 and sum(map(str.isupper, filter(str.isalpha, stripped))) / letters > 0.5:
        found.add("mark:shouting")
    folded = fold(stripped)
    for symbol in _SYMBOLS.findall(folded):
        found.add(f"mark:{symbol}")
    words = []
    for word in _WORD.findall(folded):
        if word.isdigit():
            found.add(f"num:{min(len(word), 6)}")
            continue
        if len(word) < 2 or len(word) > 30:
            continue
        words.append(word)
        found.add(word)
    if bigrams:
        for first, second in zip(words, words[1:], strict=False):
            found.add(f"{first}_{second}"[:MAX_TOKEN])
    return found


def fingerprint(text: str) -> str:
    """The same text with other spacing, case or accents gives the same hash ('' for short texts,
    where "thanks!" twice is not a sign of anything)."""
    normalized = " ".join(fold(text).split())
    if len(normalized) < 20:
        return ""
    return hashlib.sha256(normalized.encode()).hexdigest()


_QUOTE_LINE = re.compile(r"^ {0,3}>")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
# Words between quotation marks are reported speech: "the text said “your account will be closed”".
# A quotation stops at the next opening mark, so that a line of lone marks is read in one pass (each
# opening mark used to scan the next 300 characters again).
_QUOTATION = re.compile(r"“[^“”\n]{1,300}”|«[^«»\n]{1,300}»|\"[^\"\n]{1,300}\"|„[^„“”\n]{1,300}[“”]")


def has_code(text: str) -> bool:
    """Does the text hold code (a fenced block or `inline code`)? Members answering members do."""
    return any(_FENCE.match(line) for line in (text or "").splitlines()) or bool(_INLINE_CODE.search(text or ""))


def split_quoted(text: str) -> tuple[str, str]:
    """(the author's own words, the words they quote or report). Markdown quote lines ("> …") and
    text between quotation marks are someone else's words — a member quoting a scam to warn the others
    has not written the scam; code (fenced blocks, `inline`) is neither: it is left out of both."""
    own, quoted, fenced = [], [], False
    for line in (text or "").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if _QUOTE_LINE.match(line):
            quoted.append(line.lstrip(" >"))
            continue
        line = _INLINE_CODE.sub(" ", line)
        quoted.extend(match.group(0)[1:-1] for match in _QUOTATION.finditer(line))
        own.append(_QUOTATION.sub(" … ", line))
    return "\n".join(own), "\n".join(quoted)
