from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from community.demo import DEMO_PASSWORD, seed_demo
from forums.demo import seed_forums
from moderation.demo import seed_moderation


class Command(BaseCommand):
    help = "Create the demo community (safe to run again: existing rows are kept)."

    def handle(self, *args, **options):
        # The seeded posts notify their watchers; keep those emails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            seed_demo(stdout=self.stdout)
            seed_forums(stdout=self.stdout)
            seed_moderation(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Demo logins (password {DEMO_PASSWORD}): member, contributor, cm (community manager), "
            "admin (staff)."
        ))
