"""community.settings with production values, checked in a fresh process (no pytest loaded,
so the settings module cannot know it is under test)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

# Variables that would make the process something other than production.
NOT_PRODUCTION = ("TRIBUNE_TESTING", "TRIBUNE_DEMO", "DATABASE_URL", "REDIS_URL", "EMAIL_URL",
                  "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_COOKIES", "DJANGO_SETTINGS_MODULE",
                  "ACCOUNT_EMAIL_VERIFICATION")

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
    "ALLOWED_HOSTS": "tribune.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def manage(*args, **env):
    environment = {name: value for name, value in os.environ.items() if name not in NOT_PRODUCTION}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True,
        text=True, timeout=60,
    )


def test_the_deployment_checklist_passes_with_production_settings():
    assert len(PRODUCTION["SECRET_KEY"]) == 60

    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_what_the_environment_says():
    result = manage(
        "shell", "-c",
        "import os; from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.ACCOUNT_EMAIL_VERIFICATION, s.SECRET_KEY == os.environ['SECRET_KEY'])",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False ['tribune.example'] True True mandatory True"


def test_a_deployment_refuses_to_start_without_a_secret_key_when_debug_is_off():
    environment = dict(PRODUCTION)
    del environment["SECRET_KEY"]

    result = manage("check", **environment)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_with_nothing_set_the_embedded_default_starts_without_a_secret_key():
    result = manage("check")

    assert result.returncode == 0, result.stderr
