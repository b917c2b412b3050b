from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from community.demo import DEMO_PASSWORD, run_seeds


class Command(BaseCommand):
    help = "Create the demo community (safe to run again: existing rows are kept)."

    def handle(self, *args, **options):
        # The seeded posts notify their watchers; keep those emails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            run_seeds(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Demo logins (password {DEMO_PASSWORD}): member, contributor, cm (community manager), "
            "admin (staff)."
        ))
