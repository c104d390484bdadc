"""The analysis's dataclasses as plain JSON values and back, so an analysis can be stored and read again.

``to_plain`` turns a dataclass (and what it holds: dates, times, enums, tuples, nested dataclasses)
into dicts, lists, strings and numbers; ``from_plain`` rebuilds it from its type annotations, so a
field added to a dataclass is stored and read with no change here. Only fields set at construction
are stored: derived ones (``PartialDate``'s start and end) are worked out again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.events import Event

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``."""
    if isinstance(value, Event):
        return value.to_json()
    if isinstance(value, PartialDate):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in _init_fields(type(value))}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [to_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    return value


def from_plain(kind: type[T], data: Any) -> T:
    """Rebuild a value of type ``kind`` from what ``to_plain`` made of it."""
    return typing.cast(T, _decode(kind, data))


@cache
def _init_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(kind: Any, data: Any) -> Any:
    if data is None or kind is Any:
        return data
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is not None:
        args = typing.get_args(kind)
        if origin is tuple:
            item = args[0] if args else Any
            return tuple(_decode(item, value) for value in data)
        if origin in (list, typing.Sequence, typing.MutableSequence):
            return [_decode(args[0] if args else Any, value) for value in data]
        if origin in (frozenset, set):
            return origin(_decode(args[0] if args else Any, value) for value in data)
        if origin in (dict, Mapping, typing.Mapping):
            value_kind = args[1] if len(args) == 2 else Any
            return {key: _decode(value_kind, value) for key, value in data.items()}
        return data
    if kind is Event:
        return Event.from_json(data)
    if kind is PartialDate:
        return PartialDate.from_isoformat(data)
    if kind is Entry:
        return entry_from_plain(data)
    if isinstance(kind, type):
        if dataclasses.is_dataclass(kind):
            hints = _hints(kind)
            return kind(
                **{f.name: _decode(hints[f.name], data[f.name]) for f in _init_fields(kind) if f.name in data}
            )
        if issubclass(kind, enum.Enum):
            return kind(data)
        if issubclass(kind, dt.datetime):
            return dt.datetime.fromisoformat(data)
        if issubclass(kind, dt.date):
            return dt.date.fromisoformat(data)
        if issubclass(kind, dt.time):
            return dt.time.fromisoformat(data)
    return data


def entry_from_plain(data: Mapping[str, Any]) -> Entry:
    """An entry from ``to_plain``'s dict: written out, as pages rebuild a hundred entries at a time."""
    values = dict(data)
    values["date"] = PartialDate.from_isoformat(values["date"])
    if values.get("end_date"):
        values["end_date"] = PartialDate.from_isoformat(values["end_date"])
    for name in ("time", "end_time"):
        if values.get(name):
            values[name] = dt.time.fromisoformat(values[name])
    if values.get("recorded_on"):
        values["recorded_on"] = dt.date.fromisoformat(values["recorded_on"])
    if "kind" in values:
        values["kind"] = EntryKind(values["kind"])
    return Entry(**values)
