"""`issues: sync`: one GitHub issue per open threat at or above the threshold or past its SLA.

Each issue starts with a hidden marker naming the check and the threat (a hash of its id, or of
its file and title when it has none); only issues this token's identity opened whose body
starts with exactly that marker are adopted, so a copied marker in someone else's issue is
never taken over and no threat gets two issues. An issue is created when its threat needs
tracking, updated when what it says changes (level, status, due date, owner, where), closed with
a comment when the threat is mitigated, accepted, lowered or removed, and reopened when the
threat reopens. Nothing is written when nothing changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tmcheck.escape import for_markdown
from tmcheck.model import Threat
from tmcheck.reporters.links import Links
from tmcheck.results import RunResult
from tmcheck.scoring import word_key
from tmcheck.tickets import for_markdown_url, ticket_link
from tmcheck.wording import shorten

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient, IssueInfo

TRACKING_LABEL = "threat-model"
LABEL_COLORS: Mapping[str, str] = {
    TRACKING_LABEL: "5319e7",
    "risk:critical": "b60205",
    "risk:high": "d93f0b",
    "risk:medium": "fbca04",
    "risk:low": "0e8a16",
    "risk:info": "c5def5",
}
TITLE_LIMIT = 256  # GitHub's limit for an issue title
_MARKER_PREFIX = "<!-- tmcheck:issue "


@dataclass
class SyncReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(numbers)} {what}"
            for what, numbers in (
                ("created", self.created),
                ("updated", self.updated),
                ("reopened", self.reopened),
                ("closed", self.closed),
                ("unchanged", self.kept),
            )
            if numbers
        ]
        return ", ".join(parts) or "nothing to track"


def issue_marker(check_name: str, threat: Threat) -> str:
    """The first line of the threat's issue: the check's name and a hash of the threat."""
    identity = f"id:{threat.id}" if threat.id else f"title:{threat.entry.path}:{threat.entry.title}"
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    name = "".join(char for char in check_name if char.isalnum() or char in "._-")[:60]
    return f"{_MARKER_PREFIX}{name} {digest} -->"


def tracked_threats(result: RunResult) -> list[Threat]:
    """Open threats at or above the threshold (blocking, or older debt under gate: new) or
    past their SLA; the first of each marker when ids repeat."""
    debt = {id(threat) for threat in result.debt}
    return [
        threat
        for threat in result.threats
        if threat.open
        and (
            threat.blocking
            or id(threat) in debt
            or (threat.clock is not None and threat.clock.overdue)
        )
    ]


def issue_title(threat: Threat) -> str:
    title = " ".join(f"{threat.label}: {threat.entry.title}".split())
    text = "".join(char if char.isprintable() else " " for char in f"[tmcheck] {title}")
    return shorten(text, TITLE_LIMIT)


def issue_body(
    marker: str,
    threat: Threat,
    result: RunResult,
    where: Links,
    owners: Mapping[str, Sequence[str]],
) -> str:
    """The issue's text: only absolute facts (no "in 3 days"), so it changes when they do."""
    entry = threat.entry
    treatment = (result.treatment or {}).get(threat.risk_level or "")
    clock = threat.clock
    if clock is None:
        due = "no SLA clock"
    elif clock.due is not None:
        due = clock.due.isoformat() + (" (**overdue**)" if clock.overdue else "")
        origin = "identified" if clock.source == "identified" else "first recorded at this level"
        due += f"; clock started {clock.start.isoformat() if clock.start else '?'} ({origin})"
    elif clock.start is not None:
        due = f"no SLA for {threat.risk_level}"
    else:
        due = f"unknown: {for_markdown(clock.unknown or 'no start')}"
    status = entry.status if isinstance(entry.status, str) else threat.status
    owner = for_markdown(entry.owner) if entry.owner else "none"
    logins = owners.get(word_key(entry.owner)) if entry.owner else None
    if logins:
        owner += " (" + ", ".join(f"`{login}`" for login in logins) + ")"
    rows = [
        ("Threat", for_markdown(entry.title) or "(untitled)"),
        ("Level", f"{threat.risk_level or 'unrated'} ({for_markdown(threat.rating)})"),
        ("Status", for_markdown(str(status))),
        ("Owner", owner),
        ("Due", due),
    ]
    if treatment is not None:
        rows.append(
            (
                "Treatment",
                f"{for_markdown(treatment.action)}; SLA {for_markdown(treatment.sla_text)};"
                f" acceptance needs {for_markdown(treatment.approver)}",
            )
        )
    if entry.ticket:
        issues = f"{where.server_url}/{where.repository}/issues"
        url = ticket_link(entry.ticket, result.ticket_url, issues)
        text = for_markdown(entry.ticket)
        rows.append(("Ticket", f"[{text}]({for_markdown_url(url)})" if url else text))
    rows.append(("Where", where.to(entry.path, entry.line)))
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        f"{marker}\n"
        f"tmcheck tracks this open threat until it is mitigated, accepted or removed from the"
        f" threat model; this issue is closed then.\n\n| | |\n|---|---|\n{table}\n"
    )


