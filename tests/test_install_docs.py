"""The install instructions work for a package that is not on an index yet.

Next to the index command, the docs and the README give a command that installs
from source, from the repository named in the package metadata, with extras
that exist; so the instructions and the metadata cannot drift apart.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
META = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SOURCE = META["urls"]["Source"]
INDEX_COMMAND = 'pip install "sphinx-opsboundary[myst,design]"'
FROM_SOURCE = f'pip install "sphinx-opsboundary[myst,design] @ git+{SOURCE}"'


@pytest.mark.parametrize("path", ["docs/index.rst", "README.md", "docs/how-to/ci.rst"])
def test_install_from_source_next_to_the_index_command(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert FROM_SOURCE in text
    if path != "README.md":
        index = text.index(INDEX_COMMAND)
        assert abs(text.index(FROM_SOURCE) - index) < 700  # in the same step


def test_clone_install_and_extras_exist() -> None:
    text = (ROOT / "docs/index.rst").read_text(encoding="utf-8")
    assert f"$ git clone {SOURCE}\n" in text
    assert '$ pip install -e "./sphinx-opsboundary[myst,design]"' in text
    extras = set(META["optional-dependencies"])
    for found in re.findall(r"sphinx-opsboundary\[([a-z,]+)\]", text):
        assert set(found.split(",")) <= extras
