from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    """Placeholder until the blogs issue lands: a proper empty state, not a 404."""
    return render(request, "blogs/index.html", {})
