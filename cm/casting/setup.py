"""What the casting area registers when the app is ready: its notification kinds and sources, the
audit log's labels of its actions, the member card's "Casting history" section and "Cast into a
space" action, and its part of the demo."""


def ready():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from community.demo import register_seed
    from moderation.models import register_audit_actions

    from ..scouting import card
    from . import notifications, selectors, services
    from .demo import seed_casting

    notifications.register()
    register_audit_actions(services.AUDIT_ACTIONS)
    card.register_section("casting", template="cm/casting/includes/card_history.html", order=50,
                          data=lambda member, viewer: {"castings": selectors.of_member(member, limit=10),
                                                       "member": member})
    card.register_action("cast", label=_("Cast into a space"), order=10,
                         url=lambda member: reverse("cm:cast", args=[member.username]))
    register_seed("casting", seed_casting, order=75)
