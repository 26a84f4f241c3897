"""Placeholder; the feature module replaces this."""

from __future__ import annotations

from typing import Any


def resolve_pending(*args: Any) -> Any:
    return None
