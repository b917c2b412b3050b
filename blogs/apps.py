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
        # After every migrate (the test databases too): the Contributors index is the Wagtail
        # site's root, and editors may open /cms/.
        post_migrate.connect(_set_up_tree, sender=self, dispatch_uid="blogs.set_up_tree")
