"""The package itself: exports, version, bundled library, tables vs the C header."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import wshandshake as wsh
from wshandshake import Decision, ResultCode
from wshandshake import _ffi

from conftest import HEADER_FILE, run_python


def test_version_comes_from_the_library():
    assert wsh.__version__ == _ffi.lib.wsh_version().decode()
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", wsh.__version__)
    header = HEADER_FILE.read_text()
    assert f'#define WSH_VERSION_STRING "{wsh.__version__}"' in header


def test_all_names_exist():
    for name in wsh.__all__:
        assert hasattr(wsh, name), name
    assert len(set(wsh.__all__)) == len(wsh.__all__)


def test_public_items_have_docstrings():
    for name in wsh.__all__:
        item = getattr(wsh, name)
        if callable(item) and not isinstance(item, type(wsh.POLICY)):
            assert item.__doc__, name


def test_typed_package_and_bundled_library():
    package_dir = Path(wsh.__file__).parent
    assert (package_dir / "py.typed").is_file()
    if not os.environ.get("WSH_LIBRARY"):
        assert Path(wsh.library_path).parent == package_dir, "the library is bundled"


def test_result_codes_match_the_header():
    header = HEADER_FILE.read_text()
    body = header.split("enum wsh_result", 1)[1].split("};", 1)[0]
    from_header = {name: int(value) for name, value in re.findall(r"WSH_(\w+) = (\d+)", body)}
    assert from_header == {member.name: member.value for member in ResultCode}


def test_decisions_match_the_header():
    header = HEADER_FILE.read_text()
    body = header.split("enum wsh_decision", 1)[1].split("};", 1)[0]
    from_header = {
        name: int(value) for name, value in re.findall(r"WSH_DECISION_(\w+) = (\d+)", body)
    }
    assert from_header == {member.name: member.value for member in Decision}


def test_result_code_helpers():
    assert ResultCode.REQUEST_ORIGIN_NOT_ALLOWED.http_status == 403
    assert ResultCode.REQUEST_ORIGIN_NOT_ALLOWED.is_request_error
    assert not ResultCode.WRONG_STATE.is_request_error
    assert ResultCode.OK.http_status == 0
    assert ResultCode.OK.description
    assert Decision.UPGRADE_OTHER.is_upgrade and Decision.UPGRADE_OTHER.is_decided
    assert not Decision.NEED_MORE.is_decided
    assert Decision.NOT_UPGRADE_HTTP10.is_plain_http and not Decision.REJECTED.is_plain_http


def test_error_hierarchy():
    assert issubclass(wsh.InvalidRequest, wsh.HandshakeError)
    assert issubclass(wsh.HandshakeError, Exception)
    assert not issubclass(wsh.HandshakeError, ValueError)
    for cls in (wsh.StateError, wsh.InvalidHeader, wsh.SubprotocolNotOffered, wsh.ConfigError):
        assert issubclass(cls, wsh.UsageError)
        assert issubclass(cls, ValueError)
    error = wsh.InvalidRequest(ResultCode.REQUEST_MISSING_KEY, response=b"x")
    assert (error.status, error.response) == (400, b"x")
    assert "REQUEST_MISSING_KEY" in repr(error)


def test_wrong_library_path_is_reported(tmp_path):
    env = dict(os.environ, WSH_LIBRARY=str(tmp_path / "missing.so"))
    run = run_python("import wshandshake", env=env)
    assert run.returncode != 0
    assert "WSH_LIBRARY" in run.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a second library file")
def test_wsh_library_selects_another_build(tmp_path):
    import shutil

    copy = tmp_path / "libcopy.so"
    shutil.copyfile(_ffi.library_path, copy)
    env = dict(os.environ, WSH_LIBRARY=str(copy))
    run = run_python("import wshandshake; print(wshandshake.library_path)", env=env, check=True)
    assert run.stdout.strip() == str(copy)


def test_error_mapping_by_code_range():
    from wshandshake._errors import error_for

    assert isinstance(error_for(ResultCode.WRONG_STATE), wsh.StateError)
    assert isinstance(error_for(ResultCode.INVALID_ARGUMENT), wsh.UsageError)
    assert isinstance(error_for(ResultCode.REQUEST_MISSING_KEY), wsh.InvalidUpgrade)
    assert isinstance(error_for(ResultCode.PANIC), wsh.InternalError)
    assert isinstance(error_for(ResultCode.POISONED), wsh.InternalError)
    client_side = error_for(ResultCode.RESPONSE_WRONG_ACCEPT)
    assert isinstance(client_side, wsh.HandshakeError)
    assert not isinstance(client_side, ValueError)


def test_package_version_is_the_crates():
    from wshandshake import _version

    cargo = (Path(__file__).resolve().parents[3] / "Cargo.toml").read_text()
    package = cargo.split("[package]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'(?m)^version\s*=\s*"([^"]+)"', package).group(1) == _version.__version__
    assert wsh.__version__ == _version.__version__ == wsh.library_version


def test_a_library_of_another_version_is_refused(tmp_path):
    import shutil

    # A copy of the package that claims another version, given the library
    # through WSH_LIBRARY: importing it must fail and say why.
    copy = tmp_path / "wshandshake"
    shutil.copytree(Path(wsh.__file__).parent, copy, ignore=shutil.ignore_patterns("*.so"))
    (copy / "_version.py").write_text('__version__ = "0.0.0-other"\n')
    env = dict(os.environ, WSH_LIBRARY=wsh.library_path, PYTHONPATH=str(tmp_path))
    result = run_python("import wshandshake", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "0.0.0-other" in result.stderr and wsh.library_version in result.stderr
    assert "must be the same version" in result.stderr


def test_each_error_range_holds_exactly_its_family_of_codes():
    from wshandshake import _codes

    families = {
        "REQUEST_": _codes.is_request_error,
        "RESPONSE_": _codes.is_response_error,
        "CONNECT_REQUEST_": _codes.is_connect_request_error,
        "CONNECT_RESPONSE_": _codes.is_connect_response_error,
    }
    for member in ResultCode:
        for prefix, in_family in families.items():
            assert in_family(member.value) == member.name.startswith(prefix), (prefix, member)
        inside = _codes.REQUEST_ERRORS_FIRST <= member.value < _codes.REQUEST_ERRORS_END
        assert member.is_request_error == inside == _codes.is_request_error(member.value)
    # The ranges' edges, where no member stands yet.
    assert [_codes.is_request_error(c) for c in (999, 1000, 1099, 1100)] == [False, True, True, False]
    assert _codes.LAST_PROGRESS_CODE == ResultCode.NEED_MORE == 1
