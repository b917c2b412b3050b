from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


history = revision = diff = revert = recent = recent_feed = contributions = _todo