def labels_for(threat: Threat, current: Iterable[str] = ()) -> list[str]:
    """The tracking label and the threat's risk label, keeping labels people added."""
    kept = [label for label in current if not label.startswith("risk:") and label != TRACKING_LABEL]
    return [TRACKING_LABEL, f"risk:{threat.risk_level or 'unrated'}", *kept]


def sync_issues(
    client: GitHubClient,
    result: RunResult,
    *,
    check_name: str,
    where: Links,
    owners: Mapping[str, Sequence[str]],
    complete: bool,
    say: Callable[[str], None],
) -> SyncReport:
    """Bring the repository's threat issues in line with `result`. `complete` says every
    threat model was read: only then is a threat missing from the run "removed"."""
    from tmcheck.github.client import Unavailable

    author = client.identity()
    if author is None:  # then no issue could be told ours: adopting one would be a guess
        raise Unavailable("this token's identity is unknown, so are the issues it opened")
    existing: dict[str, IssueInfo] = {}
    for listed in client.issues_by(author):
        first_line = listed.body.split("\n", 1)[0].rstrip("\r")
        if first_line.startswith(_MARKER_PREFIX) and first_line.endswith(" -->"):
            existing.setdefault(first_line, listed)  # the oldest wins if one was ever doubled
    report = SyncReport()
    wanted: dict[str, Threat] = {}
    for threat in tracked_threats(result):
        wanted.setdefault(issue_marker(check_name, threat), threat)
    every = {issue_marker(check_name, threat): threat for threat in result.threats}
    if wanted:
        client.ensure_labels(dict(LABEL_COLORS))
    for marker, threat in wanted.items():
        body = issue_body(marker, threat, result, where, owners)
        title = issue_title(threat)
        issue = existing.get(marker)
        if issue is None:
            assignees = list(owners.get(word_key(threat.entry.owner or ""), ()))
            created = _create(
                client, title, body, labels_for(threat), assignees, author, marker, say
            )
            report.created.append(created.number)
            continue
        labels = labels_for(threat, issue.labels)
        changes: dict[str, object] = {}
        if issue.title != title:
            changes["title"] = title
        if issue.body != body:
            changes["body"] = body
        if sorted(issue.labels) != sorted(labels):
            changes["labels"] = labels
        if issue.state != "open":
            changes["state"] = "open"
            client.edit_issue(issue.number, **changes)
            client.comment_on_issue(
                issue.number, f"{_name(threat)} is open again ({_status(threat)}): reopened."
            )
            report.reopened.append(issue.number)
        elif changes:
            client.edit_issue(issue.number, **changes)
            report.updated.append(issue.number)
        else:
            report.kept.append(issue.number)
    for marker, issue in existing.items():
        if marker in wanted or issue.state != "open":
            continue
        threat_now = every.get(marker)
        if threat_now is None and not complete:
            report.notes.append(
                f"issue #{issue.number} stays open: its threat was not in this run, but not"
                " every threat model could be read"
            )
            continue
        reason = _closing_reason(threat_now)
        client.comment_on_issue(issue.number, reason)
        state_reason = "not_planned" if threat_now is not None and threat_now.status in (
            "accepted", "not_applicable", "false_positive", "transferred",
        ) else "completed"  # fmt: skip
        client.edit_issue(issue.number, state="closed", state_reason=state_reason)
        report.closed.append(issue.number)
    return report


