"""tmcheck: check threat models in CI."""

from __future__ import annotations

from tmcheck._version import __version__

__all__ = ["__version__"]
