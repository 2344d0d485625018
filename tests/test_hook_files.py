"""Which paths the pre-commit hook's `files:` pattern hands to tmcheck (pre-commit matches it
with Python's `re.search` on the path relative to the repository)."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.support.paths import REPO

[HOOK] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
FILES = re.compile(HOOK["files"])


@pytest.mark.parametrize(
    "path",
    [
        "docs/threat-model.yaml",
        "threagile.yaml",
        "models/shop.otm",  # an OTM file, whatever its name
        "otm/Payments.OTM",
        "security/huskyai.tmbom.json",
        "threat-models/web/cryptocurrency-wallet-threat-model.json",
        "ci/pytm-output.json",
        "threatcl/export.json",
        "docs/threat-model.tm7",
    ],
)
def test_threat_model_files_are_the_hook_s(path: str) -> None:
    assert FILES.search(path)


@pytest.mark.parametrize(
    "path",
    ["package.json", "src/tm.py", "pytm/tm.py", "docs/index.md", "threatcl/model.hcl"],
)
def test_other_files_are_not(path: str) -> None:
    assert not FILES.search(path)
