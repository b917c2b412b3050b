from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _set_up_tree(sender, **kwargs):
    from .services import ensure_contributors_index

    ensure_contributors_index()


def _post_published(sender, instance, revision=None, **kwargs):
    from .services import post_published

    post_published(post=instance, actor=getattr(revision, "user", None))


def _space_published(sender, instance, **kwargs):
    from .services import sync_space_holders

    instance.__dict__.pop("_holder_ids", None)
    sync_space_holders(instance)


def _space_unpublished(sender, instance, **kwargs):
    """A space taken offline takes its posts with it (Wagtail's unpublish leaves the children live
    unless asked): a post is never readable in a space nobody can open."""
    from .models import SpacePostPage

    SpacePostPage.objects.descendant_of(instance).live().unpublish()


class BlogsConfig(AppConfig):
    name = "blogs"
    verbose_name = _("Contributor spaces")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from community.demo import register_seed

        # What the CM workspace reads and drives (activity, talent signals, featured pieces, health
        # figures, the spaces a CM casts members into).
        from . import (  # noqa: F401  # noqa: F401
            activity,
            casting,
            content_kinds,
            featuring,
            health,
            home,
            notifications,
            replying,
            talent,
        )
        from .demo import seed_spaces
        from .models import POST_CONTEXT, SpacePage, SpacePostPage
        from .threads import thread_context

        register_seed("blogs", seed_spaces, order=30)
        if thread_context not in POST_CONTEXT:
            POST_CONTEXT.append(thread_context)
        page_published.connect(_post_published, sender=SpacePostPage, dispatch_uid="blogs.post_published")
        page_published.connect(_space_published, sender=SpacePage, dispatch_uid="blogs.space_published")
        page_unpublished.connect(_space_unpublished, sender=SpacePage, dispatch_uid="blogs.space_unpublished")
        # After every migrate (the test databases too): the Contributors index is the Wagtail
        # site's root, and editors may open /cms/.
        post_migrate.connect(_set_up_tree, sender=self, dispatch_uid="blogs.set_up_tree")
