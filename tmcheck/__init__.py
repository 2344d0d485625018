"""tmcheck: check threat models in CI."""

from __future__ import annotations

__version__: str  # looked up on first use: importlib.metadata costs ~25 ms of every start


def __getattr__(name: str) -> str:
    if name != "__version__":
        raise AttributeError(f"module 'tmcheck' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("tmcheck")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
