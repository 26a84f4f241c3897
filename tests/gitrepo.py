"""A temporary git repository with a Sphinx project in its ``docs/`` folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json"
REPORT_SCHEMA = (
    Path(__file__).parents[1]
    / "src"
    / "sphinx_opsboundary"
    / "report"
    / "opsboundary-report.schema.json"
)

CONF = """\
extensions = ["sphinx_opsboundary", "myst_parser"]
project = "repo"
opsboundary_episodes_file = "../data/episodes.toml"
"""

EPISODES = """\
[good-talk]
title = "A Good Talk"
speakers = ["Ada"]

[no-speaker]
title = "Nobody Speaks"
"""

INDEX = """\
Home
====

.. toctree::

   guide/index
   guide/setup
   guide/usage
   notes

.. related-paths::

   - guide/setup -- Setting up.
   - guide/usage -- Using it.
   - guide/index -- The guide.
"""

PAGES = {
    "guide/index.rst": "Guide\n=====\n\n.. related-paths::\n\n   - setup -- Setting up.\n",
    "guide/setup.rst": (
        "Setting up\n==========\n\n.. _setup-steps:\n\nSteps\n-----\n\n"
        ".. related-paths::\n\n   - usage -- Using it.\n   - ../notes -- Notes.\n"
    ),
    "guide/usage.md": (
        "# Using it\n\n```{related-paths}\n- setup -- Setting up.\n"
        "- /notes#details -- The details.\n```\n"
    ),
    "notes.rst": (
        "Notes\n=====\n\nDetails\n-------\n\n.. related-paths::\n\n   - guide/sepup -- Typo.\n"
    ),
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def make_repo(base: Path, *, commit: bool = True) -> Path:
    """``base/repo`` with ``docs/`` (the project) and ``data/episodes.toml`` outside it."""
    repo = base / "repo"
    docs = repo / "docs"
    (docs / "guide").mkdir(parents=True)
    (repo / "data").mkdir()
    (docs / "conf.py").write_text(CONF, encoding="utf-8")
    (docs / "index.rst").write_text(INDEX, encoding="utf-8")
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (repo / "data" / "episodes.toml").write_text(EPISODES, encoding="utf-8")
    (repo / ".gitignore").write_text("_build/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")
    return repo


def validate_sarif(log: dict[str, Any]) -> None:
    """The SARIF subset schema, plus what a schema cannot say about relative URIs."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("file:///") or ("://" not in uri and not uri.startswith("/"))


def validate_report(data: dict[str, Any]) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
