"""The page shell's header and footer, `{% site_header %}` and `{% site_footer %}` in base.html
(issue 16: speed for members).

A visitor's header is the same for every visitor: it depends only on the language, the section of
the site the page is in (which link is marked current), the site's name and the script prefix. It
is rendered once per process for each of those and reused; a member's (their name, bell, roles,
CSRF token) is rendered on every request. Both from includes/site_header.html. The footer likewise
(includes/site_footer.html), the page's own address (the language switch's `next`) put in after,
escaped."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

HEADER = "includes/site_header.html"
FOOTER = "includes/site_footer.html"
NEXT_SLOT = "shell-next-slot-7c1e"  # where the footer's `next` goes in a visitor's kept footer
SECTIONS = ("/forums/", "/contributors/", "/wiki/", "/members/")  # the links marked current
_visitors: dict[tuple, str] = {}


def _render(context, name: str = HEADER, **values) -> str:
    with context.push(**values):
        return context.template.engine.get_template(name).render(context)


@register.simple_tag(takes_context=True)
def site_header(context):
    request, user = context.get("request"), context.get("user")
    if request is None or user is None or user.is_authenticated or settings.DEBUG:
        return _render(context)
    path = request.path
    key = (get_language(), next((s for s in SECTIONS if path.startswith(s)), ""), context.get("site_name"),
           get_script_prefix())
    html = _visitors.get(key)
    if html is None:
        html = _render(context)
        if len(_visitors) < 256:  # bounded (languages × sections); never reached in practice
            _visitors[key] = html
    return html


@register.simple_tag(takes_context=True)
def site_footer(context):
    request, user = context.get("request"), context.get("user")
    full_path = request.get_full_path() if request is not None else ""
    if request is None or user is None or user.is_authenticated or settings.DEBUG:
        return _render(context, FOOTER, shell_next=full_path)
    key = ("footer", get_language(), context.get("site_name"), get_script_prefix())
    html = _visitors.get(key)
    if html is None:
        html = _render(context, FOOTER, shell_next=NEXT_SLOT)
        if len(_visitors) < 256:
            _visitors[key] = html
    return mark_safe(html.replace(NEXT_SLOT, escape(full_path)))
