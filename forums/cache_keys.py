"""Which generation counters (community.pagecache) each cached forum page depends on, and which
ones a write bumps. `epoch` covers every forum page: tree and permission changes bump it."""

from community.pagecache import bump_after_commit

EPOCH = "forums:epoch"
INDEX = "forums:index"


def index():
    return [EPOCH, INDEX]


def forum(forum_id: int):
    return [EPOCH, f"forums:f:{forum_id}"]


def topic(topic_id: int):
    return [EPOCH, f"forums:t:{topic_id}"]


def changed(*, topic_id=None, forum_ids=(), index=True):
    """Call inside the write's transaction: the counters move once it commits."""
    names = [f"forums:f:{pk}" for pk in forum_ids if pk]
    if topic_id:
        names.append(f"forums:t:{topic_id}")
    if index:
        names.append(INDEX)
    bump_after_commit(names)


def everything():
    bump_after_commit([EPOCH])
