"""`tmcheck scaffold`: files that pass `tmcheck check`, safe names, nothing overwritten."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.paths import REPO
from tmcheck.model import Element
from tmcheck.scaffold import plan, slugify

SEED = REPO / "fixtures" / "seed"
SEED_FILES = [
    ("browser-user.stride.yaml", 2), ("api-gateway.stride.yaml", 5),
    ("auth-service.stride.yaml", 5), ("user-db.stride.yaml", 3),
    ("app-service.stride.yaml", 5), ("postgres-db.stride.yaml", 3),
    ("message-queue.stride.yaml", 3), ("worker-service.stride.yaml", 5),
    ("https-request.stride.yaml", 4), ("internal-grpc-call.stride.yaml", 3),
    ("identity-lookup.stride.yaml", 4), ("app-request.stride.yaml", 4),
    ("order-writes.stride.yaml", 4), ("job-enqueue.stride.yaml", 3),
    ("job-dequeue.stride.yaml", 3),
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copy(SEED / "architecture.yaml", tmp_path / "architecture.yaml")
    return tmp_path


def _check_json(run_cli: RunCli, cwd: Path, *paths: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("check", "--no-config", "--format", "json", *paths, cwd=cwd)
    assert result.code == 0, result.stdout
    report: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return report


def test_worksheets_for_the_seed_architecture_pass_check(run_cli: RunCli, workspace: Path) -> None:
    result = run_cli("scaffold", "architecture.yaml", "--out", "models", cwd=workspace)
    assert result.code == 0 and result.stderr == ""
    assert result.stdout.splitlines() == [
        *(f"wrote models/{name} ({count} open threats)" for name, count in SEED_FILES),
        "tmcheck scaffold: 15 files, 56 open threats to fill in",
    ]
    assert sorted(p.name for p in (workspace / "models").iterdir()) == sorted(
        n for n, _ in SEED_FILES
    )
    report = _check_json(run_cli, workspace, "architecture.yaml", "models")
    assert all(f["valid"] for f in report["files"])
    assert {f["format"] for f in report["files"]} == {"architecture", "stride-worksheet"}
    assert {f["rule"] for f in report["findings"]} == {"unrated-threat"}  # covered, unrated
    assert all(not row["missing"] for row in report["coverage"])
    assert (workspace / "models" / "https-request.stride.yaml").read_text(encoding="utf-8") == (
        '# Scaffolded by `tmcheck scaffold` from "architecture.yaml".\n'
        "# One open threat per STRIDE category that applies: describe each threat, rate it (likelihood\n"
        "# and impact, 1-5 or Very Low to Very High), set its status and owner. A category that does not\n"
        "# apply gets `status: Not applicable`, which still counts as covered.\n"
        "component:\n"
        '  name: "HTTPS Request"\n'
        "  type: flow\n"
        '  trust_boundary: "Internet -> DMZ"\n'
        '  description: "Browser User -> API Gateway over HTTPS/443"\n'
        "threats:\n"
        "  - id: HTTPS-REQUEST-S\n"
        "    category: Spoofing\n"
        '    description: "authentication: can someone pretend to be HTTPS Request, or someone it trusts?"\n'
        "    status: Open\n"
        "  - id: HTTPS-REQUEST-T\n"
        "    category: Tampering\n"
        '    description: "integrity: can someone change HTTPS Request or its data, in transit or at rest?"\n'
        "    status: Open\n"
        "  - id: HTTPS-REQUEST-I\n"
        "    category: Information Disclosure\n"
        '    description: "confidentiality: can HTTPS Request expose data to someone not allowed?"\n'
        "    status: Open\n"
        "  - id: HTTPS-REQUEST-D\n"
        "    category: Denial of Service\n"
        '    description: "availability: can someone make HTTPS Request unavailable?"\n'
        "    status: Open\n"
    )


def test_one_register_next_to_the_architecture(run_cli: RunCli, workspace: Path) -> None:
    result = run_cli("scaffold", "--register", "architecture.yaml", cwd=workspace)
    assert result.stdout.splitlines() == [
        "wrote threat-register.yaml (56 open threats)",
        "tmcheck scaffold: 1 file, 56 open threats to fill in",
    ]
    report = _check_json(run_cli, workspace, "architecture.yaml", "threat-register.yaml")
    assert [f["format"] for f in report["files"]] == ["architecture", "threat-register"]
    assert all(f["valid"] for f in report["files"]) and report["summary"]["open"] == 56
    assert all(not row["missing"] for row in report["coverage"])


def test_a_threat_dragon_diagram_scaffolds_too(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(SEED / "threat-dragon-seed.json", tmp_path / "diagram.json")
    result = run_cli("scaffold", "diagram.json", "--out", "out", cwd=tmp_path)
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "api-gateway.stride.yaml", "order-service.stride.yaml", "orders-database.stride.yaml",
        "web-client.stride.yaml",
    ]  # fmt: skip
    _check_json(run_cli, tmp_path, "out")


def test_existing_files_stop_the_run_before_anything_is_written(
    run_cli: RunCli, workspace: Path
) -> None:
    models = workspace / "models"
    models.mkdir()
    (models / "user-db.stride.yaml").write_text("mine\n", encoding="utf-8")
    result = run_cli("scaffold", "architecture.yaml", "--out", "models", cwd=workspace)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "tmcheck: error: models: user-db.stride.yaml exists; nothing written"
        " (--force overwrites existing files)\n"
    )
    assert [p.name for p in models.iterdir()] == ["user-db.stride.yaml"]
    forced = run_cli("scaffold", "architecture.yaml", "--out", "models", "--force", cwd=workspace)
    assert forced.code == 0 and len(list(models.iterdir())) == 15
    assert (models / "user-db.stride.yaml").read_text(encoding="utf-8").startswith("# Scaffolded")


def test_never_writes_through_a_symbolic_link(run_cli: RunCli, workspace: Path) -> None:
    target = workspace / "elsewhere.txt"
    target.write_text("keep\n", encoding="utf-8")
    models = workspace / "models"
    models.mkdir()
    os.symlink(target, models / "api-gateway.stride.yaml")
    for extra in ((), ("--force",)):
        result = run_cli("scaffold", "architecture.yaml", "--out", "models", *extra, cwd=workspace)
        assert result.code == 2
        assert "api-gateway.stride.yaml is a symbolic link; nothing written" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert [p.name for p in models.iterdir()] == ["api-gateway.stride.yaml"]
    os.symlink(models, workspace / "linked")
    linked = run_cli("scaffold", "architecture.yaml", "--out", "linked", cwd=workspace)
    assert linked.code == 2 and linked.stderr.startswith(
        "tmcheck: error: --out linked: cannot use it"
    )


def test_inputs_that_are_no_architecture(run_cli: RunCli, workspace: Path) -> None:
    shutil.copy(SEED / "threat-register.yaml", workspace / "register.yaml")
    not_architecture = run_cli("scaffold", "register.yaml", cwd=workspace)
    assert (not_architecture.code, not_architecture.stderr) == (
        2,
        "tmcheck: error: register.yaml: not an architecture file or Threat Dragon diagram (its"
        " format: threat-register)\n",
    )
    assert run_cli("scaffold", "missing.yaml", cwd=workspace).stderr == (
        "tmcheck: error: missing.yaml: no such file or directory\n"
    )
    (workspace / "broken.yaml").write_text("components: [\nflows: []\n", encoding="utf-8")
    broken = run_cli("scaffold", "broken.yaml", "--out", "never", cwd=workspace)
    assert broken.code == 1
    assert (
        broken.stdout.splitlines()[-1]
        == "tmcheck scaffold: broken.yaml has errors; nothing written"
    )
    assert not (workspace / "never").exists()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("API Gateway", "api-gateway"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("..", "element"),
        ("Zürich Café", "zurich-cafe"),
        ("数据库", "element"),
        ("a" * 80, "a" * 60),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_names_that_slug_alike_get_numbers_and_values_are_quoted() -> None:
    def process(name: str) -> Element:
        return Element(name=name, kind="process", path="a", line=1, column=1)

    planned = plan(
        [process("App Service"), process("app-service"), process("x\n#y: 1")], "a", register=False
    )
    assert [item.name for item in planned] == [
        "app-service.stride.yaml", "app-service-2.stride.yaml", "x-y-1.stride.yaml",
    ]  # fmt: skip
    assert '  name: "x\\n#y: 1"\n' in planned[2].text
    assert "  - id: APP-SERVICE-2-S\n" in planned[1].text
