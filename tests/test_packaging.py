"""The distributions a user installs: built by `python -m build`, checked by `twine check`.

The sdist is built from the work tree and the wheel from the sdist (what `python -m build` does),
so a file missing from the sdist is missing from the wheel too. The wheel is then installed in a
fresh virtualenv without extras, as the pre-commit hook installs it: the check path works, and
`tmcheck action` says in one line what to install.
"""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import FIXTURES, REPO
from tmcheck import __version__

pytestmark = pytest.mark.slow

PACKAGE_DATA = sorted(
    path.relative_to(REPO).as_posix()
    for pattern in ("tmcheck/schemas/*.json", "tmcheck/templates/*.j2")
    for path in REPO.glob(pattern)
)
MODULES = sorted(path.relative_to(REPO).as_posix() for path in REPO.glob("tmcheck/**/*.py"))


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


def wheel_of(dist: Path) -> Path:
    (wheel,) = dist.glob("*.whl")
    return wheel


def sdist_of(dist: Path) -> Path:
    (sdist,) = dist.glob("*.tar.gz")
    return sdist


def test_names_carry_the_version(dist: Path) -> None:
    assert wheel_of(dist).name == f"tmcheck-{__version__}-py3-none-any.whl"
    assert sdist_of(dist).name == f"tmcheck-{__version__}.tar.gz"


def test_wheel_holds_the_package_its_data_and_the_license(dist: Path) -> None:
    with zipfile.ZipFile(wheel_of(dist)) as wheel:
        names = set(wheel.namelist())
        info = f"tmcheck-{__version__}.dist-info"
        metadata = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        license_text = wheel.read(f"{info}/licenses/LICENSE").decode()
    assert set(MODULES + PACKAGE_DATA + ["tmcheck/py.typed"]) <= names
    assert {name.split("/")[0] for name in names} == {"tmcheck", info}  # no tests/, bench/
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Version"] == __version__
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL", [])} >= {
        "Source", "Issues", "Changelog",
    }  # fmt: skip
    requires = metadata.get_all("Requires-Dist", [])
    assert [r for r in requires if r.startswith("PyGithub")] == ['PyGithub>=2.1; extra == "github"']
    assert "github" in metadata.get_all("Provides-Extra", [])


def test_sdist_holds_what_rebuilds_the_wheel(dist: Path) -> None:
    top = f"tmcheck-{__version__}"
    with tarfile.open(sdist_of(dist)) as sdist:
        names = {name.removeprefix(top + "/") for name in sdist.getnames()}
    assert set(MODULES + PACKAGE_DATA) <= names
    assert {"LICENSE", "README.md", "pyproject.toml", "tmcheck/py.typed"} <= names


def test_twine_check_strict(dist: Path) -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(dist.iterdir()))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_wheel_without_extras_checks_and_names_the_extra_for_the_action(
    dist: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            str(wheel_of(dist)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    tmcheck = venv / "bin" / "tmcheck"
    listed = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m; print([d.name for d in m.distributions()])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    assert "tmcheck" in listed and "pyyaml" in listed
    for heavy in ("pygithub", "cryptography", "pynacl", "requests"):
        assert f"'{heavy}'" not in listed
    seed = sorted(str(path) for path in (FIXTURES / "seed").iterdir())
    checked = subprocess.run(
        [str(tmcheck), "check", "--no-config", *seed], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 1, checked.stderr
    assert "blocking-threat" in checked.stdout
    action = subprocess.run(
        [str(tmcheck), "action"], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert action.returncode == 2
    assert action.stdout == ""
    assert action.stderr.count("\n") == 1
    assert "pip install 'tmcheck[github]'" in action.stderr
    version = subprocess.run([str(tmcheck), "--version"], capture_output=True, text=True)
    assert version.stdout == f"tmcheck {__version__}\n"


def test_the_image_installs_the_pinned_closure_of_the_github_extra() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["github"]]
    pinned = {}
    for line in (REPO / "requirements" / "action.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements/action.txt: {line!r} is not pinned with =="
            pinned[name.lower()] = version
    for requirement in wanted:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()
        assert name in pinned, f"{name} is not pinned in requirements/action.txt"
    dockerfile = (REPO / "Dockerfile").read_text()
    copies = [line for line in dockerfile.splitlines() if line.startswith("COPY ")]
    assert any("requirements/action.txt" in line for line in copies)
    assert any("LICENSE" in line.split() for line in copies)  # the sdist's license file
    assert "--only-binary=:all: -r /tmp/" in dockerfile  # the pins, wheels only
    assert "--no-deps '/tmp/tmcheck[github]'" in dockerfile
    # one pip layer: the pinned wheels and tmcheck in the same RUN
    runs = [step for step in dockerfile.split("\nRUN ")[1:] if "pip install" in step]
    assert len(runs) == 1 and runs[0].count("pip install") == 2


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    changelog = (REPO / "CHANGELOG.md").read_text()
    first = re.search(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    assert first is not None and first.group(1) == __version__
    readme = (REPO / "README.md").read_text()
    major = "v" + __version__.split(".")[0]
    for tag in re.findall(r"tmcheck/tmcheck@([\w.]+)", readme):
        assert tag in (major, "v" + __version__), tag
    for rev in re.findall(r"^\s*rev: (\S+)$", readme, re.MULTILINE):
        assert rev == "v" + __version__
