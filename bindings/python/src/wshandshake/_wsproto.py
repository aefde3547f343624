"""Frames after our handshake: wsproto's post-handshake ``Connection``.

wshandshake does the opening handshake only. For the frames, wsproto (install
the ``wsproto`` extra: ``pip install wshandshake[wsproto]``) has a sans-I/O
``wsproto.connection.Connection`` that starts *after* a handshake. This module
builds one with the permessage-deflate parameters our handshake negotiated,
so the two agree on compression without any extension strings to write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Union

from ._codes import Decision
from ._types import DeflateParams, Response

if TYPE_CHECKING:  # pragma: no cover
    from wsproto.connection import Connection

__all__ = ["wsproto_connection", "wsproto_can_deflate", "WSPROTO_WINDOW_BITS"]

#: The LZ77 window sizes wsproto's permessage-deflate takes (RFC 7692 allows
#: 8-15; wsproto refuses 8, as zlib did not always support it).
WSPROTO_WINDOW_BITS = range(9, 16)


def wsproto_can_deflate(deflate: Optional[DeflateParams]) -> bool:
    """Whether wsproto can frame with these negotiated parameters.

    True for None (no compression) and for windows of 9-15 bits. With
    :class:`ServerHandshake`, check it before answering and accept with
    ``decline_deflate=True`` when it is False::

        hs.accept(decline_deflate=not wsh.wsproto_can_deflate(hs.deflate))
    """
    if deflate is None:
        return True
    return (
        deflate.server_max_window_bits in WSPROTO_WINDOW_BITS
        and deflate.client_max_window_bits in WSPROTO_WINDOW_BITS
    )


def wsproto_connection(
    handshake: Union[Response, Any, None] = None,
    *,
    deflate: Optional[DeflateParams] = None,
    trailing_data: Optional[bytes] = None,
) -> "Connection":
    """A server-side ``wsproto.connection.Connection`` for an accepted upgrade.

    Args:
        handshake: what accepted the upgrade: a :class:`Response` from
            :func:`respond`, or a :class:`ServerHandshake` after ``accept()``
            (then give ``trailing_data``: the ``leftover`` of its last
            ``feed()``). None to give ``deflate`` and ``trailing_data`` alone.
        deflate: the negotiated :class:`DeflateParams` (default: the
            handshake's), None for no compression.
        trailing_data: bytes received after the request head, the first
            frames (default: a Response's ``leftover``).

    Returns:
        A ``wsproto.connection.Connection`` (``ConnectionType.SERVER``) with a
        ``PerMessageDeflate`` extension set to the negotiated parameters when
        compression was agreed; it has already received ``trailing_data``.

    Raises:
        ImportError: wsproto is not installed.
        ValueError: the handshake did not accept a WebSocket upgrade, or the
            negotiated windows are outside what wsproto supports (an 8-bit
            window: see :func:`wsproto_can_deflate`).
    """
    try:
        from wsproto.connection import Connection, ConnectionType
        from wsproto.extensions import PerMessageDeflate
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "wshandshake.wsproto_connection needs wsproto: pip install 'wshandshake[wsproto]'"
        ) from error

    if isinstance(handshake, Response):
        if handshake.decision is not Decision.UPGRADE_WEBSOCKET:
            raise ValueError(
                f"wsproto_connection: the handshake did not accept a WebSocket upgrade "
                f"({handshake.decision.name}, status {handshake.status})"
            )
        if deflate is None:
            deflate = handshake.deflate
        if trailing_data is None:
            trailing_data = handshake.leftover
    elif handshake is not None:
        from ._server import ServerHandshake

        if not isinstance(handshake, ServerHandshake):
            raise TypeError(
                "handshake must be a Response, a ServerHandshake or None, not "
                f"{type(handshake).__name__}"
            )
        if not handshake.accepted:
            raise ValueError("wsproto_connection: the ServerHandshake has not accepted")
        if deflate is None:
            deflate = handshake.deflate
    if deflate is not None and not isinstance(deflate, DeflateParams):
        raise TypeError(f"deflate must be DeflateParams or None, not {type(deflate).__name__}")
    if not wsproto_can_deflate(deflate):
        raise ValueError(
            f"wsproto_connection: wsproto supports LZ77 windows of 9-15 bits, and the "
            f"handshake agreed on server_max_window_bits={deflate.server_max_window_bits}, "  # type: ignore[union-attr]
            f"client_max_window_bits={deflate.client_max_window_bits}; answer such offers "  # type: ignore[union-attr]
            "with accept(decline_deflate=True) (see wsproto_can_deflate)"
        )

    extensions = []
    if deflate is not None:
        extension = PerMessageDeflate(
            client_no_context_takeover=deflate.client_no_context_takeover,
            client_max_window_bits=deflate.client_max_window_bits,
            server_no_context_takeover=deflate.server_no_context_takeover,
            server_max_window_bits=deflate.server_max_window_bits,
        )
        # finalize() is wsproto's hook for "these parameters were agreed": it
        # enables the extension. Its argument repeats them, as a 101 would.
        extension.finalize(_agreed(deflate))
        extensions.append(extension)
    return Connection(ConnectionType.SERVER, extensions, trailing_data or b"")


def _agreed(deflate: DeflateParams) -> str:
    """The agreed parameters as a Sec-WebSocket-Extensions element."""
    parts = [
        "permessage-deflate",
        f"server_max_window_bits={deflate.server_max_window_bits}",
        f"client_max_window_bits={deflate.client_max_window_bits}",
    ]
    if deflate.server_no_context_takeover:
        parts.append("server_no_context_takeover")
    if deflate.client_no_context_takeover:
        parts.append("client_no_context_takeover")
    return "; ".join(parts)
