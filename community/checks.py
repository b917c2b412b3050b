"""System checks run at startup (runserver, migrate, `manage.py check`), once every app is ready:
what the registries could not check when a name was registered, because the app registering it
may come later."""

from __future__ import annotations

from django.core import checks

from .notifications.registry import source_problems


@checks.register()
def notification_sources_name_registered_content_kinds(app_configs=None, **kwargs):
    """A notification source registered for a content kind nobody registered would never be asked:
    an error in tests and DEBUG (the process refuses to start), logged at ERROR in production."""
    return [checks.Error(problem, hint="Fix the name given to register_source(), or register the content kind "
                                       "with community.content.register().", id="community.E001")
            for problem in source_problems()]
