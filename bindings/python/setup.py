"""Build hook for the ``wshandshake`` Python package.

The package is pure Python (ctypes) plus one native file: the Rust library
``libwshandshake.so`` (``.dylib`` on macOS, ``wshandshake.dll`` on Windows).
``build_py`` compiles it with ``cargo build --release`` and copies it next to
the Python modules, so ``pip install ./bindings/python`` and
``pip wheel ./bindings/python`` need nothing else than cargo on PATH. The wheel
is tagged ``py3-none-<platform>``: it works with any Python 3 (no extension
module) but only on the platform the library was built for, and the platform
is read from the library itself (its ELF machine), so a cross-built library
gives a wheel for its own architecture. cargo strips the library
(``CARGO_PROFILE_RELEASE_STRIP=symbols`` unless set otherwise).
``build-wheel.sh`` makes the release wheel: the library linked against glibc
2.17 with cargo-zigbuild, repaired by auditwheel to ``manylinux_2_17``.

Where the Rust crate is found, in order:
1. ``rust/`` beside this file (an sdist made by ``python -m build`` copies the
   crate there, so the sdist builds on its own);
2. the nearest parent directory whose Cargo.toml is the ``wshandshake`` crate
   (a git checkout: ``bindings/python`` -> repository root).

Environment variables read at build time:
- ``WSH_PREBUILT_LIBRARY``: path of an already built library to bundle instead
  of running cargo (packagers, cross builds);
- ``CARGO``: the cargo executable (default: ``cargo`` on PATH, then
  ``~/.cargo/bin/cargo``); ``CARGO_TARGET_DIR``, ``CARGO_BUILD_TARGET`` and the
  other cargo variables are honoured by cargo itself.

The licence files (LICENSE-MIT, LICENSE-APACHE at the repository root) are
copied beside this file when found, so the sdist and the wheel carry them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Command, Distribution, setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

try:  # setuptools >= 70.1 ships bdist_wheel itself
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the `wheel` package provides it
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
PACKAGE = "wshandshake"
# The C library's package at the workspace root and its lib target: cargo
# builds libwshandshake_ffi.so, bundled under the installed name below.
CRATE = "wshandshake-ffi"
LIB_TARGET = "wshandshake_ffi"

if sys.platform == "win32":
    LIBRARY_FILE = "wshandshake.dll"
    BUILT_FILE = "wshandshake_ffi.dll"
elif sys.platform == "darwin":
    LIBRARY_FILE = "libwshandshake.dylib"
    BUILT_FILE = "libwshandshake_ffi.dylib"
else:
    LIBRARY_FILE = "libwshandshake.so"
    BUILT_FILE = "libwshandshake_ffi.so"

# What an sdist needs to build the crate on its own (copied into rust/).
CRATE_FILES = ("Cargo.toml", "Cargo.lock", "build.rs", "cbindgen.toml")
# engine/ is the workspace member the library depends on; benches/ too: Cargo refuses a manifest whose declared targets
# ([[bench]], [[example]]) have no source file, even to build only the library.
CRATE_DIRS = ("src", "engine", "include", "benches")


def _is_our_crate(directory: Path) -> bool:
    manifest = directory / "Cargo.toml"
    if not manifest.is_file():
        return False
    text = manifest.read_text(encoding="utf-8")
    return re.search(r'(?m)^name\s*=\s*"' + CRATE + r'"\s*$', text) is not None


def find_crate() -> Path | None:
    """The directory of the Rust crate, or None when there is none around."""
    bundled = HERE / "rust"
    if _is_our_crate(bundled):
        return bundled
    for parent in HERE.parents:
        if _is_our_crate(parent):
            return parent
    return None


def crate_version() -> str:
    """The [package] version of the crate: the Python package uses the same."""
    crate = find_crate()
    if crate is None:
        # Building from an unpacked sdist made without the crate (should not
        # happen) or from a copy of this directory alone: PKG-INFO still knows.
        pkg_info = HERE / "PKG-INFO"
        if pkg_info.is_file():
            match = re.search(r"(?m)^Version:\s*(\S+)", pkg_info.read_text(encoding="utf-8"))
            if match:
                return match.group(1)
        raise SystemExit(
            "wshandshake: cannot find the Rust crate (Cargo.toml) above "
            f"{HERE}; build from a checkout of the repository"
        )
    text = (crate / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'(?m)^version\s*=\s*"([^"]+)"', package)
    if match is None:
        raise SystemExit(f"wshandshake: no version in {crate / 'Cargo.toml'}")
    return match.group(1)


def _cargo() -> str:
    explicit = os.environ.get("CARGO")
    if explicit:
        return explicit
    found = shutil.which("cargo")
    if found:
        return found
    home_cargo = Path.home() / ".cargo" / "bin" / "cargo"
    if home_cargo.is_file():
        return str(home_cargo)
    raise SystemExit(
        "wshandshake: cargo (the Rust toolchain) is needed to build the bundled "
        "library: install it from https://rustup.rs, set CARGO, or set "
        "WSH_PREBUILT_LIBRARY to an already built library"
    )


def build_library() -> Path:
    """Builds the cdylib with cargo and returns its path (or the prebuilt one)."""
    prebuilt = os.environ.get("WSH_PREBUILT_LIBRARY")
    if prebuilt:
        path = Path(prebuilt)
        if not path.is_file():
            raise SystemExit(f"wshandshake: WSH_PREBUILT_LIBRARY={prebuilt} is not a file")
        return path
    crate = find_crate()
    if crate is None:
        raise SystemExit(
            f"wshandshake: cannot find the Rust crate above {HERE}; build from a "
            "checkout of the repository or set WSH_PREBUILT_LIBRARY"
        )
    command = [
        _cargo(),
        "build",
        "--release",
        "--lib",
        "--manifest-path",
        str(crate / "Cargo.toml"),
        # JSON messages on stdout name the exact file built, wherever
        # CARGO_TARGET_DIR or a --target triple puts it; diagnostics still go
        # to stderr as usual.
        "--message-format=json-render-diagnostics",
    ]
    print("wshandshake: " + " ".join(command), file=sys.stderr, flush=True)
    # A wheel carries no debug symbols (605 KB instead of 737 KB).
    env = dict(os.environ)
    env.setdefault("CARGO_PROFILE_RELEASE_STRIP", "symbols")
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, env=env)
    if result.returncode != 0:
        raise SystemExit(f"wshandshake: cargo build failed (exit {result.returncode})")
    built: Path | None = None
    for line in result.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") != "compiler-artifact":
            continue
        if message.get("target", {}).get("name") != LIB_TARGET:
            continue
        for filename in message.get("filenames", []):
            if Path(filename).name == BUILT_FILE:
                built = Path(filename)
    if built is None or not built.is_file():
        raise SystemExit(f"wshandshake: cargo did not report building {BUILT_FILE}")
    return built


class BuildPyWithLibrary(build_py):
    """build_py that also puts the compiled library into the package."""

    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            # pip builds in this directory: a build/ left by an earlier build
            # would put modules since deleted into the wheel.
            shutil.rmtree(Path(self.build_lib) / PACKAGE, ignore_errors=True)
        super().run()
        library = build_library()
        if getattr(self, "editable_mode", False):
            # `pip install -e`: the package is imported from src/, so the
            # library goes there (ignored by git).
            destination = HERE / "src" / PACKAGE / LIBRARY_FILE
        else:
            destination = Path(self.build_lib) / PACKAGE / LIBRARY_FILE
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, destination)
        print(f"wshandshake: bundled {library} as {destination}", file=sys.stderr)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs.append(str(Path(self.build_lib) / PACKAGE / LIBRARY_FILE))
        return outputs


class BinaryDistribution(Distribution):
    """The package carries a native library: install it as platform-specific
    (platlib, wheel root not purelib) although it has no extension module."""

    def has_ext_modules(self) -> bool:
        return True


#: ELF e_machine -> the architecture in a ``linux_<arch>`` wheel tag.
ELF_MACHINES = {3: "i686", 40: "armv7l", 62: "x86_64", 183: "aarch64", 243: "riscv64"}


def elf_platform(library: Path) -> str | None:
    """``linux_<arch>`` for an ELF shared library, None for other formats."""
    with open(library, "rb") as file:
        header = file.read(20)
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    byteorder = "little" if header[5] == 1 else "big"
    machine = int.from_bytes(header[18:20], byteorder)
    if machine == 21:  # EM_PPC64: the byte order names the architecture
        return "linux_ppc64le" if byteorder == "little" else "linux_ppc64"
    arch = ELF_MACHINES.get(machine)
    if arch is None:
        raise SystemExit(f"wshandshake: {library}: unknown ELF machine {machine}")
    return f"linux_{arch}"


class PlatformWheel(bdist_wheel):
    """A wheel tagged py3-none-<platform>: no extension module, one native library.

    The platform is the bundled library's: a cross-built library (see
    WSH_PREBUILT_LIBRARY) gives a wheel for its architecture, not the host's.
    """

    def get_tag(self) -> tuple[str, str, str]:
        _python, _abi, platform = super().get_tag()
        build_py = self.get_finalized_command("build_py")
        library = Path(build_py.build_lib) / PACKAGE / LIBRARY_FILE
        if library.is_file():
            platform = elf_platform(library) or platform
        return "py3", "none", platform


class SdistWithCrate(sdist):
    """An sdist that carries the Rust crate in rust/ so that it builds alone."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        crate = find_crate()
        if crate is None or crate == HERE / "rust":
            return
        target = Path(base_dir) / "rust"
        target.mkdir(exist_ok=True)
        for name in CRATE_FILES:
            if (crate / name).is_file():
                shutil.copyfile(crate / name, target / name)
        for name in CRATE_DIRS:
            if (crate / name).is_dir():
                shutil.copytree(crate / name, target / name, dirs_exist_ok=True)


