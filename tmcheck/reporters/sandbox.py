"""Report templates: the Jinja2 sandbox, and a separate process for templates a repository sets.

Jinja's sandbox keeps a template away from Python's internals (`cycler.__init__.__globals__`
raises SecurityError), but it bounds neither time nor memory: `{% for a in s %}{% for b in s %}`
loops for hours without printing, and `'a' * 10**9` builds a gigabyte. So a configured template
is rendered by a child process with hard limits: CPU time, address space and output size, no
environment (no token to find), run isolated (`python -I`) from a neutral directory, and waited
for a bounded time. The package's own template is rendered in process.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tmcheck.escape import for_markdown

TEMPLATE_CPU_SECONDS = 1  # a configured template: CPU time of its renderer
TEMPLATE_WALL_SECONDS = 5  # ... and how long tmcheck waits for it at most
TEMPLATE_MEMORY_BYTES = 128 * 1024 * 1024  # ... and the memory it may add
DEFAULT_SECONDS = 5.0  # the package's template, checked between chunks
_MARKUP = "__tmcheck_markup__"


class TemplateError(Exception):
    """A template that does not compile, fails, breaks the sandbox, or takes too much."""


def environment() -> Any:
    """The sandbox every template runs in: each `{{ value }}` is Markdown-escaped unless the
    code built it as Markup (links and code spans it made safe itself)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup

    escaped: dict[str, str] = {}  # the same rows are rendered at several budget steps

    def finalize(value: object) -> object:
        if isinstance(value, Markup):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = str(value)
        if text not in escaped:
            escaped[text] = for_markdown(text, limit=1000)
        return escaped[text]

    return SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        keep_trailing_newline=True,
    )


def compile_template(source: str) -> Any:
    from jinja2 import TemplateError as JinjaError

    try:
        return environment().from_string(source)
    except JinjaError as error:
        raise TemplateError(f"the template does not compile: {error}") from None


def generate(compiled: Any, context: Mapping[str, Any], budget: int, seconds: float) -> str:
    """Render, stopping once the output passes `budget`; the time is checked between chunks."""
    deadline = time.monotonic() + seconds
    parts: list[str] = []
    size = 0
    try:
        chunks: Iterator[str] = compiled.generate(context)
        for chunk in chunks:
            parts.append(chunk[: budget + 1 - size])
            size += len(parts[-1])
            if size > budget:
                break
            if time.monotonic() > deadline:
                raise TemplateError(f"the template took longer than {seconds:.0f} s")
    except TemplateError:
        raise
    except Exception as error:  # SecurityError, and what the sandbox lets through (OverflowError)
        raise TemplateError(f"the template failed: {type(error).__name__}: {error}") from None
    return "".join(parts)


def render_isolated(source: str, contexts: Sequence[Mapping[str, Any]], budget: int) -> str:
    """The first of `contexts` whose rendering fits `budget` (else the last), rendered from
    `source` in a child process under the limits above."""
    payload = json.dumps(
        {"source": source, "contexts": [_encode(c) for c in contexts], "budget": budget}
    )
    command = [sys.executable, "-I", "-m", "tmcheck.reporters.sandbox"]
    with tempfile.TemporaryDirectory(prefix="tmcheck-template-") as neutral:
        try:
            completed = subprocess.run(
                command,
                input=payload.encode("utf-8"),
                capture_output=True,
                timeout=TEMPLATE_WALL_SECONDS,
                cwd=neutral,
                env={"LC_ALL": "C.UTF-8"},
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TemplateError(
                f"the template took longer than {TEMPLATE_WALL_SECONDS} s"
            ) from None
    if completed.returncode < 0:
        stop = signal.Signals(-completed.returncode)
        if stop in (signal.SIGXCPU, signal.SIGKILL):
            raise TemplateError(f"the template used more than {TEMPLATE_CPU_SECONDS} s of CPU")
        raise TemplateError(f"the template's renderer stopped ({stop.name})")
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        answer = {}
    if not isinstance(answer, dict) or not isinstance(answer.get("text"), str):
        error = answer.get("error") if isinstance(answer, dict) else None
        failed = f"the template's renderer failed (exit {completed.returncode})"
        raise TemplateError(str(error or failed))
    text: str = answer["text"]
    return text


def _encode(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return {_MARKUP: str(value)}
    if isinstance(value, Mapping):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, dict):
        if len(value) == 1 and _MARKUP in value:
            return Markup(value[_MARKUP])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _limit_self() -> None:
    """Hard limits for this (child) process: CPU time, and memory above what it uses now."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (TEMPLATE_CPU_SECONDS, TEMPLATE_CPU_SECONDS + 1))
    used = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    used = int(line.split()[1]) * 1024
    except OSError:
        used = 256 * 1024 * 1024
    limit = used + TEMPLATE_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child() -> int:
    request = json.loads(sys.stdin.buffer.read())
    import jinja2  # noqa: F401  # loaded before the memory limit is set

    _limit_self()
    try:
        compiled = compile_template(request["source"])
        text = ""
        for context in request["contexts"]:
            text = generate(compiled, _decode(context), request["budget"], TEMPLATE_WALL_SECONDS)
            if len(text) <= request["budget"]:
                break
        answer = {"text": text}
    except TemplateError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"error": f"the template used more than {TEMPLATE_MEMORY_BYTES >> 20} MB"}
    except Exception as error:  # whatever else a template provokes is its failure, not ours
        answer = {"error": f"the template failed: {type(error).__name__}"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