def _create(
    client: GitHubClient,
    title: str,
    body: str,
    labels: list[str],
    assignees: list[str],
    author: str,
    marker: str,
    say: Callable[[str], None],
) -> IssueInfo:
    """Create the issue; after a failure look for it again (a POST that timed out may have
    been done) and retry once without assignees (a login that may not be assigned is 422)."""
    from tmcheck.github.client import Forbidden, Unavailable

    try:
        return client.create_issue(title, body, labels, assignees)
    except Forbidden:
        raise
    except Unavailable as error:
        for issue in client.issues_by(author):
            if issue.body.split("\n", 1)[0].rstrip("\r") == marker:
                return issue
        if not assignees or not str(error).startswith("422"):
            raise
        say(f"tmcheck: could not assign {', '.join(assignees)} ({error}); created unassigned")
        return client.create_issue(title, body, labels, [])


def _name(threat: Threat) -> str:
    return for_markdown(threat.label)


def _status(threat: Threat) -> str:
    status = threat.entry.status if isinstance(threat.entry.status, str) else threat.status
    return for_markdown(str(status))


def _closing_reason(threat: Threat | None) -> str:
    if threat is None:
        return "This threat is no longer in the threat model: closed by tmcheck."
    if not threat.open:
        return f"{_name(threat)} is now {_status(threat)}: closed by tmcheck."
    return (
        f"{_name(threat)} is now {threat.risk_level or 'unrated'}, below the threshold, and"
        " within its SLA: closed by tmcheck."
    )


SYNC_EVENTS = ("push", "schedule", "workflow_dispatch")


def sync_from_action(
    client: GitHubClient | None,
    result: RunResult,
    *,
    event_name: str,
    on_default_branch: bool,
    check_name: str,
    where: Links,
    owners: Mapping[str, Sequence[str]],
    say: Callable[[str], None],
) -> str | None:
    """`issues: sync` in the action: the sync where the event allows it, one log line saying what
    it did or why not, and, when GitHub refused or failed, Markdown for the job summary."""
    from tmcheck.github.client import Forbidden, Unavailable

    if event_name not in SYNC_EVENTS:
        say(f"tmcheck: issues: sync runs on {', '.join(SYNC_EVENTS)}, not on {event_name}")
        return None
    if event_name != "schedule" and not on_default_branch:
        say("tmcheck: issues: sync runs only on the default branch")
        return None
    if client is None:
        say("tmcheck: issues: sync needs a token; the threats to track are in the job summary")
        return _summary_section(result, where)
    complete = not any(
        finding.rule in ("read-error", "parse-error", "internal-error", "too-many-files")
        for finding in result.findings
    )
    try:
        report = sync_issues(
            client, result, check_name=check_name, where=where, owners=owners,
            complete=complete, say=say,
        )  # fmt: skip
    except Forbidden as error:
        say(
            f"tmcheck: cannot sync issues ({error}): the workflow needs `permissions: issues:"
            " write`; the threats to track are in the job summary"
        )
        return _summary_section(result, where)
    except Unavailable as error:
        say(f"tmcheck: cannot sync issues ({error}); the threats to track are in the job summary")
        return _summary_section(result, where)
    say(f"tmcheck: issues: {report.summary()}")
    for note in report.notes:
        say(f"tmcheck: {note}")
    return None


def _summary_section(result: RunResult, where: Links) -> str:
    threats = tracked_threats(result)
    lines = [f"\n### Threats to track in issues ({len(threats)})\n"]
    if not threats:
        lines.append("None: no open threat is at or above the threshold or past its SLA.\n")
    for threat in threats:
        due = threat.clock.due.isoformat() if threat.clock and threat.clock.due else "unknown"
        overdue = " (overdue)" if threat.clock and threat.clock.overdue else ""
        lines.append(
            f"- {for_markdown(issue_title(threat))}: {threat.risk_level}, due {due}{overdue},"
            f" {where.to(threat.entry.path, threat.entry.line)}"
        )
    return "\n".join(lines) + "\n"
