"""What must hold of every run on hostile input, whatever the case: the generic assertions."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from markdown_it import MarkdownIt

from tests.support.hostile_harness import ALWAYS_FORBIDDEN, RAW_CONTROL, Outcome

# The tags tmcheck's own report template produces; file content may add none.
REPORT_TAGS = frozenset(
    {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "a", "details",
     "summary", "sub", "blockquote", "strong", "pre"}
)  # fmt: skip
_SECTIONS = (
    r"Changes (in this pull request|in pull request #\d+|since the base) \(\d+\).*"
    r"|Blocking threats \(\d+\)|Open threats by likelihood and impact|Data flow"
)
LINK_PREFIX = "https://github.example/octo-org/octo-repo/blob/"
_COMMAND = re.compile(
    r"::(error|warning|notice) file=[^:,\r\n]*,line=\d+,col=\d+,title=tmcheck [a-z-]+::[^\r]*"
)


def assert_nothing_leaks(outcome: Outcome, forbidden: Iterable[str] = ()) -> None:
    everything = outcome.everything()
    for text in (*ALWAYS_FORBIDDEN, *forbidden):
        assert text not in everything, f"{text!r} in the output"
    assert not outcome.token_leaked, "the token was sent in a request"
    for name, text in [("stdout", outcome.stdout), ("stderr", outcome.stderr)]:
        raw = RAW_CONTROL.search(text)
        assert raw is None, f"raw {raw.group()!r} in {name}" if raw else ""


def assert_commands_inert(stdout: str) -> list[str]:
    """Every line the runner could take as a workflow command is one tmcheck meant; returns
    the annotation commands."""
    lines = stdout.split("\n")
    commands = []
    stop_token = None
    for line in lines:
        if not line.lstrip().startswith("::"):
            continue
        if line.startswith("::stop-commands::"):
            assert stop_token is None, "commands stopped twice"
            stop_token = line.removeprefix("::stop-commands::")
            assert re.fullmatch(r"[0-9a-f]{32}", stop_token), line
        elif stop_token and line == f"::{stop_token}::":
            continue
        else:
            assert _COMMAND.fullmatch(line), f"unexpected workflow command: {line!r}"
            commands.append(line)
    if stop_token:
        assert lines.count(f"::{stop_token}::") == 1
    return commands


def assert_markdown_safe(body: str) -> None:
    """A report body: our marker only, no raw controls, only our tags and links, no live
    mention or reference, and every table row as wide as its header."""
    assert body.startswith("<!-- tmcheck:report tmcheck -->\n"), body[:80]
    assert body.count("<!--") == 1, "a second HTML comment (a forged marker?)"
    raw = RAW_CONTROL.search(body)
    assert raw is None, f"raw {raw.group()!r} in the report" if raw else ""
    html = MarkdownIt("gfm-like").render(body)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= REPORT_TAGS, f"tags from file content: {sorted(tags - REPORT_TAGS)}"
    assert html.count("<h2>") == 1
    for heading in re.findall(r"<h3>(.*?)</h3>", html):  # only the report's own sections
        assert re.fullmatch(_SECTIONS, heading), f"a heading from file content: {heading!r}"
    for href in re.findall(r'<a href="([^"]*)"', html):
        assert href.startswith(LINK_PREFIX), f"a link from file content: {href}"
    assert not re.search(r"@[A-Za-z0-9]", html), "a live mention"
    assert not re.search(r"#\d", html), "a live issue reference"
    for table in re.findall(r"<table>(.*?)</table>", html, re.S):
        head, body = table.split("</thead>")
        width = len(re.findall(r"<th[ >]", head))
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = len(re.findall(r"<td[ >]", row))
            assert cells == width, f"a row breaks out of its table: {row[:300]}"


def assert_inert_markdown(body: str) -> None:
    """Text tmcheck wrote to a Markdown sink around an untrusted message (the job summary of a
    run that could not start): paragraphs and bold only, so no link, autolink, image or HTML,
    and no live mention or reference."""
    assert "<!--" not in body and RAW_CONTROL.search(body) is None
    html = MarkdownIt("gfm-like").render(body)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= {"p", "strong"}, f"tags from the message: {sorted(tags - {'p', 'strong'})}"
    assert not re.search(r"@[A-Za-z0-9]", html), "a live mention"
    assert not re.search(r"#\d", html), "a live issue reference"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.connections = 0
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._running = False
        self._thread.join()
        self._socket.close()


@contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    try:
        yield listener
    finally:
        listener.close()
