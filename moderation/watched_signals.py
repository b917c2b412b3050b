"""Any change to the watched-word list rebuilds the compiled matcher (moderation.watched)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import watched
from .models import WatchedWord


@receiver(post_save, sender=WatchedWord, dispatch_uid="watched_word_saved")
@receiver(post_delete, sender=WatchedWord, dispatch_uid="watched_word_deleted")
def watched_words_changed(sender, **kwargs):
    watched.changed()
