"""The version matrix runs MyST with the myst-parser each Sphinx pairs with.

myst-parser 4 and 5 hand a directive different text (4 leaves the option lines
out of ``block_text``), so option-line locations are tested under both: tox pins
myst-parser 4 for Sphinx 8.1/8.2 and 5 for Sphinx 9.0.  In those tox
environments this test fails when the pin is lost; elsewhere it only checks
that MyST and Sphinx are a supported pair.
"""

from __future__ import annotations

import os

import myst_parser
import sphinx

EXPECTED_MYST = {"sphinx81": 4, "sphinx82": 4, "sphinx90": 5}


def _major(version: str) -> int:
    return int(version.split(".")[0])


def test_myst_parser_of_this_environment() -> None:
    myst = _major(myst_parser.__version__)
    env = os.environ.get("TOX_ENV_NAME", "")
    for factor, expected in EXPECTED_MYST.items():
        if factor in env.split("-"):
            assert myst == expected, (env, myst_parser.__version__)
    assert myst >= 4
    if sphinx.version_info >= (9,):
        assert myst >= 5  # myst-parser 4 does not run on Sphinx 9
