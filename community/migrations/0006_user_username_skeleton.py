"""Every username gets its confusable skeleton (community.identity.skeleton), unique from now on.

Members who already share a skeleton (`admin` and a Cyrillic `аdmin` signed up before this check)
keep their accounts and names: the oldest account (smallest id) gets the skeleton, the later
look-alikes keep an empty one (NULL, which the unique index allows) until staff rename them — find
them with `User.objects.filter(username_skeleton__isnull=True)`. A skeleton longer than the column
is left empty too.
"""

from django.db import migrations, models

import community.models
from community.identity import SKELETON_MAX, skeleton

BATCH = 1000


def fill_skeletons(apps, schema_editor):
    User = apps.get_model("community", "User")
    seen, batch, left_empty = set(), [], 0
    for user in User.objects.order_by("pk").only("pk", "username").iterator(chunk_size=2000):
        found = skeleton(user.username)
        if found in seen or len(found) > SKELETON_MAX:
            left_empty += 1
            continue
        seen.add(found)
        user.username_skeleton = found
        batch.append(user)
        if len(batch) >= BATCH:
            User.objects.bulk_update(batch, ["username_skeleton"])
            batch = []
    if batch:
        User.objects.bulk_update(batch, ["username_skeleton"])
    if left_empty:
        print(f"\n  {left_empty} username(s) look like an older member's: their skeleton is left empty "
              "(User.objects.filter(username_skeleton__isnull=True)).")


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0005_user_pending_warnings_user_trust_level"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", community.models.UserManager()),
            ],
        ),
        migrations.AddField(
            model_name="user",
            name="username_skeleton",
            field=models.CharField(blank=True, editable=False, max_length=300, null=True),
        ),
        migrations.RunPython(fill_skeletons, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_skeleton",
            field=models.CharField(blank=True, editable=False, max_length=300, null=True, unique=True),
        ),
    ]
