"""The reply's statements, written once in SQL (built on first use from the models' own table and
column names; portable: PostgreSQL, and SQLite 3.35+ for RETURNING and upserts).

A reply is the busiest write of the site; through the ORM each of its statements cost more CPU to
compile than to run. Each function here is one round trip that says in one statement what the ORM
needed two for:

- `take_position`: one UPDATE both takes the topic's row lock (a FOR NO KEY UPDATE lock on
  PostgreSQL, as `select_for_update(no_key=True)` did) and hands out the next position.
- `insert_post_unless_duplicate`: the double-submit check and the INSERT in one statement. It runs
  after `take_position`, so on PostgreSQL (READ COMMITTED) its snapshot sees any copy that a
  concurrent double submit committed while we waited for the lock.
- `count_reply` / `bump_forum`: counters with arithmetic in SQL, "last post" moved forward only.
- `watch_and_mark_read`: the author's subscription and read mark (two upserts).

Those last ones return their statement instead of running it: `run_batch` sends them together,
one round trip on PostgreSQL (several statements in one query string, client-side binding), one
by one on SQLite — the same SQL either way.
"""

from __future__ import annotations

from django.db import connection

from community.models import Event, SpamStatus

from ..models import Forum, Post, Topic, TopicReadState, TopicSubscription

_sql: dict[tuple[str, str], str] = {}


def _statement(name: str, build) -> str:
    key = (connection.vendor, name)
    sql = _sql.get(key)
    if sql is None:
        sql = _sql[key] = build(connection.ops.quote_name)
    return sql


def _execute(name: str, build, params):
    cursor = connection.cursor()
    cursor.execute(_statement(name, build), params)
    return cursor


