from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from .permissions import TemplatePerms

# The links of every page's header and footer (templates/base.html), reversed once per process (and
# script prefix) instead of on every page: {% url %} was a fifth of the page shell's cost; its
# static files' URLs likewise (the manifest does not change while the process runs).
SHELL_LINKS = {
    "home": ("home", ()),
    "forums": ("forums:index", ()),
    "contributors": ("wagtail_serve", ("",)),
    "wiki": ("wiki:index", ()),
    "members": ("community:members", ()),
    "moderation": ("moderation:queue", ()),
    "workspace": ("cm:dashboard", ()),
    "search": ("community:search", ()),
    "logout": ("account_logout", ()),
    "login": ("account_login", ()),
    "signup": ("account_signup", ()),
    "my_sanctions": ("moderation:my_sanctions", ()),
    "set_language": ("set_language", ()),
    "notifications": ("community:notifications", ()),
    "bell": ("community:notification_bell", ()),
}
SHELL_STATIC = {"icon": "icons/tribune.svg", "css": "css/tribune.css", "htmx": "vendor/htmx.min.js",
                "js": "js/tribune.js"}
_links: dict[str, dict[str, str]] = {}


def shell_links() -> dict[str, str]:
    prefix = get_script_prefix()
    links = _links.get(prefix)
    if links is None:
        links = {name: reverse(view, args=args) for name, (view, args) in SHELL_LINKS.items()}
        links.update({name: static(path) for name, path in SHELL_STATIC.items()})
        _links[prefix] = links
    return links


def tribune(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "tribune_perms": TemplatePerms(user) if user is not None else None,
        "shell_links": shell_links(),
    }
