from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _set_up_tree(sender, **kwargs):
    from .services import ensure_contributors_index

    ensure_contributors_index()


class BlogsConfig(AppConfig):
    name = "blogs"
    verbose_name = _("Contributor spaces")

    def ready(self):
        from community.demo import register_seed

        from . import home  # noqa: F401
        from .demo import seed_spaces

        register_seed("blogs", seed_spaces, order=30)
        # After every migrate (the test databases too): the Contributors index is the Wagtail
        # site's root, and editors may open /cms/.
        post_migrate.connect(_set_up_tree, sender=self, dispatch_uid="blogs.set_up_tree")
