"""Argument conversion shared by the public functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ._codes import ResultCode
from ._errors import InvalidHeader
from ._ffi import Bytes, Header

__all__ = [
    "as_bytes",
    "bytes_array",
    "header_array",
    "header_pairs",
    "items_arg",
    "text_bytes",
    "text_list",
]


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


def text_bytes(value: object, what: str, encoding: str = "latin-1") -> bytes:
    """A str (ISO-8859-1 unless told) or bytes-like argument as bytes, for
    header text."""
    if isinstance(value, str):
        return value.encode(encoding)
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


def items_arg(values: object, what: str, kinds: str) -> tuple[object, ...]:
    """An iterable argument as a tuple; a single str or bytes is refused (it
    would read as a list of characters). ``kinds`` names the items wanted."""
    if isinstance(values, (str, bytes)):
        single = type(values).__name__
        raise TypeError(f"{what} must be an iterable of {kinds}, not a single {single}")
    try:
        return tuple(values)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(f"{what} must be an iterable of {kinds}") from None


def text_list(values: object, what: str) -> list[bytes]:
    """An iterable of str (ISO-8859-1) or bytes as a list of bytes."""
    return [text_bytes(item, what) for item in items_arg(values, what, "str or bytes")]


def bytes_array(items: list[bytes]) -> object:
    """A ctypes ``wsh_bytes`` array for ``items`` (it keeps the bytes alive)."""
    array = (Bytes * len(items))()
    for slot, item in zip(array, items):
        slot.data = item
        slot.len = len(item)
    return array
