"""Single-row writes on the hot write paths (a reply, its outbox event), without the ORM's per-call
query compilation: the SQL is built once per model, field list and database vendor, and every value
is prepared by its own field (`get_db_prep_save`, as `Model.save` does), so types, time zones and
JSON are stored exactly as the ORM would store them.

What it skips, on purpose: model signals (`pre_save`/`post_save`) and `save()` overrides. Use it
only for models nothing listens to (forum posts, outbox events, read marks); the ORM stays the
way everywhere else. It needs INSERT … RETURNING (PostgreSQL; SQLite 3.35 or later).
"""

from __future__ import annotations

from django.db import connections

MAX_ID = 2**63 - 1  # the largest primary key a database row can have (bigint): one place

_insert_sql: dict[tuple, str] = {}


def _quoted(connection, model, names) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), [quote(meta.get_field(name).column) for name in names]


def insert(obj, *, using: str = "default"):
    """INSERT `obj` (a new model instance, its defaults filled by its constructor) and set its
    primary key from RETURNING: one statement, no signals. Returns `obj`, saved."""
    connection = connections[using]
    meta = obj._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key or obj.pk is not None]
    key = (meta.label, connection.vendor, tuple(field.attname for field in fields))
    sql = _insert_sql.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "
               f"RETURNING {quote(meta.pk.column)}")
        _insert_sql[key] = sql
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj


def table_and_columns(model, *names, using: str = "default") -> tuple[str, list[str]]:
    """The quoted table name and column names of `model` (for SQL written by hand, built once)."""
    return _quoted(connections[using], model, names)


_select_sql: dict[tuple, tuple[str, list, list]] = {}


def get_with_parent(model, pk, *, fields, parent: str, parent_fields, using: str = "default"):
    """One row of `model` by primary key with the row its foreign key `parent` points to, in one
    JOIN, as model instances (only `fields` / `parent_fields` loaded, the rest deferred, as
    `select_related(parent).only(...)` would give), or None. The SQL is built once."""
    connection = connections[using]
    key = (model._meta.label, parent, tuple(fields), tuple(parent_fields), connection.vendor)
    built = _select_sql.get(key)
    if built is None:
        quote = connection.ops.quote_name
        link = model._meta.get_field(parent)
        parent_model = link.related_model
        wanted, wanted_parent = {*fields, model._meta.pk.attname}, {*parent_fields, parent_model._meta.pk.attname}
        own = [f for f in model._meta.concrete_fields if f.attname in wanted or f.name in wanted]
        theirs = [f for f in parent_model._meta.concrete_fields if f.attname in wanted_parent or f.name in wanted_parent]
        columns = ", ".join([f"a.{quote(f.column)}" for f in own] + [f"b.{quote(f.column)}" for f in theirs])
        sql = (f"SELECT {columns} FROM {quote(model._meta.db_table)} a INNER JOIN "
               f"{quote(parent_model._meta.db_table)} b ON b.{quote(link.target_field.column)} = a.{quote(link.column)} "
               f"WHERE a.{quote(model._meta.pk.column)} = %s")
        converters = []  # what the ORM would apply to each value (SQLite's dates, booleans…)
        for index, field in enumerate([*own, *theirs]):
            col = field.get_col("a")
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                converters.append((index, convert, col))
        built = _select_sql[key] = (sql, own, theirs, converters)
    sql, own, theirs, converters = built
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:  # as the ORM, no row: never a database error
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, convert, col in converters:
        values[index] = convert(values[index], col, connection)
    obj = model.from_db(using, [f.attname for f in own], values[:len(own)])
    link = model._meta.get_field(parent)
    link.set_cached_value(obj, link.related_model.from_db(using, [f.attname for f in theirs], values[len(own):]))
    return obj
