"""The life-cycle manners every handshake object shares."""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["NativeHandle"]

_Self = TypeVar("_Self", bound="NativeHandle")


class NativeHandle:
    """An object owning one native handle in ``_h`` (None once closed): a
    context manager that closes it, and ``closed``. Subclasses define
    ``close()``."""

    __slots__ = ()

    _h: Any

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._h is None
