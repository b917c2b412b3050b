from django.conf import settings

from .permissions import TemplatePerms


def tribune(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "tribune_perms": TemplatePerms(user) if user is not None else None,
    }
