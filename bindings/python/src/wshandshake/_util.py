"""Argument conversion shared by the public functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ._codes import ResultCode
from ._errors import InvalidHeader
from ._ffi import Header

__all__ = ["as_bytes", "header_array", "header_pairs", "text_bytes"]


def as_bytes(data: object, what: str = "data") -> bytes:
    """``data`` as an exact ``bytes`` object (copying other buffers once).

    Accepts ``bytes``, ``bytearray``, ``memoryview`` and any object with the
    buffer protocol; refuses ``str`` and everything else with ``TypeError``.
    """
    if type(data) is bytes:
        return data
    if isinstance(data, str):
        raise TypeError(f"{what} must be bytes-like, not str (encode it first)")
    try:
        view = memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, not {type(data).__name__}") from None
    return view.tobytes()


def text_bytes(value: object, what: str) -> bytes:
    """A str (ISO-8859-1) or bytes-like argument as bytes, for header text."""
    if isinstance(value, str):
        return value.encode("latin-1")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def header_pairs(headers: object) -> list[tuple[bytes, bytes]]:
    """``(name, value)`` byte pairs from a mapping or an iterable of pairs."""
    if isinstance(headers, Mapping):
        items: Iterable[object] = headers.items()
    elif isinstance(headers, (str, bytes)):
        raise TypeError("headers must be a mapping or an iterable of (name, value) pairs")
    else:
        try:
            items = iter(headers)  # type: ignore[call-overload]
        except TypeError:
            raise TypeError(
                "headers must be a mapping or an iterable of (name, value) pairs"
            ) from None
    pairs = []
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"each header must be a (name, value) pair, not {item!r}")
        name, value = item
        try:
            encoded_name = text_bytes(name, "header name")
        except UnicodeEncodeError:
            raise InvalidHeader(
                ResultCode.INVALID_HEADER_NAME, f"header name {name!r} is not a token"
            ) from None
        try:
            encoded_value = text_bytes(value, "header value")
        except UnicodeEncodeError:
            raise InvalidHeader(
                ResultCode.INVALID_HEADER_VALUE,
                f"header value {value!r} has characters outside ISO-8859-1",
            ) from None
        pairs.append((encoded_name, encoded_value))
    return pairs


def header_array(pairs: list[tuple[bytes, bytes]]) -> object:
    """A ctypes ``wsh_header`` array for ``pairs`` (it keeps the bytes alive)."""
    array = (Header * len(pairs))()
    for slot, (name, value) in zip(array, pairs):
        slot.name = name  # the array keeps a reference to the bytes
        slot.name_len = len(name)
        slot.value = value
        slot.value_len = len(value)
    return array
