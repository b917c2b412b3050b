"""A page's text to HTML, once, at save time: the project's Markdown (community.markup) plus
`[[wiki links]]` and a table of contents from the headings.

STUB (skeleton): the pages area replaces it. The interface stays:
`render(body, *, base_path) -> WikiRendered(html, toc, links)`; `links` are target paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from community import markup


@dataclass(frozen=True)
class WikiRendered:
    html: str
    toc: list = field(default_factory=list)  # [{"level": 2, "id": "...", "text": "..."}]
    links: list = field(default_factory=list)  # target paths, in order, each once


def render(body: str, *, base_path: str = "") -> WikiRendered:
    return WikiRendered(html=markup.render(body).html)
