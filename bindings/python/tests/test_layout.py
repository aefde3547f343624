"""The ctypes structures match the C header's layouts (compiled with cc)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import pytest

from wshandshake import _client_ffi, _ffi

from conftest import HEADER_FILE

STRUCTS = {
    "wsh_limits": _ffi.LimitsC,
    "wsh_deflate_config": _ffi.DeflateConfigC,
    "wsh_extension_param": _ffi.ExtensionParamC,
    "wsh_deflate_params": _ffi.DeflateParamsC,
    "wsh_header": _ffi.Header,
    "wsh_bytes": _ffi.Bytes,
    "wsh_accept_options": _ffi.AcceptOptions,
    "wsh_respond_info": _ffi.RespondInfo,
    "wsh_deflate_offer": _client_ffi.DeflateOfferC,
    "wsh_client_limits": _client_ffi.ClientLimitsC,
    "wsh_client_url": _client_ffi.ClientUrlC,
    "wsh_field": _client_ffi.FieldC,
    "wsh_connect_info": _client_ffi.ConnectInfoC,
    "wsh_connect_client_options": _client_ffi.ConnectClientOptionsC,
    "wsh_connect_client_info": _client_ffi.ConnectClientInfoC,
}


def _c_layouts(tmp_path) -> dict[str, int]:
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler to read the header's layouts")
    lines = [
        "#include <stdio.h>",
        "#include <stddef.h>",
        f'#include "{HEADER_FILE}"',
        "int main(void) {",
    ]
    for c_name, structure in STRUCTS.items():
        lines.append(f'printf("{c_name} %zu\\n", sizeof(struct {c_name}));')
        for field, _ in structure._fields_:
            lines.append(f'printf("{c_name}.{field} %zu\\n", offsetof(struct {c_name}, {field}));')
    lines += ["return 0;", "}"]
    source = tmp_path / "layout.c"
    source.write_text("\n".join(lines))
    binary = tmp_path / "layout"
    subprocess.run([compiler, "-o", str(binary), str(source)], check=True)
    output = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    return {key: int(value) for key, value in (line.split() for line in output.splitlines())}


def test_struct_layouts_match_the_header(tmp_path):
    c_layouts = _c_layouts(tmp_path)
    for c_name, structure in STRUCTS.items():
        assert ctypes.sizeof(structure) == c_layouts[c_name], c_name
        for field, _ in structure._fields_:
            assert getattr(structure, field).offset == c_layouts[f"{c_name}.{field}"], field
