"""Every ``opsboundary_*`` setting the extension registers is documented, and no other.

The list comes from a real Sphinx application with the extension loaded, so a
new ``add_config_value`` anywhere in the package fails here until
``docs/reference/configuration.rst`` has a section for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PAGE = Path(__file__).parents[1] / "docs" / "reference" / "configuration.rst"


def _registered(make_app: Any, tmp_path: Path) -> set[str]:
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_opsboundary"]\n', encoding="utf-8")
    (tmp_path / "index.rst").write_text("Home\n====\n", encoding="utf-8")
    app = make_app("dummy", srcdir=tmp_path)
    return {value.name for value in app.config if value.name.startswith("opsboundary_")}


def _documented(text: str) -> set[str]:
    """Names with a ``conf-`` label directly above a section titled with the name."""
    pattern = re.compile(
        r"^\.\. _conf-(opsboundary_\w+):\n\n``(opsboundary_\w+)``\n-+\n", re.MULTILINE
    )
    found = set()
    for label, title in pattern.findall(text):
        assert label == title, f"label conf-{label} above the section {title}"
        found.add(title)
    return found


def test_every_registered_setting_has_a_section(make_app: Any, tmp_path: Path) -> None:
    registered = _registered(make_app, tmp_path)
    # The settings the page must have held since 0.1 and 0.2: the list is not empty by mistake.
    assert {
        "opsboundary_episodes",
        "opsboundary_backlinks",
        "opsboundary_require_incoming",
        "opsboundary_quote_window",
        "opsboundary_embed",
        "opsboundary_check_summary",
        "opsboundary_check_annotations",
    } <= registered
    documented = _documented(PAGE.read_text(encoding="utf-8"))
    assert sorted(registered - documented) == []
    assert sorted(documented - registered) == []


def test_the_section_pattern_sees_a_missing_section() -> None:
    text = PAGE.read_text(encoding="utf-8")
    cut = text.replace(".. _conf-opsboundary_embed:\n\n", "")
    assert "opsboundary_embed" in _documented(text)
    assert "opsboundary_embed" not in _documented(cut)
