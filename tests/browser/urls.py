"""The project's URLs plus uploaded files, as `make demo` serves them (the live server runs with
DEBUG off, where community.urls leaves media to the web server)."""

from django.conf import settings
from django.urls import include, path
from django.views.static import serve


def media(request, path):
    # MEDIA_ROOT is a per-test folder (tests/conftest.py): read it at request time.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("media/<path:path>", media),
    path("", include("community.urls")),
]
