"""Roles are groups with permissions. Names are stable identifiers (see permissions.Role)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Members": ["community.post_content"],
    "Contributors": ["community.post_content", "community.own_featured_space"],
    "Community managers": [
        "community.post_content",
        "community.moderate_content",
        "community.use_cm_workspace",
        "community.cast_members",
        "community.view_user",
        "community.view_profile",
    ],
    "Staff": [
        "community.post_content",
        "community.moderate_content",
        "community.use_cm_workspace",
        "community.cast_members",
        "community.view_user",
        "community.change_user",
        "community.view_profile",
        "community.change_profile",
        "community.view_event",
        "auth.view_group",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
