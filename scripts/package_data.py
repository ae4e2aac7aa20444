"""What the gazetteer build scripts share: the data file of a pinned registry package, and writing an output
only once it is whole.

A build from a missing package, or from another version than the one the committed files were made from,
stops with a message naming the package and version, and leaves the committed files as they were.
"""
from __future__ import annotations

import csv
import importlib.metadata
import io
import importlib.util
import os
import tempfile
from pathlib import Path


class PackageDataError(SystemExit):
    """The registry package a build reads is missing, or not the version the build was made for."""


def package_file(package: str, version: str, relative: str) -> Path:
    """``relative`` inside installed ``package`` (its data, located without importing its code)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PackageDataError(f"the PyPI package {package} {version} is needed: pip install -e '.[test]'")
    installed = importlib.metadata.version(package)
    if installed != version:
        raise PackageDataError(f"the PyPI package {package} is {installed}, but this table is built from {version}: "
                               f"pip install '{package}=={version}' (or update the pin and review the diff)")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.exists():
        raise PackageDataError(f"{package} {version} has no {relative}: the package's layout changed")
    return path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step (a temporary file beside it, then a rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)       # a data file anyone may read, not mkstemp's private mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_csv(columns: list[str], rows: list[list[str]]) -> str:
    """A table as the CSV text the committed files hold (a header, Unix line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
