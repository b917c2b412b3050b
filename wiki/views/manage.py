from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


watch = watchlist = protect = move = delete = undelete = log = discuss = _todo
