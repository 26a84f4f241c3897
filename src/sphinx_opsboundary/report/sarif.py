"""SARIF 2.1.0 for GitHub code scanning, which, unlike annotations, is not capped.

A pure function of the problem list (no builder needed).  One rule per warning subtype (from
:data:`~sphinx_opsboundary.diagnostics.SUBTYPES`, so the rules and the docs'
table cannot drift), one result per problem, located by a repository-relative
``uri`` under ``%SRCROOT%`` and its line.  A file outside the repository keeps an
absolute ``file:`` URI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..diagnostics import SUBTYPES

__all__ = ["HELP_URI", "SCHEMA_URI", "SarifProblem", "rule_id", "sarif_log"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: The diagnostics page of the documentation (the project's Documentation URL).
HELP_URI = (
    "https://github.com/sphinx-opsboundary/sphinx-opsboundary/blob/main/"
    "docs/reference/diagnostics.rst"
)
INFORMATION_URI = "https://github.com/sphinx-opsboundary/sphinx-opsboundary"


@dataclass(slots=True, frozen=True)
class SarifProblem:
    """What SARIF needs of one problem."""

    file: str  #: repository-relative POSIX path, or an absolute one outside it
    line: int | None
    subtype: str
    message: str


def rule_id(subtype: str) -> str:
    """``opsboundary.<subtype>``; an unknown subtype falls back to ``related``."""
    return f"opsboundary.{subtype if subtype in SUBTYPES else 'related'}"


def _rules() -> list[dict[str, Any]]:
    rules = []
    for subtype, description in SUBTYPES.items():
        text = description.replace("``", "`")
        rules.append(
            {
                "id": rule_id(subtype),
                "name": f"Opsboundary{subtype.capitalize()}",
                "shortDescription": {"text": text},
                "fullDescription": {"text": text},
                "helpUri": f"{HELP_URI}#warning-subtypes",
                "help": {
                    "text": f"{text} Every message names the problem and the fix.",
                    "markdown": f"{text} Every message names the problem and the fix. "
                    f"[All warning subtypes]({HELP_URI}#warning-subtypes).",
                },
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["documentation", "sphinx-opsboundary"]},
            }
        )
    return rules


def _artifact(file: str) -> dict[str, Any]:
    path = PurePosixPath(file)
    if path.is_absolute():
        return {"uri": "file://" + file}
    return {"uri": file, "uriBaseId": "%SRCROOT%"}


def _fingerprint(problem: SarifProblem) -> str:
    """Stable across line moves, so code scanning follows an alert when lines shift."""
    text = f"{problem.file}\0{problem.subtype}\0{problem.message}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def sarif_log(problems: Iterable[SarifProblem], tool_version: str) -> dict[str, Any]:
    """The whole SARIF log: one run, every rule, one result per problem."""
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for problem in problems:
        rid = rule_id(problem.subtype)
        results.append(
            {
                "ruleId": rid,
                "ruleIndex": index[rid],
                "level": "error",
                "message": {"text": problem.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(problem.file),
                            # GitHub requires a start line; a file-level problem is line 1.
                            "region": {"startLine": max(problem.line or 1, 1)},
                        }
                    }
                ],
                "partialFingerprints": {"opsboundaryProblem/v1": _fingerprint(problem)},
            }
        )
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sphinx-opsboundary",
                        "semanticVersion": tool_version,
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