class BuildLibrary(Command):
    """`python setup.py build_lib_only`: copy the library into src/ (development)."""

    description = "build the Rust library and copy it into src/wshandshake/"
    user_options: list[tuple[str, str | None, str]] = []

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        library = build_library()
        destination = HERE / "src" / PACKAGE / LIBRARY_FILE
        shutil.copyfile(library, destination)
        print(f"wshandshake: copied {library} to {destination}")


LICENSE_FILES = ("LICENSE-MIT", "LICENSE-APACHE")


def copy_license_files() -> None:
    """Copies the repository's licence files beside this file (see above)."""
    crate = find_crate()
    if crate is None or crate == HERE / "rust":
        return
    for name in LICENSE_FILES:
        if (crate / name).is_file():
            shutil.copyfile(crate / name, HERE / name)


def package_version() -> str:
    """The crate's version, which src/wshandshake/_version.py must repeat.

    The package checks at import that a library given by WSH_LIBRARY is of its
    own version, so the two files must agree; a stale _version.py fails here.
    """
    version = crate_version()
    text = (HERE / "src" / PACKAGE / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'(?m)^__version__ = "([^"]+)"', text)
    if match is None or match.group(1) != version:
        found = match.group(1) if match else "nothing"
        raise SystemExit(
            f"wshandshake: src/{PACKAGE}/_version.py says {found}, the crate is {version}: "
            "update _version.py"
        )
    return version


copy_license_files()

setup(
    version=package_version(),
    distclass=BinaryDistribution,
    cmdclass={
        "build_py": BuildPyWithLibrary,
        "bdist_wheel": PlatformWheel,
        "sdist": SdistWithCrate,
        "build_lib_only": BuildLibrary,
    },
)
