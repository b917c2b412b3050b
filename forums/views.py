from django.shortcuts import render


def index(request):
    """Placeholder until the forums issue lands: a proper empty state, not a 404."""
    return render(request, "forums/index.html", {})
