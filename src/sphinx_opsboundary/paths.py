"""Where a data file may live: inside the source folder or the configuration folder.

A page or ``conf.py`` names a data file by path; ``../../etc/passwd.json`` or a
committed symbolic link to a file elsewhere would publish whatever the build
machine can read.  :func:`outside_problem` resolves the path (every symbolic
link followed) and says why it may not be read, so that the ``:source:`` of a
boundary table and ``opsboundary_episodes_file`` obey one rule.
"""

from __future__ import annotations

import functools
import os
import subprocess
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from .datafiles import FORMATS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = ["confdir_of", "data_roots", "git_toplevel", "outside_problem", "setup_paths"]

_CONFDIRS: weakref.WeakKeyDictionary[Config, str] = weakref.WeakKeyDictionary()


def _note_confdir(app: Sphinx, config: Config) -> None:
    _CONFDIRS[config] = os.fspath(app.confdir)


def confdir_of(env: BuildEnvironment) -> str:
    """The configuration folder (``env.app`` is deprecated in Sphinx 9)."""
    return _CONFDIRS.get(env.config, os.fspath(env.srcdir))


def data_roots(env: BuildEnvironment) -> list[str | os.PathLike[str]]:
    """The folders a data file may live in: the source and the configuration folder."""
    return [env.srcdir, _CONFDIRS.get(env.config, env.srcdir)]


def setup_paths(app: Sphinx) -> None:
    app.connect("config-inited", _note_confdir, priority=100)


@functools.lru_cache(maxsize=64)
def git_toplevel(folder: str) -> Path | None:
    """The work tree holding *folder*, or None (no git, or not in a repository)."""
    try:
        done = subprocess.run(
            ["git", "-C", folder, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False


def outside_problem(
    path: str | os.PathLike[str],
    roots: list[str | os.PathLike[str] | None],
    allowed: str = "the source folder (or the configuration folder)",
    scope: str = "the source folder",
) -> str | None:
    """Why *path* may not be read as a data file, or None when it may.

    *roots* are the folders a data file may live in; *allowed* names them and
    *scope* sums them up, for the message.  Both the path and the roots are resolved, so a
    symbolic link counts where it leads.
    """
    given = os.path.abspath(os.fspath(path))
    real = os.path.realpath(given)
    real_roots = [os.path.realpath(os.fspath(root)) for root in roots if root]
    linked = real != os.path.realpath(os.path.dirname(given)) + os.sep + os.path.basename(given)
    how = f"is a symbolic link to {real}, which lies" if linked else "lies"
    if not any(_inside(real, root) for root in real_roots):
        return f"{how} outside {scope}; data files must live inside {allowed}"
    if linked and os.path.splitext(real)[1].lower() not in FORMATS:
        return (
            f"is a symbolic link to {os.path.basename(real)!r}, which is not a .toml, "
            ".json, .yaml or .yml file; link to a data file"
        )
    return None
