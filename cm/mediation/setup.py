"""What the mediation area registers when the app is ready (notification kinds, home sections, seeds…)."""


def ready():
    pass
