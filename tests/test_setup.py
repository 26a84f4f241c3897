"""What `setup()` promises Sphinx, and what the package ships."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import sphinx_opsboundary


@pytest.mark.sphinx("html", testroot="diagnostics")
def test_setup_metadata(app: Any) -> None:
    meta = app.extensions["sphinx_opsboundary"]
    assert meta.version == sphinx_opsboundary.__version__
    assert meta.parallel_read_safe is True
    assert meta.parallel_write_safe is True
    assert app.registry.get_envversion(app)["sphinx_opsboundary"] == sphinx_opsboundary.ENV_VERSION


def test_package_is_typed_and_ships_its_css() -> None:
    package = Path(sphinx_opsboundary.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "static" / "opsboundary.css").is_file()


def test_stylesheet_is_well_formed() -> None:
    """Every rule block opens and closes (a merge once dropped closing braces)."""
    css = (Path(sphinx_opsboundary.__file__).parent / "static" / "opsboundary.css").read_text()
    depth = 0
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "/*" not in text and "*/" not in text
    for number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"unbalanced '}}' at line {number}"
    assert depth == 0
