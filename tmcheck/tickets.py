"""Where a threat's ticket lives: `#123` is an issue of this repository, any other id goes
through the configured `ticket_url` template."""

from __future__ import annotations

from urllib.parse import quote

_MAX_TICKET = 200


def ticket_link(ticket: str | None, template: str | None, issues_url: str | None) -> str | None:
    """The URL of `ticket`: `issues_url/123` for `#123` (when the repository is known), else
    `template` with `{ticket}` replaced by the id, percent-encoded; None when neither applies."""
    if not ticket:
        return None
    ticket = ticket.strip()
    if not ticket or len(ticket) > _MAX_TICKET:
        return None
    number = ticket[1:] if ticket.startswith("#") else ""
    if number.isascii() and number.isdigit():
        return f"{issues_url.rstrip('/')}/{int(number)}" if issues_url else None
    if template is None:
        return None
    return template.replace("{ticket}", quote(ticket, safe=""))


def for_markdown_url(url: str) -> str:
    """`url` as a Markdown link destination: nothing in it can close the link or the cell."""
    return quote(url, safe=":/?#@!$&+,;=%-._~")
