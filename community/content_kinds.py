"""Content kinds owned by the community app (forums, blogs and wiki register their own)."""

from django.utils.translation import gettext_lazy as _

from . import content
from .models import Profile
from .permissions import may_read_profile

content.register(Profile, name="community.profile", label=_("Profile"), author="user", text="bio",
                 list_related=("user",), created="updated_at", can_view=may_read_profile)
