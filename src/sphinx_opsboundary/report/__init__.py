"""The checker as a CI step: the ``opsboundary-check`` builder and its report formats."""

from __future__ import annotations

from .builder import setup_checker

__all__ = ["setup_checker"]
