"""The wiki's data: a tree of pages (django-mptt) addressed by path, every save a revision.

- `Page`: a node of the tree. `path` ("guides/getting-started/", "" for the root) is unique and is
  what URLs carry; the current revision's rendered HTML and table of contents are copied onto the
  page so that viewing it costs one row. `read_level` / `edit_level` use the access levels of
  `community.permissions.members` (0 anyone, 1 members, 2 contributors, 3 community managers).
- `Revision`: one save, immutable once written (a revert is a new revision). It is a content kind
  on the spine (`wiki.revision`): the spam check and watched words read `added_text`, what this edit
  added, not the whole page.
- `Link`: the outgoing `[[links]]` of each page's current revision, by target path; `target` is set
  while a page lives at that path (a red link is a row with no target).
- `Redirect`: an old path that leads to a page that moved.
- `Watch`: a member watching a page (optionally its whole subtree).
- `PageLog`: protection, moves, deletions and undeletions, shown on the page's log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.models import MPTTModel, TreeForeignKey

from community.models import ModeratedContent

# The access levels of community.permissions.members, as choices.
READ_LEVELS = [(0, _("Anyone")), (1, _("Members")), (2, _("Contributors")), (3, _("Community managers"))]
EDIT_LEVELS = [(1, _("Members")), (2, _("Contributors")), (3, _("Community managers"))]


class Page(MPTTModel):
    parent = TreeForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                            verbose_name=_("parent page"))
    slug = models.CharField(_("slug"), max_length=80, blank=True)
    path = models.CharField(_("path"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # The current revision (the newest one readers may see) and what it renders to.
    current_revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("current revision"))
    body_html = models.TextField(_("rendered body"), blank=True)
    toc = models.JSONField(_("table of contents"), default=list, blank=True)
    revision_count = models.PositiveIntegerField(_("revisions"), default=0)
    last_number = models.PositiveIntegerField(_("last revision number"), default=0)
    read_level = models.PositiveSmallIntegerField(_("who may read"), choices=READ_LEVELS, default=0)
    edit_level = models.PositiveSmallIntegerField(_("who may edit"), choices=EDIT_LEVELS, default=1)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("deleted by"))
    discussion_topic = models.ForeignKey("forums.Topic", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("discussion"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class MPTTMeta:
        order_insertion_by = ["title"]

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        constraints = [models.UniqueConstraint(fields=["parent", "slug"], name="wiki_page_slug_once_per_parent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/wiki/{self.path}"


class Revision(ModeratedContent):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("page"))
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wiki_revisions",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("rendered text"), blank=True)
    toc = models.JSONField(_("table of contents"), default=list, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    minor = models.BooleanField(pgettext_lazy("wiki edit", "minor edit"), default=False)
    size = models.PositiveIntegerField(_("size"), default=0)  # characters
    size_delta = models.IntegerField(_("size change"), default=0)
    # What this edit added (the lines new in it): what the spam check and watched words read.
    added_text = models.TextField(_("added text"), blank=True)
    # A revert: the revision whose text this one restores.
    reverts = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("reverts to"))
    # The number of the revision this one's text was computed from (the head when it was saved; None
    # for a page's first revision): what a held edit, approved after others saved, is merged against.
    base_number = models.PositiveIntegerField(_("based on revision"), null=True, blank=True)
    patrolled = models.BooleanField(_("patrolled"), default=True)
    patrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("patrolled by"))
    patrolled_at = models.DateTimeField(_("patrolled at"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("wiki revision")
        verbose_name_plural = _("wiki revisions")
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_number_once")]
        indexes = [
            models.Index(fields=["page", "-number"], name="wiki_rev_page_newest_idx"),
            models.Index(fields=["author", "-created_at"], name="wiki_rev_author_newest_idx"),
            models.Index(fields=["-created_at", "-id"], name="wiki_rev_recent_idx"),
            models.Index(fields=["patrolled", "-created_at"], name="wiki_rev_patrol_idx",
                         condition=models.Q(patrolled=False)),
        ]

    def __str__(self):
        return f"{self.title} #{self.number}"

    def get_absolute_url(self):
        return f"/wiki/{self.page.path}_rev/{self.number}/"


class Link(models.Model):
    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from"))
    target_path = models.CharField(_("target path"), max_length=1000)
    target = models.ForeignKey(Page, on_delete=models.SET_NULL, null=True, blank=True, related_name="links_in",
                               verbose_name=_("to"))

    class Meta:
        verbose_name = _("wiki link")
        verbose_name_plural = _("wiki links")
        constraints = [models.UniqueConstraint(fields=["source", "target_path"], name="wiki_link_once")]
        indexes = [models.Index(fields=["target_path"], name="wiki_link_target_path_idx")]

    def __str__(self):
        return f"{self.source_id} → {self.target_path}"


class Redirect(models.Model):
    old_path = models.CharField(_("old path"), max_length=1000, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("page"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("wiki redirect")
        verbose_name_plural = _("wiki redirects")

    def __str__(self):
        return f"{self.old_path} → {self.page_id}"


class Watch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watches")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    subtree = models.BooleanField(_("with its sub-pages"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watched wiki page")
        verbose_name_plural = _("watched wiki pages")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="wiki_watch_once")]

    def __str__(self):
        return f"{self.user_id} watches {self.page_id}"


class PageLog(models.Model):
    class Action(models.TextChoices):
        PROTECT = "protect", _("Protection changed")
        MOVE = "move", _("Moved")
        DELETE = "delete", _("Deleted")
        UNDELETE = "undelete", _("Restored")
        PATROL = "patrol", _("Patrolled")
        # An edit approved in the review queue after others saved could not be merged into the
        # current text: a community manager must re-apply it by hand (detail: its revision number).
        UNMERGED = "unmerged", _("Approved edit not merged: re-apply it by hand")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="log", verbose_name=_("page"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("wiki log entry")
        verbose_name_plural = _("wiki log entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        when = formats.date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT")
        return f"{self.page.title}: {self.get_action_display()} ({when})"
