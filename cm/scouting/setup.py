"""What the scouting area registers when the app is ready: its own signal (consistency, in
scoring), its part of the demo."""


def ready():
    from community.demo import register_seed

    from . import scoring  # noqa: F401  (registers the "talent.consistency" signal)
    from .demo import seed_talent

    register_seed("cm.scouting", seed_talent, order=95)
