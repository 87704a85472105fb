"""Frozen dataclasses from parsed JSON, field by field, for the settings file.

Every field is checked against its type hint (``Literal`` choices, bool, int/float with the
``min``/``max`` of its metadata, str, tuples of fixed-shape rows, nested dataclasses).  An
invalid field keeps its default and becomes a problem that names it, its value, what would fit
and the default, in the UI language; in a list of rows, only a row that does not fit is left
out (with a problem naming it), the other rows are kept.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any, Literal, get_args, get_origin

from whispertrans_tray.i18n import Phrase, phrase_text, tr


class InvalidValueError(ValueError):
    """A value that does not fit its field; :attr:`cause` says what would, in words for a
    message in the UI language (``str(exc)``: the same in English)."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.cause = Phrase.of(key, **params)
        super().__init__(phrase_text(self.cause, "en"))


def coerce(value: Any, hint: Any, meta: typing.Mapping[str, Any]) -> Any:
    """Return ``value`` as type ``hint`` or raise :class:`InvalidValueError` with the reason."""
    origin = get_origin(hint)
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            raise InvalidValueError("cause.want_choice", choices=", ".join(map(str, choices)))
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise InvalidValueError("cause.want_bool")
        return value
    if hint in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidValueError("cause.want_number")
        try:
            as_float = float(value)
        except OverflowError:
            raise InvalidValueError("cause.want_sane_number") from None
        if not math.isfinite(as_float):
            raise InvalidValueError("cause.want_finite") from None
        if hint is int and not as_float.is_integer():
            raise InvalidValueError("cause.want_whole")
        number = hint(value)
        lo, hi = meta.get("min"), meta.get("max")
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise InvalidValueError("cause.want_range", lo=lo, hi=hi)
        return number
    if hint is str:
        if not isinstance(value, str):
            raise InvalidValueError("cause.want_text")
        return value
    if origin is tuple:  # a list of fixed-shape rows: glossary pairs, overlay positions
        (row,) = get_args(hint)[:1]
        kinds = get_args(row)
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(r, (list, tuple)) and len(r) == len(kinds)
            and all(isinstance(v, k) and not isinstance(v, bool) for v, k in zip(r, kinds))
            for r in value
        ):
            shape = ", ".join(k.__name__ for k in kinds)
            raise InvalidValueError("cause.want_rows", shape=shape)
        return tuple(tuple(r) for r in value)
    raise TypeError(f"unsupported settings type {hint!r}")  # pragma: no cover - a coding error


def build(cls: type[Any], data: Any, prefix: str, lang: str,
          problems: list[tuple[str, str]]) -> Any:
    """Build dataclass ``cls`` from ``data``, keeping defaults for invalid fields.

    Each problem is appended to ``problems`` as ``(dotted field, message in lang)``.
    """
    default = cls()
    if not isinstance(data, dict):
        problems.append((prefix.rstrip("."), tr(
            "settings.invalid_field", lang, field=prefix.rstrip("."), value=data,
            reason="an object", default=to_json_value(default))))
        return default
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    for name in data:
        if name not in known:
            problems.append((prefix + name,
                             tr("settings.unknown_field", lang, field=prefix + name)))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        hint = hints[f.name]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            values[f.name] = build(hint, data[f.name], f"{prefix}{f.name}.", lang, problems)
            continue
        if get_origin(hint) is tuple and isinstance(data[f.name], list):
            values[f.name] = _good_rows(data[f.name], hint, prefix + f.name, lang, problems)
            continue
        try:
            values[f.name] = coerce(data[f.name], hint, f.metadata)
        except InvalidValueError as exc:
            problems.append((prefix + f.name, tr(
                "settings.invalid_field", lang, field=prefix + f.name, value=data[f.name],
                reason=exc.cause, default=getattr(default, f.name))))
    return dataclasses.replace(default, **values)


def _good_rows(rows: list[Any], hint: Any, dotted: str, lang: str,
               problems: list[tuple[str, str]]) -> tuple[Any, ...]:
    """The rows of a list field that fit their shape; each one that does not (a fallback row
    of 5 fields or 1) is left out with a problem naming it, and the others are kept."""
    kept: list[Any] = []
    for row in rows:
        try:
            kept.extend(coerce([row], hint, {}))
        except InvalidValueError as exc:  # cause.want_rows: said of the one row
            reason = Phrase.of("cause.want_row", **dict(exc.cause.params))
            problems.append((dotted, tr("settings.invalid_row", lang, field=dotted, row=row,
                                        reason=reason)))
    return tuple(kept)


def to_json_value(obj: Any) -> Any:
    """``obj`` as JSON data (a dataclass becomes a dict)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return obj
