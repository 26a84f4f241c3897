"""``check --since REF``: git's renames, deletions and folder moves; redirects written back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from gitrepo import git, make_repo, validate_report
from sphinx_opsboundary.__main__ import main as cli_main
from sphinx_opsboundary.report.review import read_redirects

SETUP_LINKS = [
    (
        "docs/guide/index.rst:6: related link 'setup': moved in this change: "
        "'guide/setup' \u2192 'guide/install'; write 'install'"
    ),
    (
        "docs/guide/usage.md:4: related link 'setup': moved in this change: "
        "'guide/setup' \u2192 'guide/install'; write 'install'"
    ),
    (
        "docs/index.rst:13: related link 'guide/setup': moved in this change: "
        "'guide/setup' \u2192 'guide/install'; write 'guide/install'"
    ),
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    return repo


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = cli_main(["check", "docs", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_committed_rename(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "mv", "docs/guide/setup.rst", "docs/guide/install.rst")
    git(repo, "commit", "-qm", "rename")
    status, lines, err = _check(capsys, "--since", "HEAD~1")
    assert status == 1
    assert lines == SETUP_LINKS
    # The old typo and the episode problem were not caused by the change: counted.
    assert err == "2 other problem(s) not caused by changes since HEAD~1; --all lists them\n"


def test_uncommitted_rename_untracked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plain ``mv`` that git has not been told about, and the index is left alone."""
    (repo / "docs/guide/setup.rst").rename(repo / "docs/guide/install.rst")
    status, lines, _ = _check(capsys, "--since", "HEAD")
    assert (status, lines) == (1, SETUP_LINKS)
    assert git(repo, "status", "--porcelain").splitlines() == [
        " D docs/guide/setup.rst",
        "?? docs/guide/install.rst",
    ]


def test_deletion(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "docs/notes.rst").unlink()
    status, lines, err = _check(capsys, "--since", "HEAD", "--format", "json")
    assert status == 1
    data = json.loads("\n".join(lines))
    validate_report(data)
    assert data["since"]["deleted"] == ["docs/notes.rst"]
    broken = [
        (link["file"], link["line"], link["target"])
        for link in data["links"]
        if link["status"] == "broken"
    ]
    assert broken == [
        ("docs/guide/setup.rst", 12, "../notes"),
        ("docs/guide/usage.md", 5, "/notes#details"),
    ]
    status, lines, _ = _check(capsys, "--since", "HEAD")
    assert lines[0] == (
        "docs/guide/setup.rst:12: related link '../notes': there is no document 'notes' "
        "(the page 'notes' was deleted in this change)"
    )
    assert len(lines) == 2 and err.startswith("1 other problem(s)")


def test_moved_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.move(repo / "docs/guide", repo / "docs/manual")
    status, lines, _ = _check(capsys, "--since", "HEAD", "--all")
    assert status == 1
    fixes = [line.partition(": ")[2] for line in lines if "moved in this change" in line]
    assert fixes == [
        "related link 'guide/setup': moved in this change: 'guide/setup' \u2192 "
        "'manual/setup'; write 'manual/setup'",
        "related link 'guide/usage': moved in this change: 'guide/usage' \u2192 "
        "'manual/usage'; write 'manual/usage'",
        "related link 'guide/index': moved in this change: 'guide/index' \u2192 "
        "'manual/index'; write 'manual/index'",
    ]
    # --all also lists the old typo, with a guess that knows the folder moved.
    assert any(line.startswith("docs/notes.rst:9: ") for line in lines)
    status, lines, _ = _check(capsys, "--since", "HEAD", "--format", "json")
    data = json.loads("\n".join(lines))
    moves = {(r["old_docname"], r["new_docname"]) for r in data["since"]["renamed"]}
    assert moves == {
        ("guide/index", "manual/index"),
        ("guide/setup", "manual/setup"),
        ("guide/usage", "manual/usage"),
    }
    assert (data["since"]["listed"], data["since"]["counted"]) == (3, 2)
    validate_report(data)
    fixes = {link["target"]: link["suggestion"] for link in data["links"] if link["line"]}
    assert fixes["guide/index"] == "manual/index"
    assert "moved in this change" in next(
        link["message"] for link in data["links"] if link["target"] == "guide/index"
    )


def test_exit_statuses(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing changed: the old problem is counted, and the change is clean.
    assert _check(capsys, "--since", "HEAD")[:2] == (0, [])
    assert _check(capsys, "--since", "HEAD", "--all")[0] == 1
    status, _, err = _check(capsys, "--since", "no-such-branch")
    assert status == 2
    assert err.startswith("error: git does not know the revision 'no-such-branch'")
    assert _check(capsys, "--since=--output=x")[0] == 2  # never an option for git
    assert cli_main(["check", "docs", "--all"]) == 2
    assert "need --since" in capsys.readouterr().err
    plain = tmp_path / "plain"
    shutil.copytree(repo / "docs", plain)
    monkeypatch.chdir(tmp_path)
    status = cli_main(["check", str(plain), "--since", "HEAD"])
    assert status == 2
    assert "is not inside a git work tree" in capsys.readouterr().err


def test_bad_redirect_file_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "docs/redirects.txt").write_text("one two three\n", encoding="utf-8")
    status, _, err = _check(capsys, "--since", "HEAD", "--write-redirects", "docs/redirects.txt")
    assert status == 2 and "expected 'old new'" in err


@pytest.mark.parametrize(
    ("name", "conf"),
    [
        ("redirects.txt", 'rediraffe_redirects = "redirects.txt"\n'),
        (
            "redirects.py",
            'from pathlib import Path\nexec(Path("redirects.py").read_text(encoding="utf-8"))\n',
        ),
    ],
)
def test_written_redirects_are_read_back(
    repo: Path, name: str, conf: str, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "mv", "docs/guide/setup.rst", "docs/guide/install.rst")
    git(repo, "commit", "-qm", "rename")
    target = repo / "docs" / name
    if name.endswith(".py"):
        target.write_text('opsboundary_redirects = {"old": "new"}\n', encoding="utf-8")
    status, _, _ = _check(capsys, "--since", "HEAD~1", "--write-redirects", f"docs/{name}")
    assert status == 1
    # Merged with what the file held.
    # rediraffe's own format: source files from the source folder; ours: docnames.
    expected = {"guide/setup.rst": "guide/install.rst"}
    if name.endswith(".py"):
        expected = {"guide/setup": "guide/install", "old": "new"}
    else:
        assert target.read_text(encoding="utf-8") == '"guide/setup.rst" "guide/install.rst"\n'
    assert read_redirects(target) == expected
    with (repo / "docs/conf.py").open("a", encoding="utf-8") as handle:
        handle.write(conf)
    build_main(["-q", "-b", "dummy", "docs", str(repo / "_build/dummy"), "-w", str(repo / "w.txt")])
    moved = [
        line
        for line in (repo / "w.txt").read_text(encoding="utf-8").splitlines()
        if "[opsboundary.moved]" in line
    ]
    assert [line.split(": WARNING: ")[1] for line in moved] == [
        "related link 'setup': the page has moved to 'guide/install'; write 'install' "
        "instead [opsboundary.moved]",
        "related link 'setup': the page has moved to 'guide/install'; write 'install' "
        "instead [opsboundary.moved]",
        "related link 'guide/setup': the page has moved to 'guide/install'; write "
        "'guide/install' instead [opsboundary.moved]",
    ]
