"""Headers: the request's header fields as a read-only, case-insensitive mapping."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Sequence

__all__ = ["Headers"]


class Headers(Mapping[str, str]):
    """The request's header fields, read-only, with case-insensitive names.

    - ``headers[name]`` is the *first* value of that field (``KeyError`` if
      absent); :meth:`get_all` gives every value, in the order sent (fields
      sent on several lines are separate values; a comma-separated value is
      one value).
    - Iteration yields each distinct name once, spelled as first sent;
      ``len()`` counts distinct names.
    - :meth:`raw_items` gives every ``(name, value)`` pair in order.

    Names and values are decoded as ISO-8859-1, so every byte maps to one
    character (``value.encode("latin-1")`` gives back the bytes sent).
    """

    __slots__ = ("_items", "_index")

    def __init__(self, items: Sequence[tuple[str, str]] = ()) -> None:
        self._items: tuple[tuple[str, str], ...] = tuple(items)
        index: dict[str, list[str]] = {}
        for name, value in self._items:
            index.setdefault(name.lower(), []).append(value)
        self._index = index

    def __getitem__(self, name: str) -> str:
        if not isinstance(name, str):
            raise KeyError(name)
        return self._index[name.lower()][0]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for name, _ in self._items:
            key = name.lower()
            if key not in seen:
                seen.add(key)
                yield name

    def __len__(self) -> int:
        return len(self._index)

    def get_all(self, name: str) -> list[str]:
        """Every value of the field ``name``, in the order sent (empty if none)."""
        if not isinstance(name, str):
            raise TypeError(f"header name must be str, not {type(name).__name__}")
        return list(self._index.get(name.lower(), ()))

    def raw_items(self) -> list[tuple[str, str]]:
        """Every ``(name, value)`` field in the order sent."""
        return list(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._items == other._items
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Headers({list(self._items)!r})"
