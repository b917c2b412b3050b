"""Hot read queries compiled once per shape (issue 16: speed for members).

Django builds and compiles a queryset's SQL on every call: cloning, resolving each filter, joins,
quoting every selected column. On the forum pages that was about a quarter of a rendered page's
CPU — more than PostgreSQL's share. `run()` keeps the compiled SQL of a queryset per *shape*
and, on the next call with the same shape, sends it again with the new values, turning the rows
into model instances as Django's own iterable does (select_related, only(), annotations).

How: the values that change from call to call (ids, statuses, the reader's id inside the
visibility `Q`) are passed by name; the first call with a shape builds the queryset with stand-in
values (sentinels), compiles it, and notes where each stand-in lands in the query's parameters.
Later calls copy the parameters with the real values put in those places. What goes into a shape:
the query's name, which values are integers or strings (placeholders), and everything else
verbatim — booleans, None, the structure of every `Q` (so a moderator's unfiltered query, a
member's and a visitor's are three shapes, each compiled once). The visibility rule itself is
still written once, in community.permissions: `run()` only caches what the ORM made of it.

Anything it cannot do safely runs through the ORM as before, uncached: a value of another type
(a date, a list, an expression), a stand-in the ORM transformed (a LIKE pattern), prefetching,
values()/values_list(), an integer beyond the bigint range. Tests compare the two paths.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, Q
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, get_related_populators

from .rows import MAX_ID

log = logging.getLogger(__name__)

# Integer stand-ins fit a smallint column (the ORM turns out-of-range lookups into empty ones).
_INT_BASE = 31_000
_STR_MARK = "\x1fprepared-{}\x1f"
_MAX_SHAPES = 512  # per process: bounded (a page number is part of a shape, through OFFSET)


class _Unsupported(Exception):
    pass


@dataclass(frozen=True)
class Fixed:
    """A value that is part of the shape, not a placeholder: what the ORM writes into the SQL
    itself (a slice's LIMIT and OFFSET). Each distinct value is a shape of its own."""

    value: object


def _unwrap(values: dict) -> dict:
    return {key: value.value if isinstance(value, Fixed) else value for key, value in values.items()}


@dataclass
class _Shape:
    sql: str
    params: tuple
    slots: tuple  # (index in params, name of the value)
    compiler: object
    init_list: list
    model_slice: tuple
    populators: list
    annotation_col_map: dict
    converters: dict  # the compiler's, for the selected columns (results_iter works them out per call)


_shapes: dict[tuple, _Shape | None] = {}
_lock = threading.Lock()


class _Sentinels:
    def __init__(self):
        self.counter = itertools.count()
        self.by_sentinel: dict = {}  # sentinel -> name of the real value

    def stand_in(self, name: str, value):
        index = next(self.counter)
        sentinel = _INT_BASE + index if isinstance(value, int) else _STR_MARK.format(index)
        self.by_sentinel[sentinel] = name
        return sentinel


def _leaf_kind(value) -> str:
    if isinstance(value, bool) or value is None:
        return "const"
    if isinstance(value, Model):
        return "int"
    if isinstance(value, int):
        if not -MAX_ID <= value <= MAX_ID:
            raise _Unsupported("integer out of range")
        return "int"
    if isinstance(value, str):
        return "str"
    raise _Unsupported(type(value).__name__)


def _flatten(name: str, value, real: dict, stand_ins: _Sentinels | None):
    """The shape token of one value; its real values into `real`; with `stand_ins`, the value to
    build the first query with (stand-ins in place of the real values)."""
    if isinstance(value, Q):
        children, tokens = [], []
        for position, child in enumerate(value.children):
            if isinstance(child, Q):
                token, built = _flatten(f"{name}.{position}", child, real, stand_ins)
            elif isinstance(child, tuple) and len(child) == 2:
                lookup, leaf = child
                inner, built_leaf = _flatten(f"{name}.{position}", leaf, real, stand_ins)
                token, built = (lookup, inner), (lookup, built_leaf)
            else:
                raise _Unsupported("expression in a Q")
            tokens.append(token)
            children.append(built)
        built_q = None
        if stand_ins is not None:
            built_q = Q(*children, _connector=value.connector, _negated=value.negated)
        return ("Q", value.connector, value.negated, tuple(tokens)), built_q
    if isinstance(value, Fixed):
        return ("fixed", value.value), value.value
    kind = _leaf_kind(value)
    if kind == "const":
        return ("const", value), value
    if isinstance(value, Model):
        value = value.pk
    real[name] = int(value) if kind == "int" else str(value)  # choices (enums) as their plain value
    return (kind,), (stand_ins.stand_in(name, value) if stand_ins is not None else None)


def _compile(queryset, stand_ins: _Sentinels, alias: str) -> _Shape | None:
    if (queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups
            or queryset._known_related_objects or queryset._for_write):
        return None
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots, seen = [], set()
    for index, param in enumerate(params):
        try:
            name = stand_ins.by_sentinel.get(param)
        except TypeError:  # an unhashable parameter
            return None
        if name is not None:
            slots.append((index, name))
            seen.add(param)
    if seen != set(stand_ins.by_sentinel):  # a value the ORM transformed (or dropped): not ours to place
        return None
    klass_info, select = compiler.klass_info, compiler.select
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Shape(sql=sql, params=tuple(params), slots=tuple(slots), compiler=compiler,
                  init_list=[column[0].target.attname for column in select[start:end]],
                  model_slice=(start, end), populators=get_related_populators(klass_info, select, alias),
                  annotation_col_map=dict(compiler.annotation_col_map or {}),
                  converters=compiler.get_converters([column[0] for column in select[0:compiler.col_count]]))


def _rows(shape: _Shape, real: dict, alias: str) -> list:
    params = list(shape.params)
    for index, name in shape.slots:
        params[index] = real[name]
    with connections[alias].cursor() as cursor:
        cursor.execute(shape.sql, params)
        fetched = cursor.fetchall()
    model = shape.compiler.klass_info["model"]
    start, end = shape.model_slice
    objects = []
    rows = shape.compiler.apply_converters(fetched, shape.converters) if shape.converters else fetched
    for row in rows:
        obj = _instance(model, alias, shape.init_list, row[start:end])
        for populator in shape.populators:
            _populate(populator, row, obj)
        for attribute, column in shape.annotation_col_map.items():
            setattr(obj, attribute, row[column])
        objects.append(obj)
    return objects


# --- Instances ----------------------------------------------------------------------------------
# Model.from_db pads the row with DEFERRED for every field left out by only(), then Model.__init__
# sets each attribute and sends pre_init/post_init: a tenth of a forum page for its 60 instances.
# A "plain" model's instance is the same thing built directly: the loaded values in its __dict__
# (a deferred field is absent from it, and loads on access, as after only()), its state marked
# loaded. Plain: Django's own __init__, no pre_init/post_init receiver, and Django's from_db — or
# a from_db marked `only_adds_after_load` (community.models.User's), whose `after_load()` is called
# here too (a subclass overriding from_db again is not marked: it goes through its from_db).

_plain: dict[type, bool] = {}


def _is_plain(model) -> bool:
    plain = _plain.get(model)
    if plain is None:
        from_db = model.from_db.__func__
        plain = _plain[model] = model.__init__ is Model.__init__ and (
            from_db is Model.from_db.__func__ or getattr(from_db, "only_adds_after_load", False))
    if not plain:
        return False
    from django.db.models import signals  # receivers may be connected later: asked every time

    return not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model)


