"""Incremental equivalence (SPEC §0 "Incremental builds stay true").

A scripted sequence of edits is applied to one generated project; after every
step the incremental build (no ``-E``, same output and doctree folders as the
step before) must equal a fresh ``-E`` build of a copy of the same sources:

* **HTML**: every page byte-identical (link texts, episode index, tables...),
  except Sphinx's own ``<link rel="next|prev">`` head tags, which Sphinx itself
  does not refresh on neighbours of an added or removed page.
* **Warnings**, by this rule:

  - subtypes judged after reading at *every* build (``related``, ``moved``,
    ``duplicate``, ``self``, ``reciprocal``) and every warning located in
    ``conf.py`` or the episodes file (the registry is re-read at every build):
    the incremental set equals the fresh set exactly;
  - read-time warnings (the other subtypes), which Sphinx only re-emits for
    documents it re-reads: the incremental build's equal the fresh build's
    restricted to documents the incremental build re-read (a warning located
    in a boundary data file counts for the documents that read that file);
    and the incremental build shows none the fresh build does not;
  - no untyped warnings and no crash, in either build.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reliability.build import (
    Result,
    compare_pages,
    html_pages,
    sphinx_build,
    without_sphinx_relations,
)
from reliability.project import Project
from util import Warning_

POST_READ = {
    "opsboundary.related",
    "opsboundary.moved",
    "opsboundary.duplicate",
    "opsboundary.self",
    "opsboundary.reciprocal",
}
ALWAYS_FILES = {"conf.py", "episodes.toml"}


def _docname(file: str) -> str | None:
    if file.endswith((".rst", ".md")):
        return file.rsplit(".", 1)[0]
    return None


def _compared(
    warnings: list[Warning_], project: Project, reread: set[str]
) -> tuple[set[Warning_], set[Warning_]]:
    """(warnings compared exactly, read-time warnings of re-read documents)."""
    exact: set[Warning_] = set()
    reread_only: set[Warning_] = set()
    for w in warnings:
        if w.type in POST_READ or w.file in ALWAYS_FILES or not w.file:
            exact.add(w)
            continue
        doc = _docname(w.file)
        users = {doc} if doc else project.docs_using(w.file)
        if users & reread:
            reread_only.add(w)
    return exact, reread_only


def _check_step(name: str, project: Project, inc: Result, fresh: Result) -> list[str]:
    problems: list[str] = []
    for label, result in (("incremental", inc), ("fresh", fresh)):
        if result.returncode != 0 or result.crashed:
            problems.append(f"[{name}] {label} build failed:\n{result.describe()}")
        untyped = [w for w in result.warnings if not w.type]
        if untyped:
            problems.append(f"[{name}] {label} build has untyped warnings: {untyped}")
    if problems:
        return problems
    fresh_pages = without_sphinx_relations(html_pages(fresh.outdir))
    # Sphinx never deletes the output of a removed document; only pages the
    # fresh build writes are compared.
    inc_pages = {
        k: v
        for k, v in without_sphinx_relations(html_pages(inc.outdir)).items()
        if k in fresh_pages
    }
    page_problems = compare_pages(inc_pages, fresh_pages)
    problems += [f"[{name}] HTML: {p}" for p in page_problems[:4]]
    if len(page_problems) > 4:
        problems.append(f"[{name}] ... and {len(page_problems) - 4} more differing pages")

    inc_exact, inc_reread = _compared(inc.warnings, project, inc.read_docs)
    fresh_exact, fresh_reread = _compared(fresh.warnings, project, inc.read_docs)
    if inc_exact != fresh_exact:
        problems.append(
            f"[{name}] every-build warnings differ:\n"
            f"  only incremental: {sorted(inc_exact - fresh_exact)}\n"
            f"  only fresh: {sorted(fresh_exact - inc_exact)}"
        )
    if inc_reread != fresh_reread:
        problems.append(
            f"[{name}] read-time warnings of re-read documents differ:\n"
            f"  only incremental: {sorted(inc_reread - fresh_reread)}\n"
            f"  only fresh: {sorted(fresh_reread - inc_reread)}"
        )
    extra = set(inc.warnings) - set(fresh.warnings)
    if extra:
        problems.append(f"[{name}] warnings a fresh build does not show: {sorted(extra)}")
    return problems


def _fresh(src: Path, work: Path, step: int) -> Result:
    copy = work / f"fresh-{step}"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    return sphinx_build(copy, copy / "_build" / "html", fresh=True)


def _run_sequence(
    tmp_path: Path, project: Project, steps: list[tuple[str, Callable[[Project], object]]]
) -> list[str]:
    src = tmp_path / "src"
    project.write(src)
    out = src / "_build" / "html"
    first = sphinx_build(src, out)
    assert first.returncode == 0 and not first.crashed, first.describe()
    # The comparison must not be won by re-reading everything: a no-op
    # rebuild reads nothing, and every step below re-reads only part.
    noop = sphinx_build(src, out)
    assert noop.read_docs == set(), f"a no-op rebuild re-read {sorted(noop.read_docs)}"
    problems: list[str] = []
    for number, (name, edit) in enumerate(steps):
        edit(project)
        project.write(src)
        inc = sphinx_build(src, out)
        fresh = _fresh(src, tmp_path, number)
        # The copy lives elsewhere; make its paths comparable to the original's.
        fresh.warnings = [
            Warning_(w.file, w.line, w.message.replace(str(fresh.srcdir), str(src)), w.type)
            for w in fresh.warnings
        ]
        problems += _check_step(name, project, inc, fresh)
        if len(inc.read_docs) >= len(project.docnames()):
            problems.append(f"[{name}] the rebuild re-read every page; it is not incremental")
        shutil.rmtree(fresh.srcdir)
    return problems


def _sequence() -> list[tuple[str, Callable[[Project], object]]]:
    removed: dict[str, str] = {}

    def remove(project: Project) -> None:
        removed["topics/topic-004.rst"] = project.remove("topics/topic-004.rst")

    def restore(project: Project) -> None:
        for path, text in removed.items():
            project.restore(path, text)

    stashed: dict[str, str] = {}

    def stash(project: Project, path: str) -> None:
        stashed[path] = project.remove(path)

    def unstash(project: Project) -> None:
        for path, text in stashed.items():
            project.restore(path, text)

    return [
        ("add a page", lambda p: p.add_topic()),
        ("remove a page", remove),
        ("rename a page with a redirect", lambda p: p.rename_topic(6, "topics/renamed-006")),
        (
            "rename a page whose redirect is already configured",
            lambda p: p.rename_topic(15, "topics/moved-015", add_redirect=False),
        ),
        ("retitle a page", lambda p: p.retitle_topic(11, "Topic 011 has a new title")),
        (
            "edit the episodes file",
            lambda p: p.edit_episode("ep-3", title="File Episode 3, renamed", speakers=["New"]),
        ),
        (
            "edit a boundary data file",
            lambda p: p.edit_table_data("Serves now", "Inference", "ETL"),
        ),
        ("change a config value", lambda p: p.set_reciprocal(True)),
        ("delete a boundary data file", lambda p: stash(p, "data/table-2.json")),
        ("delete the episodes file", lambda p: stash(p, "episodes.toml")),
        ("restore the deleted data files", unstash),
        ("restore the removed page", restore),
        ("retitle a page back", lambda p: p.retitle_topic(11, p.topic_title(11))),
    ]


@pytest.mark.slow
def test_incremental_equals_fresh_after_every_edit(tmp_path: Path) -> None:
    problems = _run_sequence(tmp_path, Project(topics=24), _sequence())
    assert not problems, "\n\n".join(problems)


SINGLE = [
    name for name, _ in _sequence() if not name.startswith(("restore", "retitle a page back"))
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SINGLE)
def test_single_edit_incremental_equals_fresh(tmp_path: Path, name: str) -> None:
    """Each edit alone (restores aside: they need their removal first, and the
    whole sequence covers them), from a clean first build: pins down which edit
    breaks."""
    edit = dict(_sequence())[name]
    problems = _run_sequence(tmp_path, Project(topics=24), [(name, edit)])
    assert not problems, "\n\n".join(problems)


def test_touched_page_rebuild_writes_the_fresh_html(tmp_path: Path) -> None:
    """Fast canary (not ``slow``): a fresh build, then a rebuild after touching one
    page, must write that page byte-identical to the fresh build's.  Catches
    output that depends on what an earlier build left in the output folder
    (e.g. stylesheets copied only at ``build-finished``, so their ``?v=``
    checksum appears only from the second build on)."""
    from reliability.project import bump

    project = Project(topics=4)
    project.write(tmp_path)
    out = tmp_path / "_build" / "html"
    first = sphinx_build(tmp_path, out)
    assert first.returncode == 0 and not first.crashed, first.describe()
    before = html_pages(out)
    bump(tmp_path / project.topic_path(2))
    second = sphinx_build(tmp_path, out)
    assert second.returncode == 0 and not second.crashed, second.describe()
    after = html_pages(out)
    page = project.topic_name(2) + ".html"
    assert "topics/topic-002" in second.read_docs
    assert after[page] == before[page], compare_pages({page: after[page]}, {page: before[page]})
