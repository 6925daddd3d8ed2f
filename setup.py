"""The wheel's build step: the site files go inside the package (pyproject.toml says the rest).

A checkout serves templates/, static/ and translations/ from its top level; an installed wheel
has no top level of its own (the package's parent is site-packages), so the build copies them
into the built package as portal/_site/, where portal.config.site_folder() finds them. Of the
translations only the compiled catalogues (.mo) go. The files `make setup` prepares (htmx, the
world map's geometry, the .mo files) are not in git: a build without them stops and says to
run `make wheel`, which prepares them first. Editable installs (`make setup`) copy nothing:
they serve the checkout itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent
SITE_FOLDERS = ("templates", "static", "translations")  # as portal.config.SITE_FOLDERS
PACKAGED_SITE = Path("portal", "_site")  # portal.config.PACKAGED_SITE, inside the build
PREPARED = (
    Path("static", "vendor", "htmx.min.js"),
    Path("portal", "maps", "world-50m.json"),
)


def missing_prepared_files(root: Path) -> list[str]:
    """What `make setup` makes and a release needs: htmx, the map, a fresh .mo of each .po."""
    missing = [str(path) for path in PREPARED if not (root / path).is_file()]
    catalogues = sorted((root / "translations").glob("*/LC_MESSAGES/*.po"))
    if not catalogues:
        missing.append("translations/*/LC_MESSAGES/*.po")
    for catalogue in catalogues:
        compiled = catalogue.with_suffix(".mo")
        if not compiled.is_file() or compiled.stat().st_mtime < catalogue.stat().st_mtime:
            missing.append(f"{compiled.relative_to(root)} (compiled from its .po)")
    return missing


def _site_file(path: Path) -> bool:
    if "__pycache__" in path.parts or path.name.startswith("."):
        return False
    return path.parts[0] != "translations" or path.suffix == ".mo"


class BuildPyWithSite(build_py):
    """build_py, then the site files copied into the built package."""

    def run(self) -> None:
        if not self.editable_mode:
            missing = missing_prepared_files(HERE)
            if missing:
                raise SetupError(
                    "The release needs files `make setup` prepares and this checkout lacks:\n  "
                    + "\n  ".join(missing)
                    + "\nRun `make wheel` (it prepares them, then builds the wheel into dist/)."
                )
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / PACKAGED_SITE
        shutil.rmtree(target, ignore_errors=True)  # nothing of an earlier build lingers
        for folder in SITE_FOLDERS:
            for source in sorted((HERE / folder).rglob("*")):
                relative = source.relative_to(HERE)
                if source.is_file() and _site_file(relative):
                    destination = target / relative
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildPyWithSite})
