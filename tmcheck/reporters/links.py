"""Links from a report to the lines of the files it names, in one commit of a repository."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from tmcheck.escape import for_markdown


@dataclass(frozen=True, slots=True)
class Links:
    """Where `path:line` links point: the file at the line in one commit of a repository (or on
    one branch: issues link the default branch, so a push that does not touch a threat does
    not change its issue)."""

    server_url: str = "https://github.com"
    repository: str | None = None  # owner/name; None renders plain `path:line`
    commit: str | None = None  # or a branch

    def to(self, path: str, line: int) -> str:
        where = for_markdown(f"{path}:{line}")
        if not self.repository or not self.commit:
            return where
        url = f"{self.server_url}/{self.repository}/blob/{quote(self.commit)}/{quote(path)}#L{line}"
        return f"[{where}]({url})"
