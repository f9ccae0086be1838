"""Typed JSON: how the test driver and Java exchange values that plain JSON cannot carry.

Plain JSON values stand for themselves. Tagged single-key objects carry the rest:
{"$bytes": base64}, {"$tuple": [...]}, {"$datetime": iso}, {"$date": iso}, {"$decimal": "1.5"},
{"$uuid": "..."}, {"$float": "nan"|"inf"|"-inf"}, {"$map": [[k, v], ...]} (non-string keys),
{"$set": [...]}, and {"$repr": "..."} for anything else (read-only, never decoded back).
"""

import base64
import datetime
import decimal
import math
import uuid


def encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    return {"$repr": repr(value)}


_DECODERS = {
    "$bytes": lambda v: base64.b64decode(v),
    "$tuple": lambda v: tuple(decode(x) for x in v),
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$decimal": decimal.Decimal,
    "$uuid": uuid.UUID,
    "$float": float,
    "$map": lambda v: {_hashable(decode(k)): decode(x) for k, x in v},
    "$set": lambda v: {_hashable(decode(x)) for x in v},
}


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key in _DECODERS:
                return _DECODERS[key](inner)
        return {k: decode(v) for k, v in value.items()}
    return value
