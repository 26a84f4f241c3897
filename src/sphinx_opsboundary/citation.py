"""Placeholder; the feature module replaces this."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_citation(app: Sphinx) -> None:
    """Register this module's directives, roles, config values and events."""
