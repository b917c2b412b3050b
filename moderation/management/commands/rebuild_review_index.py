from django.core.management.base import BaseCommand

from moderation import review


class Command(BaseCommand):
    help = "Recompute the review queue's index (held items and open reports of every content kind)."

    def handle(self, *args, **options):
        count = review.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} items under review."))
