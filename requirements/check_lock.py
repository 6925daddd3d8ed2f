"""Fail fast when pyproject.toml's dependencies no longer match the lock files made from them.

`make lock` stamps each lock with a hash of what it was compiled from (`--write`); every
`make setup` checks the stamps before pip installs anything. Standard library only: it runs
before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

STAMP = "# pyproject-dependencies-sha256: "
QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")  # marker values
STALE = "pyproject.toml's dependencies changed since the lock was made: run `make lock`"


def _canonical_requirements(requirements: list[str]) -> list[str]:
    """Requirement strings without what means nothing to pip: their order, and spacing outside
    the quoted values of markers."""
    return sorted(
        "".join(
            part if index % 2 else "".join(part.split())
            for index, part in enumerate(QUOTED.split(requirement))
        )
        for requirement in requirements
    )


def dependencies_hash(pyproject: Path) -> str:
    """SHA-256 of everything a lock is compiled from: the dependencies, the extras and the
    build requirements (the locks pin the build backend, so the project installs offline)."""
    with pyproject.open("rb") as file:
        document = tomllib.load(file)
    project = document.get("project", {})
    canonical = {
        "dependencies": _canonical_requirements(project.get("dependencies", [])),
        "optional-dependencies": {
            extra: _canonical_requirements(requirements)
            for extra, requirements in project.get("optional-dependencies", {}).items()
        },
        "build-system.requires": _canonical_requirements(
            document.get("build-system", {}).get("requires", [])
        ),
    }
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def stamped_hash(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(STAMP):
            return line.removeprefix(STAMP).strip()
    return None


def write_stamp(lock: Path, digest: str) -> None:
    """Put the stamp line at the end of pip-compile's header comment (replacing an old one)."""
    lines = [
        line
        for line in lock.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith(STAMP)
    ]
    header_end = next(
        (index for index, line in enumerate(lines) if not line.startswith("#")), len(lines)
    )
    lines.insert(header_end, f"{STAMP}{digest}\n")
    lock.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("locks", nargs="+", type=Path, help="lock files made from pyproject.toml")
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    parser.add_argument("--write", action="store_true", help="stamp the locks (`make lock`)")
    arguments = parser.parse_args(argv)

    digest = dependencies_hash(arguments.pyproject)
    if arguments.write:
        for lock in arguments.locks:
            write_stamp(lock, digest)
        return 0

    stale = [
        f"  {lock}: {'missing' if not lock.is_file() else 'made from other dependencies'}"
        for lock in arguments.locks
        if not lock.is_file() or stamped_hash(lock) != digest
    ]
    if stale:
        print(STALE, *stale, sep="\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
