from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def page(request, path=""):
    """Placeholder (skeleton): the pages area replaces it."""
    if path:
        raise Http404
    return render(request, "wiki/index.html", {})


def _todo(request, **kwargs):
    raise Http404


edit = links_here = wanted = new = _todo
