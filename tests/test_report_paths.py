"""Repository-relative paths in every report, from the repo root and from inside docs/."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from gitrepo import make_repo, validate_report, validate_sarif
from sphinx_opsboundary.__main__ import main as cli_main
from sphinx_opsboundary.report.paths import RepoPaths, repo_root

EXPECTED = [
    "data/episodes.toml:5: episode 'no-speaker'",
    "docs/notes.rst:9: related link 'guide/sepup': there is no document 'guide/sepup'",
]


def _heads(lines: list[str]) -> list[str]:
    return [line[: len(e)] for line, e in zip(lines, EXPECTED, strict=True)]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return make_repo(tmp_path)


@pytest.mark.parametrize("where", [".", "docs"])
def test_builder_paths_start_at_the_repository_root(
    repo: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / where)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary = repo / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = repo / "_build" / "check"
    src = "docs" if where == "." else "."
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        status = build_main(["-q", "-b", "opsboundary-check", src, str(out)])
    assert status == 1
    text = (out / "output.txt").read_text(encoding="utf-8").splitlines()
    assert _heads(text) == EXPECTED
    annotations = [line for line in stdout.getvalue().splitlines() if line.startswith("::")]
    assert [a.split("::")[1] for a in annotations] == [
        "error file=data/episodes.toml,line=5",
        "error file=docs/notes.rst,line=9",
    ]
    data = json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))
    validate_report(data)
    assert data["source"] == "docs"
    assert {link["file"] for link in data["links"]} == {
        "docs/index.rst",
        "docs/guide/index.rst",
        "docs/guide/setup.rst",
        "docs/guide/usage.md",
        "docs/notes.rst",
    }
    assert [(d["file"], d["line"]) for d in data["diagnostics"]] == [("data/episodes.toml", 5)]
    sarif = json.loads((out / "opsboundary.sarif").read_text(encoding="utf-8"))
    validate_sarif(sarif)
    places = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in sarif["runs"][0]["results"]
    ]
    assert places == [
        ("data/episodes.toml", 5, "opsboundary.episode"),
        ("docs/notes.rst", 9, "opsboundary.related"),
    ]
    written = summary.read_text(encoding="utf-8")
    assert "### opsboundary-check: 2 problem(s)" in written
    assert "| `opsboundary.related` | 1 |" in written
    assert "| `docs/notes.rst:9` | related |" in written


@pytest.mark.parametrize("where", [".", "docs"])
def test_cli_paths_start_at_the_repository_root(
    repo: Path, where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo / where)
    src = "docs" if where == "." else "."
    assert cli_main(["check", src]) == 1
    assert _heads(capsys.readouterr().out.splitlines()) == EXPECTED
    assert cli_main(["check", src, "--format", "github"]) == 1
    assert (
        capsys.readouterr()
        .out.splitlines()[1]
        .startswith("::error file=docs/notes.rst,line=9::related link")
    )
    assert cli_main(["check", src, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    validate_report(data)
    assert {c["file"] for c in data["links"]} >= {"docs/notes.rst", "docs/guide/usage.md"}
    assert cli_main(["check", src, "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    validate_sarif(sarif)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    ]
    assert uris == ["data/episodes.toml", "docs/notes.rst"]


def test_root_falls_back_to_github_workspace_then_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "ws" / "site" / "docs"
    docs.mkdir(parents=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "ws"))
    assert repo_root(docs) == (tmp_path / "ws").resolve()
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.chdir(tmp_path / "ws" / "site")
    assert repo_root(docs) == (tmp_path / "ws" / "site").resolve()
    monkeypatch.chdir(tmp_path)
    paths = RepoPaths(docs)
    assert paths.rel(docs / "a.rst") == "ws/site/docs/a.rst"
    monkeypatch.chdir(docs / "..")
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    # Outside the root: the absolute path, never '../..'.
    assert RepoPaths(docs).rel(elsewhere / "x.toml") == (elsewhere / "x.toml").as_posix()


def test_relative_paths_from_a_source_folder_outside_cwd(tmp_path: Path) -> None:
    """A project outside git, GITHUB_WORKSPACE and cwd: paths from its own folder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    assert RepoPaths(docs).rel(docs / "sub" / "a.rst") == "sub/a.rst"
