"""Content kinds owned by the community app (forums, blogs and wiki register their own)."""

from django.utils.translation import gettext_lazy as _

from . import content
from .models import Profile
from .permissions import may_read_profile

# A profile's text is its bio, website and location: held, hidden, checked for spam and watched
# words, and shown to CMs in the queue together (the display name lives on the account).
content.register(Profile, name="community.profile", label=_("Profile"), author="user", text="bio",
                 list_related=("user",), created="updated_at", can_view=may_read_profile,
                 parts=lambda profile: [profile.bio, profile.website, profile.location])
