"""JSON output: dataclasses and lists of them, dates as ISO strings, Chinese kept readable."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime


def _default(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: object) -> str:
    """``data`` as indented JSON text."""
    if dataclasses.is_dataclass(data):
        data = dataclasses.asdict(data)
    elif isinstance(data, list):
        data = [dataclasses.asdict(d) if dataclasses.is_dataclass(d) else d for d in data]
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)
