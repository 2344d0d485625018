"""A repository of ordinary files with one threat model: a walk reports that model alone.

Kubernetes manifests, a Helm template, an Ansible playbook, a CloudFormation template with
`!Sub`, a `tsconfig.json` with comments, a JSON array, prose Markdown with a table, and a
git-ignored build folder are what real repositories hold next to their threat model; none of
them is one, so a walk skips them without a finding (and `-v` says why).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES

ORDINARY: dict[str, str] = {
    "deploy/k8s/app.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: shop}\nspec: {ports: [{port: 80}]}\n"
    ),
    "deploy/chart/templates/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        '  name: {{ include "shop.fullname" . }}\n'
        '  labels:\n    {{- include "shop.labels" . | nindent 4 }}\n'
        "spec:\n  replicas: {{ .Values.replicaCount }}\n"
    ),
    "ansible/site.yml": (
        "- hosts: web\n  become: true\n  tasks:\n"
        "    - name: install nginx\n      ansible.builtin.apt: {name: nginx, state: present}\n"
    ),
    "infra/cloudformation.yaml": (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n"
        "    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: !Sub '${AWS::StackName}-assets'\n"
    ),
    "web/tsconfig.json": (
        '{\n  // strict mode for the shop front end\n  "compilerOptions": {"strict": true,},\n}\n'
    ),
    "web/package.json": '{"name": "shop-web", "version": "1.0.0", "scripts": {"build": "vite"}}\n',
    "data/countries.json": '[{"code": "DE", "name": "Germany"}, {"code": "FR", "name": "France"}]\n',
    "ARCHITECTURE.md": (
        "# Architecture\n\nThe shop has a web front end and an API.\n\n"
        "| Part | Language | Notes |\n|------|----------|-------|\n| API | Go | stateless |\n\n"
        "## Threats\n\nSee the worksheet in docs/threat-model.\n"
    ),
    "README.md": "# Shop\n\n```yaml\nthreats:\n  - id: X\n```\n",
    ".gitignore": "build/\n",
    # Ignored by git: a stale copy that no longer parses.
    "build/docs/threat-model/stride-worksheet.yaml": "threats: [\n",
}
WORKSHEET = "docs/threat-model/stride-worksheet.yaml"


def _repository(root: Path) -> None:
    for name, text in ORDINARY.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / WORKSHEET).parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "seed" / "stride-worksheet.yaml", root / WORKSHEET)
    git(root, "init", "-q")
    git(root, "add", "deploy", "ansible", "infra", "ARCHITECTURE.md", ".gitignore", WORKSHEET)
    git(root, "commit", "-qm", "shop")  # web/, data/ and README.md stay untracked


def _findings(run_cli: RunCli, cwd: Path, *args: str) -> tuple[list[str], dict[str, int], int]:
    result = run_cli("check", "--no-config", "--format", "json", *args, cwd=cwd)
    report = json.loads(result.stdout)
    lines = [f"{f['path']}:{f['line']} {f['rule']} {f['message']}" for f in report["findings"]]
    return lines, report["summary"], result.code


def test_a_walk_reports_exactly_the_worksheets_findings(run_cli: RunCli, tmp_path: Path) -> None:
    _repository(tmp_path)
    alone = _findings(run_cli, tmp_path, WORKSHEET)
    walked = _findings(run_cli, tmp_path)
    assert alone[0]  # the worksheet has findings of its own
    assert walked == alone
    assert walked[1]["files"] == 1


def test_verbose_lists_what_the_walk_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    _repository(tmp_path)
    result = run_cli("check", "--no-config", "-v", cwd=tmp_path)
    skipped = sorted(line.split(":")[0] for line in result.stderr.splitlines())
    assert skipped == [
        "skipped ARCHITECTURE.md", "skipped README.md", "skipped ansible/site.yml",
        "skipped data/countries.json", "skipped deploy/chart/templates/deployment.yaml",
        "skipped deploy/k8s/app.yaml", "skipped infra/cloudformation.yaml",
        "skipped web/package.json", "skipped web/tsconfig.json",
    ]  # fmt: skip
    assert "build/" not in result.stderr + result.stdout  # git ignores it


def test_outside_git_the_directory_is_walked(run_cli: RunCli, tmp_path: Path) -> None:
    _repository(tmp_path)
    shutil.rmtree(tmp_path / ".git")
    findings, _, code = _findings(run_cli, tmp_path)
    # Without git, nothing says build/ is ignored: its path says threat model, so its parse
    # error is reported.
    assert any(
        line.startswith("build/docs/threat-model/stride-worksheet.yaml:") for line in findings
    )
    assert code == 1


@pytest.mark.parametrize("name", ["ARCHITECTURE.md", "deploy/k8s/app.yaml"])
def test_named_ordinary_files(run_cli: RunCli, tmp_path: Path, name: str) -> None:
    """Named, prose Markdown is a note (the pre-commit hook passes `architecture` files);
    a Kubernetes file is no threat model tmcheck reads."""
    _repository(tmp_path)
    result = run_cli("check", "--no-config", name, cwd=tmp_path)
    if name.endswith(".md"):
        assert result.code == 0 and "note [markdown-table] no threat table found" in result.stdout
    else:
        assert result.code == 1 and "parse-error" in result.stdout
