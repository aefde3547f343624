"""ServerConfig: the immutable server policy, built once and shared."""

from __future__ import annotations

import ctypes
import weakref
from collections.abc import Iterable
from ctypes import byref, c_void_p
from typing import Any, Union

from ._errors import ConfigError, error_for
from ._ffi import DeflateConfigC, LimitsC, lib, pointer_arg
from ._types import DeflateConfig, Limits

__all__ = ["ServerConfig"]

_SELECTIONS = {"client": 0, "server": 1}
# Larger values would be truncated by ctypes when stored in a size_t.
_SIZE_LIMIT = 1 << (8 * ctypes.sizeof(ctypes.c_size_t) - 1)


def _text_list(value: object, what: str) -> tuple[str, ...]:
    """A tuple of str from an iterable of str (a bare str is refused)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be an iterable of str, not a single {type(value).__name__}")
    try:
        items: tuple[object, ...] = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be an iterable of str") from None
    texts = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what} must contain str, got {type(item).__name__}")
        texts.append(item)
    return tuple(texts)


def _check_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, got {type(value).__name__}")
    return value


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if not 0 <= value < _SIZE_LIMIT:
        raise ConfigError(111, f"{what} is out of range: {value}")
    return value


#: Most reset handles a config keeps for reuse (see ServerHandshake.close)...
POOL_LIMIT = 32
#: ... and at most about this many bytes of their buffers (large limits keep fewer).
POOL_BYTES = 4 << 20


def _free_config(pointer: c_void_p, pool: list[Any]) -> None:
    """Finalizer: frees the pooled handles, then the config."""
    while pool:
        try:
            handle = pool.pop()
        except IndexError:  # pragma: no cover - emptied by another thread
            break
        lib.wsh_server_free(handle)
    lib.wsh_server_config_free(pointer)


def _check(code: int, context: str) -> None:
    if code != 0:
        raise error_for(code, context)


class ServerConfig:
    """The server's handshake policy: immutable, shareable across threads.

    Args:
        subprotocols: the supported subprotocols (HTTP tokens), in the
            server's order of preference.
        selection: how one subprotocol is picked from the client's offer:
            ``"client"`` (the first one in the client's order that the server
            supports; the default) or ``"server"`` (the first one in the
            server's order that the client offered).
        require_subprotocol: reject (400) WebSocket requests that offer no
            supported subprotocol.
        allowed_origins: None to allow any Origin, or the allowed origins
            (compared exactly, ASCII case-insensitively; other origins and
            ``null`` get 403). An empty list is refused: pass None.
        require_origin: reject (403) requests without Origin.
        websocket: handle WebSocket upgrades (turn off for a server that only
            switches to ``upgrade_protocols``).
        upgrade_protocols: other protocols to switch to, e.g. ``"h2c"``,
            ``"TLS/1.2"``, ``"foo/2"``; the client's order decides.
        permessage_deflate: None/False (off), True (the default policy), or a
            :class:`DeflateConfig`.
        limits: a :class:`Limits`, or None for the library's defaults.
        allow_bare_lf: accept lines ending in a bare LF (legacy clients).
        allow_obs_fold: unfold obsolete line folding instead of rejecting it
            (:class:`ServerHandshake` only; :func:`respond` always rejects it).
        allow_missing_host: accept a WebSocket request without Host.
        allow_unbracketed_ipv6_host: accept a Host that is an IPv6 address
            without brackets, perhaps with ``:port`` (WebSocket-Node sends
            ``Host: ::1:8080``); it has no single reading, so a proxy in front
            may route it differently. Only its shape is checked.
        response_capacity: bytes of each handshake's response buffer
            (256-1048576): the 101 or custom rejection must fit.

    Raises:
        TypeError: a value of the wrong type.
        ConfigError: a value the library refuses (e.g. a subprotocol that is
            not a token, a window size outside 8-15).
    """

    __slots__ = (
        "_ptr",
        "_arg",
        "_finalizer",
        "_pool",
        "_pool_limit",
        "subprotocols",
        "selection",
        "require_subprotocol",
        "allowed_origins",
        "require_origin",
        "websocket",
        "upgrade_protocols",
        "permessage_deflate",
        "limits",
        "allow_bare_lf",
        "allow_obs_fold",
        "allow_missing_host",
        "allow_unbracketed_ipv6_host",
        "response_capacity",
        "__weakref__",
    )

    _ptr: c_void_p
    _arg: Any
    _pool: list[Any]
    _pool_limit: int
    subprotocols: tuple[str, ...]
    selection: str
    require_subprotocol: bool
    allowed_origins: tuple[str, ...] | None
    require_origin: bool
    websocket: bool
    upgrade_protocols: tuple[str, ...]
    permessage_deflate: DeflateConfig | None
    limits: Limits
    allow_bare_lf: bool
    allow_obs_fold: bool
    allow_missing_host: bool
    allow_unbracketed_ipv6_host: bool
    response_capacity: int

    def __init__(
        self,
        subprotocols: Iterable[str] = (),
        *,
        selection: str = "client",
        require_subprotocol: bool = False,
        allowed_origins: Iterable[str] | None = None,
        require_origin: bool = False,
        websocket: bool = True,
        upgrade_protocols: Iterable[str] = (),
        permessage_deflate: Union[None, bool, DeflateConfig] = None,
        limits: Limits | None = None,
        allow_bare_lf: bool = False,
        allow_obs_fold: bool = False,
        allow_missing_host: bool = False,
        allow_unbracketed_ipv6_host: bool = False,
        response_capacity: int = 4096,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_ptr", None)
        set_(self, "subprotocols", _text_list(subprotocols, "subprotocols"))
        if selection not in _SELECTIONS:
            raise ValueError(f'selection must be "client" or "server", not {selection!r}')
        set_(self, "selection", selection)
        set_(self, "require_subprotocol", _check_bool(require_subprotocol, "require_subprotocol"))
        if allowed_origins is not None:
            origins: tuple[str, ...] | None = _text_list(allowed_origins, "allowed_origins")
            if not origins:
                raise ConfigError(
                    111, "allowed_origins is empty: pass None to allow any origin"
                )
        else:
            origins = None
        set_(self, "allowed_origins", origins)
        set_(self, "require_origin", _check_bool(require_origin, "require_origin"))
        set_(self, "websocket", _check_bool(websocket, "websocket"))
        set_(self, "upgrade_protocols", _text_list(upgrade_protocols, "upgrade_protocols"))
        if permessage_deflate is None or permessage_deflate is False:
            deflate: DeflateConfig | None = None
        elif permessage_deflate is True:
            deflate = DeflateConfig()
        elif isinstance(permessage_deflate, DeflateConfig):
            deflate = permessage_deflate
        else:
            raise TypeError(
                "permessage_deflate must be None, a bool or a DeflateConfig, not "
                f"{type(permessage_deflate).__name__}"
            )
        set_(self, "permessage_deflate", deflate)
        if limits is None:
            limits = Limits()
        elif not isinstance(limits, Limits):
            raise TypeError(f"limits must be a Limits or None, not {type(limits).__name__}")
        set_(self, "limits", limits)
        set_(self, "allow_bare_lf", _check_bool(allow_bare_lf, "allow_bare_lf"))
        set_(self, "allow_obs_fold", _check_bool(allow_obs_fold, "allow_obs_fold"))
        set_(self, "allow_missing_host", _check_bool(allow_missing_host, "allow_missing_host"))
        set_(
            self,
            "allow_unbracketed_ipv6_host",
            _check_bool(allow_unbracketed_ipv6_host, "allow_unbracketed_ipv6_host"),
        )
        set_(self, "response_capacity", _check_int(response_capacity, "response_capacity"))
        pointer = self._build()
        set_(self, "_ptr", pointer)
        # The pointer as a ready-made argument for the hot-path calls.
        set_(self, "_arg", pointer_arg(pointer.value or 0))
        # Closed ServerHandshake handles, already reset, kept for reuse: making
        # a handle allocates and zeroes its buffers (~20 KiB by default), and
        # reusing one saves that and a foreign call per handshake.
        pool: list[Any] = []
        set_(self, "_pool", pool)
        per_handle = limits.max_head_bytes + self.response_capacity
        set_(self, "_pool_limit", max(1, min(POOL_LIMIT, POOL_BYTES // max(per_handle, 1))))
        set_(self, "_finalizer", weakref.finalize(self, _free_config, pointer, pool))

    def _build(self) -> c_void_p:
        builder = lib.wsh_server_config_builder_new()
        if not builder:
            raise MemoryError("wsh_server_config_builder_new failed")
        try:
            for name in self.subprotocols:
                data = name.encode("utf-8")
                _check(
                    lib.wsh_server_config_builder_add_subprotocol(builder, data, len(data)),
                    f"subprotocol {name!r}",
                )
            _check(
                lib.wsh_server_config_builder_subprotocol_selection(
                    builder, _SELECTIONS[self.selection]
                ),
                "selection",
            )
            _check(
                lib.wsh_server_config_builder_require_subprotocol(builder, self.require_subprotocol),
                "require_subprotocol",
            )
            for origin in self.allowed_origins or ():
                data = origin.encode("utf-8")
                _check(
                    lib.wsh_server_config_builder_add_allowed_origin(builder, data, len(data)),
                    f"allowed origin {origin!r}",
                )
            _check(
                lib.wsh_server_config_builder_require_origin(builder, self.require_origin),
                "require_origin",
            )
            _check(lib.wsh_server_config_builder_websocket(builder, self.websocket), "websocket")
            for protocol in self.upgrade_protocols:
                data = protocol.encode("utf-8")
                _check(
                    lib.wsh_server_config_builder_add_upgrade_protocol(builder, data, len(data)),
                    f"upgrade protocol {protocol!r}",
                )
            if self.permessage_deflate is not None:
                d = self.permessage_deflate
                for field in ("server_max_window_bits", "client_max_window_bits"):
                    bits = _check_int(getattr(d, field), field)
                    if bits > 255:
                        raise ConfigError(111, f"{field} must be 8..15, not {bits}")
                for field in ("server_no_context_takeover", "client_no_context_takeover"):
                    _check_bool(getattr(d, field), field)
                c_deflate = DeflateConfigC(
                    d.server_max_window_bits,
                    d.client_max_window_bits,
                    d.server_no_context_takeover,
                    d.client_no_context_takeover,
                )
                _check(
                    lib.wsh_server_config_builder_permessage_deflate(builder, byref(c_deflate)),
                    f"permessage_deflate {d}",
                )
            limits = self.limits
            c_limits = LimitsC(
                _check_int(limits.max_head_bytes, "max_head_bytes"),
                _check_int(limits.max_headers, "max_headers"),
                _check_int(limits.max_request_line, "max_request_line"),
                _check_int(limits.max_header_line, "max_header_line"),
            )
            _check(lib.wsh_server_config_builder_limits(builder, byref(c_limits)), f"{limits}")
            _check(lib.wsh_server_config_builder_allow_bare_lf(builder, self.allow_bare_lf), "")
            _check(lib.wsh_server_config_builder_allow_obs_fold(builder, self.allow_obs_fold), "")
            _check(
                lib.wsh_server_config_builder_allow_missing_host(builder, self.allow_missing_host),
                "",
            )
            _check(
                lib.wsh_server_config_builder_allow_unbracketed_ipv6_host(
                    builder, self.allow_unbracketed_ipv6_host
                ),
                "",
            )
            _check(
                lib.wsh_server_config_builder_response_capacity(builder, self.response_capacity),
                f"response_capacity {self.response_capacity}",
            )
        except BaseException:
            lib.wsh_server_config_builder_free(builder)
            raise
        config = c_void_p()
        # The builder is consumed by build, whatever the result.
        _check(lib.wsh_server_config_builder_build(builder, byref(config)), "build")
        return config

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ServerConfig is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("ServerConfig is immutable")

    def __repr__(self) -> str:
        parts = [f"subprotocols={self.subprotocols!r}"]
        defaults = ServerConfig._DEFAULTS
        for name in defaults:
            value = getattr(self, name)
            if value != defaults[name]:
                parts.append(f"{name}={value!r}")
        return f"ServerConfig({', '.join(parts)})"

    _DEFAULTS = {
        "selection": "client",
        "require_subprotocol": False,
        "allowed_origins": None,
        "require_origin": False,
        "websocket": True,
        "upgrade_protocols": (),
        "permessage_deflate": None,
        "limits": Limits(),
        "allow_bare_lf": False,
        "allow_obs_fold": False,
        "allow_missing_host": False,
        "allow_unbracketed_ipv6_host": False,
        "response_capacity": 4096,
    }
