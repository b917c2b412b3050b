"""/cm/: the community manager's workspace, for CMs and staff only (every view checks
community.permissions; tests/cm walk this URLconf as a member and a contributor and expect 403)."""

from .casting.urls import urlpatterns as casting
from .curation.urls import urlpatterns as curation
from .health.urls import urlpatterns as health
from .mediation.urls import urlpatterns as mediation
from .scouting.urls import urlpatterns as scouting

app_name = "cm"
urlpatterns = [*health, *scouting, *casting, *curation, *mediation]
