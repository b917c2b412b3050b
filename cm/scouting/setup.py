"""What the scouting area registers when the app is ready (notification kinds, home sections, seeds…)."""


def ready():
    pass
