"""A member's invitations (/invitations/…): the cast member answers here; not under /cm/, which is
for CMs only."""

app_name = "invitations"
urlpatterns = []