def _instance(model, alias: str, attnames, values):
    if not _is_plain(model):
        return model.from_db(alias, attnames, values)
    obj = model.__new__(model)
    obj.__dict__.update(zip(attnames, values, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = alias
    after_load = getattr(obj, "after_load", None)
    if after_load is not None:
        after_load()
    return obj


def _populate(populator, row, from_obj) -> None:
    """Django's RelatedPopulator.populate (select_related), building instances with `_instance`."""
    data = populator.reorder_for_init(row) if populator.reorder_for_init else \
        row[populator.cols_start:populator.cols_end]
    if data[populator.pk_idx] is None:
        obj = None
    else:
        obj = _instance(populator.model_cls, populator.db, populator.init_list, data)
        for related in populator.related_populators:
            _populate(related, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def run(name: str, build, *, using: str = "default", **values) -> list:
    """The model instances of `build(**values)` (a QuerySet), its SQL compiled once per shape.
    `build` must depend on nothing but its arguments (and constants), and use integer and string
    arguments only as values in the query, never to choose its shape (an `if` on them): pass what
    chooses the shape as a boolean, None or `Fixed`."""
    real: dict = {}
    try:
        tokens = tuple((key, _flatten(key, value, real, None)[0]) for key, value in sorted(values.items()))
        hash(tokens)
    except (_Unsupported, TypeError):  # TypeError: an unhashable fixed value
        return list(build(**_unwrap(values)))
    key = (name, using, connections[using].vendor, tokens)
    shape = _shapes.get(key, False)
    if shape is False:
        stand_ins = _Sentinels()
        built = {}
        for value_name, value in values.items():
            built[value_name] = _flatten(value_name, value, {}, stand_ins)[1]
        try:
            shape = _compile(build(**built), stand_ins, using)
        except Exception:  # the ORM refused the stand-ins (a validation of ours): go the ORM way
            log.debug("prepared query %s not compiled", name, exc_info=True)
            shape = None
        with _lock:
            if len(_shapes) >= _MAX_SHAPES:
                _shapes.clear()
            _shapes[key] = shape
    if shape is None:
        return list(build(**_unwrap(values)))
    return _rows(shape, real, using)


def clear() -> None:
    """Forget every compiled shape (tests; a schema change in a running process)."""
    with _lock:
        _shapes.clear()
