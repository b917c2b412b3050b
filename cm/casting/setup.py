"""What the casting area registers when the app is ready (notification kinds, home sections, seeds…)."""


def ready():
    pass
