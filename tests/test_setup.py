"""What `setup()` promises Sphinx, and what the package ships."""

from __future__ import annotations

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
