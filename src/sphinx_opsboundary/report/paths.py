"""Repository-relative paths, so that an annotation lands on the pull request's line.

The repository root is the git work tree that holds the source folder, else
``GITHUB_WORKSPACE`` when the source folder is inside it, else the current
directory when the source folder is inside it, else the source folder itself (a
project outside any of these still gets short, stable paths).  A file outside the
root keeps its absolute path.  No Sphinx import: the builder and the command line
share it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import git_toplevel

__all__ = ["RepoPaths", "git_toplevel", "repo_root"]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def repo_root(srcdir: str | os.PathLike[str]) -> Path:
    """The folder every reported path is relative to (see the module docstring)."""
    source = Path(srcdir).resolve()
    top = git_toplevel(str(source))
    if top is not None:
        return top
    for candidate in (os.environ.get("GITHUB_WORKSPACE"), os.getcwd()):
        if candidate:
            folder = Path(candidate).resolve()
            if _inside(source, folder):
                return folder
    return source


class RepoPaths:
    """Turns source paths into repository-relative POSIX paths, cached per file."""

    def __init__(self, srcdir: str | os.PathLike[str], root: Path | None = None) -> None:
        self.srcdir = Path(srcdir).resolve()
        self.root = root if root is not None else repo_root(self.srcdir)
        self._cache: dict[str, str] = {}

    def rel(self, path: str | os.PathLike[str]) -> str:
        """*path* relative to the root; relative input is taken from the source folder."""
        key = os.fspath(path)
        if key not in self._cache:
            full = Path(key)
            if not full.is_absolute():
                full = self.srcdir / full
            full = full.resolve()
            try:
                self._cache[key] = full.relative_to(self.root).as_posix()
            except ValueError:
                self._cache[key] = full.as_posix()
        return self._cache[key]

    def from_root(self, relpath: str) -> Path:
        """The absolute path of a repository-relative *relpath*."""
        return self.root / relpath
