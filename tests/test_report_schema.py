"""The report's JSON Schema: every report holds to it, and the docs explain every field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sphinx.cmd.build import build_main

from gitrepo import REPORT_SCHEMA, validate_report, validate_sarif
from sphinx_opsboundary.diagnostics import SUBTYPES
from sphinx_opsboundary.report.sarif import SarifProblem, sarif_log
from sphinx_opsboundary.report.summary import MAX_ROWS, markdown_summary

ROOTS = Path(__file__).parent / "roots"
DOCS = Path(__file__).parents[1] / "docs" / "reference" / "check-report.rst"


def _names(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        found.update(schema.get("properties", {}))
        for value in schema.values():
            found |= _names(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _names(value)
    return found


def test_the_schema_is_a_valid_schema_and_ships_in_the_package() -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    import sphinx_opsboundary.report as report

    assert (Path(report.__file__).parent / REPORT_SCHEMA.name).is_file()
    assert set(schema["$defs"]["subtype"]["enum"]) == set(SUBTYPES)


def test_the_docs_explain_every_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    missing = sorted(n for n in _names(schema) if f"``{n}``" not in text and n != "$schema")
    assert missing == []


@pytest.fixture(scope="module")
def related(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("schema")
    shutil.copytree(ROOTS / "test-related", base / "src")
    build_main(["-q", "-b", "opsboundary-check", str(base / "src"), str(base / "out")])
    return base / "out"


def test_a_report_with_every_kind_of_problem_holds(related: Path) -> None:
    data = json.loads((related / "opsboundary.json").read_text(encoding="utf-8"))
    validate_report(data)
    assert data["version"] == 2
    # The network (SPEC §7.3) holds every broken related link as a red edge.
    broken = {e["target"] for e in data["graph"]["edges"] if e["status"] == "broken"}
    assert "broken:../nowhere" in broken
    assert sum(data["counts"].values()) == data["problems"] == 31
    anchored = [link for link in data["links"] if link["target"] == "../dataops#incident-boundary"]
    assert anchored and all(link["resolved"] == "dataops#incident-boundary" for link in anchored)
    # A report that breaks the contract is caught.
    data["citations"] = [{"quote": "maybe"}]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)


def test_citations_carry_quote_and_chapter_defaults(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-episode", src)
    build_main(["-q", "-b", "opsboundary-check", str(src), str(tmp_path / "out")])
    data = json.loads((tmp_path / "out" / "opsboundary.json").read_text(encoding="utf-8"))
    validate_report(data)
    assert data["citations"]
    broken = [(c["file"], c["line"]) for c in data["citations"] if c["status"] == "broken"]
    # Warnings at an option's line (:at:, :end:, :speaker:) belong to their citation;
    # citations with an unknown episode or no valid time are listed too (issue 12).
    assert broken == [
        ("errors-md.md", 3),
        ("errors-md.md", 7),
        ("errors-md.md", 12),
        ("errors-md.md", 17),
        ("errors-md.md", 21),
        ("errors-md.md", 31),
        ("errors-md.md", 36),
        ("errors-md.md", 38),
        ("errors-md.md", 43),
        ("errors-md.md", 43),
        ("errors-rst.rst", 4),
        ("errors-rst.rst", 7),
        ("errors-rst.rst", 11),
        ("errors-rst.rst", 15),
        ("errors-rst.rst", 18),
        ("errors-rst.rst", 26),
        ("errors-rst.rst", 30),
        ("errors-rst.rst", 32),
        ("errors-rst.rst", 36),
        ("errors-rst.rst", 36),
    ]
    assert {(c["quote"], c["quote_found_at"], c["chapter"]) for c in data["citations"]} == {
        ("unchecked", None, None)
    }


def test_sarif_rules_and_results(related: Path) -> None:
    log = json.loads((related / "opsboundary.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f"opsboundary.{s}" for s in SUBTYPES]
    assert all(r["helpUri"].endswith("diagnostics.rst#warning-subtypes") for r in rules)
    results = log["runs"][0]["results"]
    assert len(results) == 31
    assert {r["ruleId"] for r in results} == {
        "opsboundary.config",
        "opsboundary.duplicate",
        "opsboundary.moved",
        "opsboundary.reciprocal",
        "opsboundary.related",
        "opsboundary.self",
        "opsboundary.syntax",
        "opsboundary.url",
    }


def test_sarif_outside_the_repository_and_without_a_line() -> None:
    log = sarif_log([SarifProblem("/abs/episodes.toml", None, "source", "bad")], "1.0")
    validate_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "file:///abs/episodes.toml"},
        "region": {"startLine": 1},
    }
    bad = sarif_log([SarifProblem("docs/a.rst", 3, "related", "x")], "1.0")
    del bad["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(bad)


def test_summary_counts_and_escapes() -> None:
    problems = [SarifProblem("docs/a|b.rst", i + 1, "related", "no <page>") for i in range(60)]
    problems.append(SarifProblem("docs/c.rst", 2, "timestamp", "bad time"))
    text = markdown_summary(problems)
    assert text.startswith("### opsboundary-check: 61 problem(s)\n")
    assert "| `opsboundary.related` | 60 |" in text
    assert "| `opsboundary.timestamp` | 1 |" in text
    assert "| `docs/a\\|b.rst:1` | related | no &lt;page&gt; |" in text
    assert text.count("\n| `docs/") == MAX_ROWS
    assert "… and 11 more in the report files." in text
    assert markdown_summary([]) == "### opsboundary-check: no problems\n\n"
