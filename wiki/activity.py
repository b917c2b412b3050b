"""What the wiki brings to a member's public profile (community.activity): their edits, as the
viewer may see them — pages the viewer may read, then the one visibility rule (the same list as
the contributions page, wiki/changes.py). Registered at import, from wiki/registrations.py."""

from django.utils.translation import gettext_lazy as _

from community.activity import register_activity

from .changes import contributions_for


def edits(viewer, member):
    return contributions_for(viewer, member)


register_activity("wiki.edits", label=_("Wiki edits"), empty=_("No wiki edits yet."), items=edits, order=60,
                  template="wiki/includes/contributions_activity.html")
