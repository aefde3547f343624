"""The one native module (``_ffi``) against include/wshandshake.h: every
function's signature, every structure's layout (compiled with cc), the numbers."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path
from ctypes import POINTER, c_bool, c_char_p, c_size_t, c_uint8, c_uint16, c_uint32, c_void_p

import pytest

from wshandshake import ResultCode, _ffi

from conftest import HEADER_FILE

HEADER = HEADER_FILE.read_text()
# The header without comments: prototypes and typedefs only.
CODE = re.sub(r"/\*.*?\*/", "", HEADER, flags=re.S)
PROTOTYPES = {
    name: (ret.strip(), [" ".join(p.split()) for p in params.split(",") if p.strip() != "void"])
    for ret, name, params in re.findall(r"^([a-z][\w \*]*?)\b(wsh_\w+)\(([^)]*)\);", CODE, re.M)
}
OPAQUE = set(re.findall(r"typedef struct (wsh_\w+) \1;", CODE))
SCALARS = {
    "void": None,
    "bool": c_bool,
    "size_t": c_size_t,
    "uint8_t": c_uint8,
    "uint16_t": c_uint16,
    "uint32_t": c_uint32,
    "wsh_result": c_uint32,
}
POINTED = {
    "size_t": POINTER(c_size_t),
    "uint16_t": POINTER(c_uint16),
    "uint32_t": POINTER(c_uint32),
    "wsh_decision": POINTER(c_uint32),
    "wsh_client_decision": POINTER(c_uint32),
}


def accepted_ctypes(c_type: str) -> set:
    """The ctypes types that pass a parameter (or return) of this C type."""
    const = c_type.startswith("const ")
    base = c_type.replace("const ", "").replace("struct ", "").strip()
    if base.endswith("**"):
        return {POINTER(c_void_p)}  # an output that receives a pointer
    if not base.endswith("*"):
        return {SCALARS[base]}
    pointee = base[:-1].strip()
    if pointee in _ffi.STRUCTURES:
        return {POINTER(_ffi.STRUCTURES[pointee])}
    if pointee in OPAQUE:
        return {c_void_p}  # a handle
    if pointee == "char":
        return {c_char_p}  # static strings
    if pointee == "uint8_t":
        # Input bytes, or an output buffer (or one output byte).
        return {c_char_p, c_void_p} if const else {c_void_p, POINTER(c_uint8)}
    return {POINTED[pointee]}


def parameter_type(parameter: str) -> str:
    """``const uint8_t *key`` -> ``const uint8_t *``; ``uint8_t out[28]`` -> ``uint8_t *``."""
    match = re.fullmatch(r"(.*?)(\w+)(\[\w*\])?", parameter)
    assert match, parameter
    return match.group(1).strip() + (" *" if match.group(3) else "")


def test_every_header_function_is_declared_and_nothing_else():
    assert len(PROTOTYPES) > 90  # the parse found the prototypes
    assert set(_ffi.SIGNATURES) == set(PROTOTYPES)


@pytest.mark.parametrize("name", sorted(PROTOTYPES))
def test_signature_matches_the_header(name):
    c_return, c_params = PROTOTYPES[name]
    restype, argtypes = _ffi.SIGNATURES[name]
    assert restype in accepted_ctypes(c_return), (name, c_return, restype)
    assert len(argtypes) == len(c_params), (name, c_params, argtypes)
    for c_param, argtype in zip(c_params, argtypes):
        assert argtype in accepted_ctypes(parameter_type(c_param)), (name, c_param, argtype)
    # Declared on the loaded library, and identically on the raw view.
    function = getattr(_ffi.lib, name)
    assert function.restype is restype and tuple(function.argtypes) == tuple(argtypes)
    if name in _ffi.RAW_FUNCTIONS:
        raw = getattr(_ffi.raw, name)
        assert raw.restype is restype and tuple(raw.argtypes) == tuple(argtypes)


def test_a_size_beyond_a_c_int_reaches_the_library_whole(chat_config):
    # (NULL, n > 0) is refused; if 1 << 40 were cut to a C int it would be
    # (NULL, 0), an empty request, and the call would answer NEED_MORE.
    info = _ffi.RespondInfo()
    s = _ffi.scratch()
    code = _ffi.raw.wsh_respond(chat_config._ptr, None, 1 << 40, s.out_arg, s.cap_arg, info)
    assert code == ResultCode.INVALID_ARGUMENT


def test_nothing_reads_cpython_object_layout():
    package = Path(_ffi.__file__).parent
    for module in package.glob("*.py"):
        text = module.read_text()
        assert not re.search(r"\bid\(", text), module.name
        assert "from_address(id" not in text, module.name


def test_nonce_length_matches_the_header():
    assert f"#define WSH_NONCE_LEN {_ffi.NONCE_LEN}" in HEADER


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
    for c_name, structure in _ffi.STRUCTURES.items():
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


def test_every_header_structure_is_declared():
    in_header = set(re.findall(r"typedef struct (wsh_\w+) \{", CODE))
    assert in_header == set(_ffi.STRUCTURES)


def test_struct_layouts_match_the_header(tmp_path):
    c_layouts = _c_layouts(tmp_path)
    for c_name, structure in _ffi.STRUCTURES.items():
        assert ctypes.sizeof(structure) == c_layouts[c_name], c_name
        for field, _ in structure._fields_:
            assert getattr(structure, field).offset == c_layouts[f"{c_name}.{field}"], field
        # Every C field is declared (names from the header's struct body).
        body = CODE.split(f"typedef struct {c_name} {{", 1)[1].split("}", 1)[0]
        c_fields = re.findall(r"(\w+)(?:\[\w*\])?;", body)
        assert c_fields == [field for field, _ in structure._fields_], c_name
