"""Pages of the shared core that later issues fill: search (the CM workspace is the cm app)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .forms import MemberSearchForm


@require_safe
def search(request):
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    members = list(selectors.members_for(request.user, query=query)[:20]) if query else []
    return render(request, "community/search.html", {"form": form, "query": query, "members": members})
