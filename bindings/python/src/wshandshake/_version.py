"""The package version: the Rust crate's (Cargo.toml), checked by setup.py and a test."""

__version__ = "0.2.0"
