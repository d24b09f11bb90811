"""The package list in pyproject.toml is explicit (schemas/ and deploy/kibana/ are mapped into
the package); a directory missing from it, code or data, would be missing from every
non-editable install (setuptools drops data directories that are not listed packages)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from tests.conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def packages_on_disk() -> set[str]:
    """Every directory that holds a file, named as the package it installs as."""
    roots = {"pipeline": ROOT / "pipeline", **{name: ROOT / path for name, path in SETUPTOOLS["package-dir"].items()}}
    found = set()
    for name, root in roots.items():
        for directory in [root, *(path for path in root.rglob("*") if path.is_dir())]:
            if "__pycache__" in directory.parts or not any(path.is_file() for path in directory.iterdir()):
                continue
            found.add(".".join([name, *directory.relative_to(root).parts]))
    return found


def test_every_directory_of_code_or_data_is_listed() -> None:
    missing = packages_on_disk() - set(SETUPTOOLS["packages"])
    assert not missing, f"add to [tool.setuptools] packages: {sorted(missing)}"


def directory_of(package: str) -> Path:
    """Where a listed package lives, through the longest mapped prefix of package-dir."""
    mapped = max((name for name in SETUPTOOLS["package-dir"] if package == name or package.startswith(name + ".")),
                 key=len, default=None)
    if mapped is None:
        return ROOT.joinpath(*package.split("."))
    return ROOT / SETUPTOOLS["package-dir"][mapped] / Path(*package[len(mapped):].split(".")[1:])


def test_every_listed_package_ships_its_files() -> None:
    """Every data file of a package matches one of its package-data patterns (code is shipped
    anyway): a new kind of file (given_names.tsv beside the YAML lexicons) needs its pattern."""
    for name in SETUPTOOLS["packages"]:
        directory = directory_of(name)
        data = [path for path in directory.iterdir() if path.is_file() and path.suffix != ".py"]
        patterns = SETUPTOOLS["package-data"].get(name, [])
        unshipped = [path.name for path in data if not any(fnmatch(path.name, pattern) for pattern in patterns)]
        assert not unshipped, f"{name}: no package-data pattern ships {unshipped}"
