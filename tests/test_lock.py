"""The lock files: made from the current pyproject.toml, and `make setup` stops when they are not.

requirements/check_lock.py is what the Makefile runs before installing; these tests run it the
same way, on the project's files and on copies changed as a person would change them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
CHECK_LOCK = PROJECT / "requirements" / "check_lock.py"
LOCKS = ("runtime.txt", "postgres.txt", "dev.txt")
STALE_MESSAGE = "pyproject.toml's dependencies changed since the lock was made: run `make lock`"


def check_lock(pyproject: Path, locks: list[Path], *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            str(CHECK_LOCK),
            "--pyproject",
            str(pyproject),
            *options,
            *map(str, locks),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", lock.read_text(), re.MULTILINE))


@pytest.fixture
def project_copy(tmp_path) -> tuple[Path, list[Path]]:
    shutil.copy(PROJECT / "pyproject.toml", tmp_path / "pyproject.toml")
    locks = []
    for name in LOCKS:
        locks.append(tmp_path / name)
        shutil.copy(PROJECT / "requirements" / name, locks[-1])
    return tmp_path / "pyproject.toml", locks


def test_the_committed_locks_are_made_from_the_current_pyproject():
    result = check_lock(PROJECT / "pyproject.toml", [PROJECT / "requirements" / n for n in LOCKS])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('"Flask>=3.0",', '"Flask>=3.1",'),  # a runtime requirement raised
        ('"pytest>=8.0",', '"pytest>=8.0",\n    "coverage>=7",'),  # a package added to an extra
        ('requires = ["setuptools>=68"]', 'requires = ["setuptools>=80"]'),  # the build backend
    ],
)
def test_a_changed_dependency_stops_setup_with_the_remedy(project_copy, before, after):
    pyproject, locks = project_copy
    text = pyproject.read_text()
    assert before in text
    pyproject.write_text(text.replace(before, after, 1))

    result = check_lock(pyproject, locks)

    assert result.returncode == 1
    assert STALE_MESSAGE in result.stderr
    assert all(str(lock) in result.stderr for lock in locks)


def test_reordering_or_respacing_the_dependencies_is_not_a_change(project_copy):
    pyproject, locks = project_copy
    text = pyproject.read_text()
    pyproject.write_text(
        text.replace(
            '    "Flask>=3.0",\n    "htmx-flask>=0.1",',
            '    "htmx-flask >= 0.1",\n    "Flask>=3.0",',
        )
    )
    assert pyproject.read_text() != text

    assert check_lock(pyproject, locks).returncode == 0


def test_make_lock_stamps_the_locks_with_the_new_dependencies(project_copy):
    pyproject, locks = project_copy
    pyproject.write_text(pyproject.read_text().replace('"Flask>=3.0",', '"Flask>=3.1",', 1))

    assert check_lock(pyproject, locks, "--write").returncode == 0

    assert check_lock(pyproject, locks).returncode == 0
    assert locks[0].read_text().count("# pyproject-dependencies-sha256: ") == 1


def test_production_installs_no_test_tools_and_the_extras_keep_the_runtime_versions():
    runtime = pins(PROJECT / "requirements" / "runtime.txt")
    assert not {"pytest", "playwright", "ruff", "hypothesis"} & runtime.keys()
    for extra in ("postgres.txt", "dev.txt"):
        extra_pins = pins(PROJECT / "requirements" / extra)
        assert {name: extra_pins.get(name) for name in runtime} == runtime, extra
    assert "psycopg-binary" in pins(PROJECT / "requirements" / "postgres.txt")