def _sends_batches() -> bool:
    """PostgreSQL with client-side binding (Django's default with psycopg 3, always with psycopg 2)
    takes several statements in one round trip; SQLite and server-side binding take one at a time."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get("OPTIONS", {}).get(
        "server_side_binding")


def run_batch(batch) -> None:
    """Run [(name, build, params), …] in order, in one round trip where the database allows it (the
    same statements either way; inside the caller's transaction, so all or nothing)."""
    if len(batch) > 1 and _sends_batches():
        sql = ";\n".join(_statement(name, build) for name, build, _params in batch)
        _execute_sql(sql, [param for _name, _build, params in batch for param in params]).close()
        return
    for name, build, params in batch:
        _execute(name, build, params).close()


def _execute_sql(sql: str, params):
    cursor = connection.cursor()
    cursor.execute(sql, params)
    return cursor


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _table(model, q) -> str:
    return q(model._meta.db_table)


def _col(model, name, q) -> str:
    return q(model._meta.get_field(name).column)


# --- The topic -----------------------------------------------------------------------------------

def _take_position_sql(q):
    t = _table(Topic, q)
    last, forum, status = (_col(Topic, name, q) for name in ("last_position", "forum", "status"))
    return (f"UPDATE {t} SET {last} = {last} + 1 WHERE {_col(Topic, 'id', q)} = %s "
            f"RETURNING {last}, {forum}, {status}")


def take_position(topic_id: int) -> tuple[int, int, str] | None:
    """Lock the topic's row and hand out the next position: (position, forum id, topic status), or
    None when the topic is gone."""
    with _execute("take_position", _take_position_sql, [topic_id]) as cursor:
        return cursor.fetchone()


def _count_reply_sql(q):
    t = _table(Topic, q)
    count, last_post, last_at, poster = (_col(Topic, name, q) for name in
                                         ("post_count", "last_post", "last_post_at", "last_poster"))
    return (f"UPDATE {t} SET {count} = {count} + 1, {last_post} = %s, {last_at} = %s, {poster} = %s "
            f"WHERE {_col(Topic, 'id', q)} = %s")


def count_reply(topic_id: int, *, post_id: int, now, poster_id: int):
    """A visible reply at the end of the topic (under its lock): one more post, and the last one.
    A statement for `run_batch`."""
    return ("count_reply", _count_reply_sql, [post_id, _dt(now), poster_id, topic_id])


# --- The post ------------------------------------------------------------------------------------

_POST_FIELDS = ("topic", "author", "position", "body", "body_html", "created_at", "status", "spam_status",
                "fingerprint", "edit_count", "is_deleted", "reaction_count")


def _insert_post_sql(q):
    p = _table(Post, q)
    columns = ", ".join(_col(Post, name, q) for name in _POST_FIELDS)
    values = ", ".join(["%s"] * len(_POST_FIELDS))
    topic, author, fingerprint, deleted, created = (_col(Post, name, q) for name in
                                                    ("topic", "author", "fingerprint", "is_deleted", "created_at"))
    return (f"INSERT INTO {p} ({columns}) SELECT {values} WHERE NOT EXISTS ("
            f"SELECT 1 FROM {p} WHERE {topic} = %s AND {author} = %s AND {fingerprint} = %s "
            f"AND {deleted} = %s AND {created} >= %s) RETURNING {_col(Post, 'id', q)}")


def insert_post_unless_duplicate(*, topic_id: int, author_id: int, position: int, body: str, html: str, now,
                                 status: str, fingerprint: str, since) -> int | None:
    """Insert the post unless the same author wrote the same text in this topic since `since` (and
    did not delete it). Returns the new post's id, or None for a double submit."""
    params = [topic_id, author_id, position, body, html, _dt(now), status, SpamStatus.PENDING.value, fingerprint,
              0, False, 0,
              topic_id, author_id, fingerprint, False, _dt(since)]
    with _execute("insert_post", _insert_post_sql, params) as cursor:
        row = cursor.fetchone()
    return row[0] if row else None


# --- The forum -----------------------------------------------------------------------------------

def _bump_forum_sql(q):
    f = _table(Forum, q)
    topics, posts, last_post, last_at = (_col(Forum, name, q) for name in
                                         ("topic_count", "post_count", "last_post", "last_post_at"))
    # Every SET expression reads the row as it was, so both CASEs ask the same question.
    newer = f"({last_at} IS NULL OR {last_at} <= %s)"
    return (f"UPDATE {f} SET {topics} = {topics} + %s, {posts} = {posts} + %s, "
            f"{last_post} = CASE WHEN {newer} THEN %s ELSE {last_post} END, "
            f"{last_at} = CASE WHEN {newer} THEN %s ELSE {last_at} END WHERE {_col(Forum, 'id', q)} = %s")


def _bump_counts_sql(q):
    f = _table(Forum, q)
    topics, posts = _col(Forum, "topic_count", q), _col(Forum, "post_count", q)
    return f"UPDATE {f} SET {topics} = {topics} + %s, {posts} = {posts} + %s WHERE {_col(Forum, 'id', q)} = %s"


def bump_forum(forum_id: int, *, post_id: int | None, now, topics: int = 0, posts: int = 0):
    """Add to the forum's counts; with a post, make it the forum's last one unless a later one is
    already there (concurrent writers commit in any order). A statement for `run_batch`."""
    if post_id is None:
        return ("bump_counts", _bump_counts_sql, [topics, posts, forum_id])
    at = _dt(now)
    return ("bump_forum", _bump_forum_sql, [topics, posts, at, post_id, at, at, forum_id])


# --- The author's reading state ------------------------------------------------------------------

def _watch_sql(q):
    s = _table(TopicSubscription, q)
    user, topic, created = (_col(TopicSubscription, name, q) for name in ("user", "topic", "created_at"))
    return f"INSERT INTO {s} ({user}, {topic}, {created}) VALUES (%s, %s, %s) ON CONFLICT ({user}, {topic}) DO NOTHING"


def _mark_read_sql(q):
    r = _table(TopicReadState, q)
    user, topic, position, read_at = (_col(TopicReadState, name, q) for name in
                                      ("user", "topic", "last_read_position", "read_at"))
    return (f"INSERT INTO {r} ({user}, {topic}, {position}, {read_at}) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT ({user}, {topic}) DO UPDATE SET "
            f"{position} = CASE WHEN {r}.{position} < excluded.{position} THEN excluded.{position} "
            f"ELSE {r}.{position} END, {read_at} = excluded.{read_at}")


def watch_and_mark_read(*, user_id: int, topic_id: int, position: int, now) -> list:
    """The author watches the topic and has read it up to `position` (never moved backwards).
    Statements for `run_batch`."""
    at = _dt(now)
    return [("watch", _watch_sql, [user_id, topic_id, at]),
            ("mark_read", _mark_read_sql, [user_id, topic_id, position, at])]


# --- The whole reply in one round trip (PostgreSQL) ------------------------------------------------

def replies_in_one_round_trip() -> bool:
    """PostgreSQL with psycopg 3 and client-side binding: `reply_at_once` sends the reply's
    statements together and reads the second one's rows (`nextset()`; psycopg 2 keeps only the
    last result). Elsewhere (SQLite, server-side binding) the statements above, one by one."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3 and _sends_batches()


def _event_fields(event) -> list:
    return [f for f in event._meta.concrete_fields if not f.primary_key]


def _reply_at_once_sql(q, *, event_columns: tuple[str, ...], visible: bool) -> str:
    """Two statements in one query string, in the caller's transaction. The first takes the topic's
    row lock; the second, a new snapshot on PostgreSQL (READ COMMITTED) that sees whatever a
    concurrent reply committed while we waited, writes everything in data-modifying CTEs that all
    hang on the post's INSERT: a double submit (the INSERT's NOT EXISTS) writes nothing at all.
    The same guarantees as the statements above, which SQLite runs one at a time."""
    t, p, f = _table(Topic, q), _table(Post, q), _table(Forum, q)
    tid, last, forum, status = (_col(Topic, name, q) for name in ("id", "last_position", "forum", "status"))
    count, last_post, last_at, poster = (_col(Topic, name, q) for name in
                                         ("post_count", "last_post", "last_post_at", "last_poster"))
    post_columns = ", ".join(_col(Post, name, q) for name in _POST_FIELDS)
    # The post's values in _POST_FIELDS order, the topic and position taken from the locked row.
    post_values = "t.id, %s, t.position, " + ", ".join(["%s"] * (len(_POST_FIELDS) - 3))
    topic_col, author, fingerprint, deleted, created = (_col(Post, name, q) for name in
                                                        ("topic", "author", "fingerprint", "is_deleted",
                                                         "created_at"))
    counted = f", {count} = {count} + 1, {last_post} = ins.id, {last_at} = %s, {poster} = %s" if visible else ""
    event_values = []
    for column in event_columns:
        if column == "target_id":
            event_values.append("ins.id")
        elif column == "payload":
            event_values.append("CAST(%s AS jsonb) || jsonb_build_object('forum', t.forum_id, 'position', ins.position)")
        else:
            event_values.append("%s")
    e, e_id = q(Event._meta.db_table), q(Event._meta.pk.column)
    parts = [
        f"SELECT {tid} FROM {t} WHERE {tid} = %s FOR NO KEY UPDATE;\n",
        f"WITH t AS (SELECT {tid} AS id, {last} + 1 AS position, {forum} AS forum_id, {status} AS status "
        f"FROM {t} WHERE {tid} = %s), ",
        f"ins AS (INSERT INTO {p} ({post_columns}) SELECT {post_values} FROM t WHERE NOT EXISTS ("
        f"SELECT 1 FROM {p} WHERE {topic_col} = %s AND {author} = %s AND {fingerprint} = %s "
        f"AND {deleted} = %s AND {created} >= %s) RETURNING {_col(Post, 'id', q)} AS id, "
        f"{_col(Post, 'position', q)} AS position), ",
        f"tu AS (UPDATE {t} SET {last} = ins.position{counted} FROM ins WHERE {t}.{tid} = %s), ",
        f"ev AS (INSERT INTO {e} ({', '.join(q(c) for c in event_columns)}) "
        f"SELECT {', '.join(event_values)} FROM ins, t RETURNING {e_id} AS id), ",
    ]
    if visible:
        topics, posts, f_last, f_last_at = (_col(Forum, name, q) for name in
                                            ("topic_count", "post_count", "last_post", "last_post_at"))
        newer = f"({f}.{f_last_at} IS NULL OR {f}.{f_last_at} <= %s)"
        parts.append(
            f"fu AS (UPDATE {f} SET {posts} = {posts} + 1, "
            f"{f_last} = CASE WHEN {newer} THEN ins.id ELSE {f}.{f_last} END, "
            f"{f_last_at} = CASE WHEN {newer} THEN %s ELSE {f}.{f_last_at} END "
            f"FROM t, ins WHERE {f}.{_col(Forum, 'id', q)} = t.forum_id AND t.status = %s), ")
    s = _table(TopicSubscription, q)
    s_user, s_topic, s_created = (_col(TopicSubscription, name, q) for name in ("user", "topic", "created_at"))
    r = _table(TopicReadState, q)
    r_user, r_topic, r_position, r_at = (_col(TopicReadState, name, q) for name in
                                         ("user", "topic", "last_read_position", "read_at"))
    parts += [
        f"w AS (INSERT INTO {s} ({s_user}, {s_topic}, {s_created}) SELECT %s, %s, %s FROM ins "
        f"ON CONFLICT ({s_user}, {s_topic}) DO NOTHING), ",
        f"rs AS (INSERT INTO {r} ({r_user}, {r_topic}, {r_position}, {r_at}) SELECT %s, %s, ins.position, %s "
        f"FROM ins ON CONFLICT ({r_user}, {r_topic}) DO UPDATE SET "
        f"{r_position} = CASE WHEN {r}.{r_position} < excluded.{r_position} THEN excluded.{r_position} "
        f"ELSE {r}.{r_position} END, {r_at} = excluded.{r_at}) ",
        "SELECT ins.id, ins.position, t.forum_id, t.status, ev.id FROM ins, t, ev",
    ]
    return "".join(parts)


def reply_at_once(*, topic_id: int, author_id: int, body: str, html: str, now, status: str, fingerprint: str,
                  since, visible: bool, event, published: str):
    """The reply in one round trip (PostgreSQL): lock, position, post, outbox event, counters, the
    author's subscription and read mark. Returns (post id, position, forum id, topic status, event
    id); "duplicate" for a double submit (nothing written); None when the topic is gone."""
    fields = _event_fields(event)
    columns = tuple(field.column for field in fields)
    name = f"reply_at_once:{int(visible)}:{','.join(columns)}"
    sql = _statement(name, lambda q: _reply_at_once_sql(q, event_columns=columns, visible=visible))
    at = _dt(now)
    params = [topic_id, topic_id,
              author_id, body, html, at, status, SpamStatus.PENDING.value, fingerprint, 0, False, 0,
              topic_id, author_id, fingerprint, False, _dt(since), topic_id]
    if visible:
        params[-1:-1] = [at, author_id]  # the topic's last post time and poster, before its id
    for field in fields:
        if field.column != "target_id":
            params.append(field.get_db_prep_save(field.pre_save(event, True), connection))
    if visible:
        params += [at, at, at, published]
    params += [author_id, topic_id, at, author_id, topic_id, at]
    with _execute_sql(sql, params) as cursor:
        if cursor.fetchone() is None:
            return None
        cursor.nextset()
        row = cursor.fetchone()
    return row if row is not None else "duplicate"
