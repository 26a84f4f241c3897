"""The opsboundary-check builder, its report files, exit status, annotations and CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from sphinx_opsboundary.__main__ import main as cli_main
from sphinx_opsboundary.report.formats import github_annotation

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, str]:
    """One opsboundary-check run over the related root, under GitHub Actions."""
    base = tmp_path_factory.mktemp("checker")
    src = base / "src"
    shutil.copytree(ROOTS / "test-related", src)
    out = base / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("GITHUB_ACTIONS", "true")
    import contextlib
    import io

    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
            status = build_main(["-q", "-b", "opsboundary-check", str(src), str(out)])
    finally:
        mp.undo()
    return status, out, buffer.getvalue()


def test_exit_status_non_zero(checked: tuple[int, Path, str]) -> None:
    assert checked[0] == 1


def test_output_txt(checked: tuple[int, Path, str]) -> None:
    lines = (checked[1] / "output.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 31
    assert lines[0] == (
        "conf.py:4: redirect cycle in opsboundary_redirects/rediraffe_redirects: "
        "loop-a -> loop-b -> loop-a; remove one of these entries"
    )
    assert (
        "links/rst_links.rst:13: related link '../mlopz': there is no document 'mlopz'; "
        "did you mean '../mlops'?"
    ) in lines
    assert "links/md_links.md:18: related link '../loop-a' points into a redirect cycle " in (
        "\n".join(lines)
    )
    assert not any(line.startswith("links/sibling") for line in lines)
    assert list(checked[1].iterdir()) and not list(checked[1].glob("**/*.html"))


def test_json_report(checked: tuple[int, Path, str]) -> None:
    data = json.loads((checked[1] / "opsboundary.json").read_text(encoding="utf-8"))
    assert data["problems"] == 31
    rst = [link for link in data["links"] if link["file"] == "links/rst_links.rst"]
    statuses = {link["line"]: link["status"] for link in rst}
    assert statuses == {
        7: "ok",
        8: "ok",
        9: "ok",
        10: "ok",
        11: "ok",
        12: "ok",
        13: "broken",
        14: "broken",
        15: "broken",
        16: "moved",
        17: "moved",
        18: "broken",
        19: "broken",
        20: "broken",
        21: "duplicate",
        22: "self",
        24: "broken",
    }
    typo = next(link for link in rst if link["line"] == 13)
    assert typo["suggestion"] == "../mlops"
    assert typo["target"] == "../mlopz"
    moved = next(link for link in rst if link["line"] == 16)
    assert (moved["resolved"], moved["suggestion"]) == ("mlops", "../mlops")
    one_way = [link for link in data["links"] if link["status"] == "one-way"]
    assert [(link["file"], link["line"], link["suggestion"]) for link in one_way] == [
        ("recip/a.rst", 7, "a"),
        ("recip/c.md", 4, "c"),
    ]
    subtypes = sorted((d["file"], d["line"], d["subtype"]) for d in data["diagnostics"])
    assert subtypes == [
        ("conf.py", 4, "config"),
        ("links/md_links.md", 23, "url"),
        ("links/md_links.md", 26, "syntax"),
        ("links/md_links.md", 27, "syntax"),
        ("links/rst_links.rst", 23, "url"),
        ("links/rst_links.rst", 26, "syntax"),
        ("links/rst_links.rst", 27, "syntax"),
    ]


def test_github_annotations(checked: tuple[int, Path, str]) -> None:
    annotations = [line for line in checked[2].splitlines() if line.startswith("::error")]
    assert len(annotations) == 31
    assert (
        "::error file=links/rst_links.rst,line=13::related link '../mlopz': there is no "
        "document 'mlopz'; did you mean '../mlops'?"
    ) in annotations


def test_github_escaping() -> None:
    assert github_annotation("a:b,c.rst", 3, "50% done\r\nnext") == (
        "::error file=a%3Ab%2Cc.rst,line=3::50%25 done%0D%0Anext"
    )


def test_clean_project_exits_zero(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        build_main(["-q", "-b", "opsboundary-check", str(ROOTS / "test-checker-clean"), str(out)])
        == 0
    )
    assert (out / "output.txt").read_text(encoding="utf-8") == ""
    data = json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))
    # The root sits inside this repository's git work tree: paths start from its top.
    assert [(link["file"], link["line"], link["status"]) for link in data["links"]] == [
        ("tests/roots/test-checker-clean/index.rst", 10, "ok"),
        ("tests/roots/test-checker-clean/other.rst", 6, "ok"),
    ]


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-related-recip", src)
    assert cli_main(["check", str(src)]) == 1
    text = capsys.readouterr().out
    assert text == (
        "index.rst:12: related link to 'a' is one-way: 'a' does not list 'index' back; "
        "add '- index' to its related-paths (required by opsboundary_reciprocal)\n"
    )
    assert cli_main(["check", str(src), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["problems"] == 1
    assert cli_main(["check", str(src), "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=index.rst,line=12::related link")
    assert cli_main(["check", str(ROOTS / "test-checker-clean")]) == 0
    assert capsys.readouterr().out == ""


def test_cli_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli_main(["check", str(tmp_path), "--format", "xml"])
    assert exc.value.code == 2
    assert cli_main(["check", str(tmp_path / "missing")]) == 2
    assert cli_main(["check", str(tmp_path)]) == 2  # no conf.py


def test_registry_problems_found_while_loading_the_config_fail_the_check(tmp_path: Path) -> None:
    """Episode and config problems are raised at config-inited, before the builder exists."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_opsboundary"]\n'
        "opsboundary_episodes = {\n"
        '    "talk": {"title": "A Talk"},\n'
        "}\n"
        'opsboundary_episodes_file = "missing.toml"\n'
        'opsboundary_timestamp_links = {"example.org/x": "{url}?t={seconds}"}\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text("Home\n====\n\nNothing is cited.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build_main(["-q", "-b", "opsboundary-check", str(src), str(out)]) == 1
    lines = (out / "output.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "conf.py:3",  # the entry's own line in the dict literal
        "conf.py:5",  # the missing file, at the setting that names it
        "conf.py:6",  # the assignment of opsboundary_timestamp_links
    ]
    expected = """episode 'talk' in conf.py has no speaker; add speakers = ["Name"]"""
    assert lines[0].endswith(expected)
    data = json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))
    assert sorted(d["subtype"] for d in data["diagnostics"]) == ["config", "episode", "source"]
