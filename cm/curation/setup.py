"""What the curation area registers when the app is ready: the home page's banners and "Featured"
section, the audit log's labels for its actions, its part of the demo."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "feature_add": _("Feature on the home page"),
    "feature_move": _("Reorder the featured items"),
    "feature_end": _("End a feature"),
    "feature_remove": _("Remove a feature"),
    "announcement_add": _("Publish an announcement"),
    "announcement_change": _("Change an announcement"),
    "announcement_end": _("End an announcement"),
}


def _banners(request):
    from .selectors import home_announcements

    return {"announcements": home_announcements(request), "next": request.get_full_path()}


def _featured(request):
    from .selectors import home_features

    return {"items": home_features(request.user)}


def ready():
    from community import home
    from community.demo import register_seed
    from moderation.models import register_audit_actions

    from .demo import seed_curation

    home.register_section("cm.announcements", template="cm/curation/includes/home_announcements.html",
                          data=_banners, order=0, place="top")
    home.register_section("cm.featured", template="cm/curation/includes/home_featured.html",
                          data=_featured, order=5, place="lead")
    # The audit log names the actions it lists (moderation's table of labels, read at render time).
    register_audit_actions(AUDIT_LABELS)
    register_seed("curation", seed_curation, order=80)
