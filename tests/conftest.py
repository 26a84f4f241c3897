"""Shared fixtures: Sphinx's own testing fixtures and our test roots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def needs_dot() -> None:
    """Graphviz's ``dot`` is a system package: CI installs it, a newcomer may not have it.

    Without it the test is skipped with the reason (its fallback is tested
    elsewhere); under CI (``CI=true``, as ``.ci/run`` runs) a missing ``dot`` fails.
    """
    if shutil.which("dot") is None:
        message = "Graphviz's dot is not installed (apt-get install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
