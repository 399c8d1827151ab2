"""The version that `coachbot --version` and `coachbot doctor` report."""

from __future__ import annotations

from importlib import metadata

from coachbot import __version__


def version() -> str:
    """The installed package's version; the source tree's when CoachBot is not installed
    (run from a checkout), so an operator always has something to quote in a bug report."""
    try:
        return metadata.version("coachbot")
    except metadata.PackageNotFoundError:
        return f"{__version__} (not installed)"
