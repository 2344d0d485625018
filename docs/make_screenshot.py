"""Regenerate docs/comment.md and docs/comment.png: the PR comment of the fixture pull request.

    python docs/make_screenshot.py            # both (needs chromium)
    python docs/make_screenshot.py --markdown # docs/comment.md only

The fixture (`tests/support/fixture_pr.py`) is a real git repository with two commits; the comment is
rendered as the action renders it, turned into HTML with markdown-it-py (GitHub-flavoured:
tables, strikethrough, autolinks) in a GitHub-like page with the short `<details>` open, and
photographed by headless Chromium. GitHub draws the Mermaid block as a diagram; here it is drawn
by the Mermaid package the tests install (`tests/mermaid/`), or shown as its source when that is
not installed. Emoji need a colour emoji font (Debian: fonts-noto-color-emoji).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.fixture_comment import render_comment  # noqa: E402
from tests.support.fixture_pr import make_pull_request  # noqa: E402
from tests.support.mermaid_parser import mermaid_script  # noqa: E402

DOCS = REPO / "docs"
WIDTH = 1100
MAX_OPEN_ROWS = 12
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--allow-file-access-from-files",
    "--virtual-time-budget=8000",  # lets Mermaid draw before the page is taken
]
STYLE = """
body { margin: 0; background: #f6f8fa; }
.comment { box-sizing: border-box; width: 1040px; margin: 24px auto; background: #fff;
  border: 1px solid #d1d9e0; border-radius: 6px; }
.header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0;
  border-radius: 6px 6px 0 0; color: #59636e; font-size: 14px; }
.header b { color: #1f2328; }
.markdown-body { padding: 16px 24px; color: #1f2328; font-size: 14px; line-height: 1.5;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial,
  sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
.markdown-body h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em;
  margin: 8px 0 16px; font-weight: 600; }
.markdown-body h3 { font-size: 1.25em; margin: 24px 0 16px; font-weight: 600; }
.markdown-body p { margin: 0 0 16px; }
.markdown-body a { color: #0969da; text-decoration: none; }
.markdown-body code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas,
  "Liberation Mono", monospace; font-size: 85%; background: #eff1f3; border-radius: 6px;
  padding: .2em .4em; }
.markdown-body pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto;
  font-size: 85%; line-height: 1.45; }
.markdown-body pre code { background: none; padding: 0; font-size: 100%; }
.markdown-body table { border-collapse: collapse; margin: 0 0 16px; display: block;
  width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th, .markdown-body td { border: 1px solid #d1d9e0; padding: 6px 13px; }
.markdown-body th { font-weight: 600; background: #f6f8fa; }
.markdown-body tr:nth-child(2n) td { background: #f6f8fa; }
.markdown-body details { margin: 0 0 16px; }
.markdown-body summary { cursor: pointer; font-weight: 600; margin-bottom: 8px; }
.markdown-body sub { color: #59636e; }
.markdown-body .mermaid { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px;
  padding: 16px; margin: 0 0 16px; text-align: center; }
"""


def _open_if_short(details: re.Match[str]) -> str:
    """Open a folded section, so that the picture shows it, unless it is long (GitHub shows
    every section folded; a long one would only push the rest out of the picture)."""
    rows = details.group(1).count("<tr>") - 1
    return f"<details{' open' if rows <= MAX_OPEN_ROWS else ''}>{details.group(1)}"


def to_html(markdown: str, mermaid_js: Path | None) -> str:
    """The comment as GitHub would show it, with its short folded sections open."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("gfm-like").render(markdown)
    body = re.sub(r"<details>(.*?</details>)", _open_if_short, body, flags=re.S)
    script = ""
    if mermaid_js is not None:
        # GitHub draws ```mermaid blocks; so does the Mermaid package, when it is there.
        body = re.sub(
            r'<pre><code class="language-mermaid">(.*?)</code></pre>',
            lambda m: f'<pre class="mermaid">{m.group(1)}</pre>',
            body,
            flags=re.S,
        )
        script = (
            f'<script src="{mermaid_js.as_uri()}"></script>\n<script>mermaid.initialize('
            '{startOnLoad: true, securityLevel: "strict", theme: "default"});</script>'
        )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>tmcheck comment</title><style>{STYLE}</style></head>
<body><div class="comment"><div class="header"><b>github-actions</b> <span>bot</span>
commented</div><div class="markdown-body">
{body}</div></div>{script}
<script>window.addEventListener("load", () => setTimeout(() => document.body.setAttribute(
  "data-height", String(document.documentElement.scrollHeight)), 1500));</script>
</body></html>
"""


def _chromium(page: Path, profile: Path, height: int, *extra: str) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    command += [f"--window-size={WIDTH},{height}", *extra, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise SystemExit(f"chromium failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def screenshot(page: Path, png: Path, work: Path) -> None:
    """Measure the page, then photograph all of it."""
    dom = _chromium(page, work / "profile-measure", 1000, "--dump-dom")
    found = re.search(r'data-height="(\d+)"', dom)
    if found is None:
        raise SystemExit("could not measure the page (no data-height in the DOM)")
    height = int(found.group(1)) + 8
    _chromium(page, work / "profile-shoot", height, f"--screenshot={png}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--markdown", action="store_true", help="write docs/comment.md only")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tmcheck-screenshot-") as temporary:
        work = Path(temporary)
        repository = work / "checkout"
        repository.mkdir()
        base, head = make_pull_request(repository)
        markdown = render_comment(repository, base, head)
        (DOCS / "comment.md").write_text(markdown, encoding="utf-8")
        print(f"wrote {DOCS / 'comment.md'} ({len(markdown)} characters)")
        if arguments.markdown:
            return 0
        mermaid = mermaid_script()
        if mermaid is None:
            print("the Mermaid package is not installed: the diagram is shown as its source")
        page = work / "comment.html"
        page.write_text(to_html(markdown, mermaid), encoding="utf-8")
        screenshot(page, DOCS / "comment.png", work)
        print(f"wrote {DOCS / 'comment.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
