"""Recovery after an interrupted build (issue 11, rule 5).

A real ``sphinx-build`` is interrupted with SIGINT (Ctrl-C, sent to its whole
process group, so ``-j 4`` workers get it too) at a random point of its read
or write phase; the next incremental build must then equal a fresh build of
the same sources: every page's main content, and the warnings by the rule of
``test_reliability_incremental`` (post-read kinds and registry warnings
exactly; read-time warnings exactly for the pages the build re-read; never a
warning a fresh build does not show).

The edits between builds are the ones whose effect on *other* pages Sphinx
cannot see by itself: a retitled page (the related-link texts that show its
title), a removed citation (the episode index pages), a deleted page (live
links to it) and an edited episodes file (the pages that cite its episodes).
Each step toggles one of them, so the sources only ever take a few distinct
states, and a fresh build of each state is made once and reused.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reliability.build import Result, sphinx_build
from reliability.project import FILE_EPISODES, Project, episodes_toml
from test_reliability_incremental import _compared
from util import Warning_

POINTS_PER_JOBS = 10  # x2 (-j 1, -j 4) = 20 random interrupt points
SEED = int(os.environ.get("OPSBOUNDARY_INTERRUPT_SEED", "20261202"))
TOGGLES = ("retitle", "uncite", "delete", "episodes")
#: The main content of a page (alabaster): Sphinx's own navigation around it
#: is Sphinx's business.
_MAIN = re.compile(rb'<div class="body" role="main">(.*?)<div class="footer"', re.S)


def _sources(base: Project, state: frozenset[str]) -> dict[str, str]:
    files = dict(base.files)
    if "retitle" in state:
        files[base.topic_path(3)] = base.topic_page(3, title="Topic 003, retitled")
    if "uncite" in state:
        page = files[base.topic_path(6)]
        start, end = page.index(".. episode-citation::"), page.index("\nDetails\n")
        files[base.topic_path(6)] = page[:start] + "Cited no more.\n" + page[end:]
    if "delete" in state:
        del files[base.topic_path(5)]
    if "episodes" in state:
        episodes = {key: dict(value) for key, value in FILE_EPISODES.items()}
        episodes["ep-3"]["title"] = "File Episode 3, renamed"
        files["episodes.toml"] = episodes_toml(episodes)
    return files


def _write(base: Project, state: frozenset[str], root: Path) -> None:
    project = Project(topics=base.topics, files=_sources(base, state))
    project.write(root)


def _interrupted_build(src: Path, out: Path, jobs: int, rng: random.Random) -> str:
    """Run a build and SIGINT it at a random point of its read or write phase."""
    phase = rng.choice(["reading sources", "writing output"])
    delay = rng.uniform(0.0, 0.4)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "--no-color", "-T"]
    cmd += ["-j", str(jobs)] if jobs != 1 else []
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    seen = threading.Event()
    lines: list[str] = []
    with subprocess.Popen(
        [*cmd, str(src), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: Ctrl-C reaches every worker
    ) as proc:

        def watch() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line)
                if phase in line:
                    seen.set()

        reader = threading.Thread(target=watch, daemon=True)
        reader.start()
        if seen.wait(timeout=120):
            time.sleep(delay)
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGINT)
        killed = False
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # Sphinx's own -j pool can wait forever for a worker that Ctrl-C
            # ended; a user then presses Ctrl-C again or kills it. Recovery
            # after a hard kill is the harder case, so the test goes on.
            killed = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
        reader.join(timeout=10)
    text = "".join(lines)
    assert "Traceback" not in text or "KeyboardInterrupt" in text, text[-3000:]
    interrupted = proc.returncode != 0
    how = "killed" if killed else "interrupted" if interrupted else "finished first"
    return f"{phase}+{delay:.2f}s:{how}"


def _main_content(out: Path) -> dict[str, bytes]:
    pages = {}
    for path in sorted(out.rglob("*.html")):
        if "_static" in path.parts or path.name in {"genindex.html", "search.html"}:
            continue
        match = _MAIN.search(path.read_bytes())
        pages[path.relative_to(out).as_posix()] = match.group(1) if match else b""
    return pages


def _problems(label: str, project: Project, inc: Result, fresh: Result) -> list[str]:
    problems = []
    if inc.returncode != 0 or inc.crashed:
        return [f"[{label}] the incremental build failed:\n{inc.describe()}"]
    fresh_pages = _main_content(fresh.outdir)
    inc_pages = {k: v for k, v in _main_content(inc.outdir).items() if k in fresh_pages}
    for name in sorted(fresh_pages):
        if inc_pages.get(name) != fresh_pages[name]:
            problems.append(f"[{label}] {name}: the main content differs from a fresh build")
    inc_exact, inc_reread = _compared(inc.warnings, project, inc.read_docs)
    fresh_exact, fresh_reread = _compared(fresh.warnings, project, inc.read_docs)
    if inc_exact != fresh_exact:
        problems.append(
            f"[{label}] every-build warnings differ: only incremental "
            f"{sorted(inc_exact - fresh_exact)}, only fresh {sorted(fresh_exact - inc_exact)}"
        )
    if inc_reread != fresh_reread:
        problems.append(
            f"[{label}] read-time warnings of re-read pages differ: only incremental "
            f"{sorted(inc_reread - fresh_reread)}, only fresh {sorted(fresh_reread - inc_reread)}"
        )
    extra = set(inc.warnings) - set(fresh.warnings)
    if extra:
        problems.append(f"[{label}] warnings a fresh build does not show: {sorted(extra)}")
    return problems


@pytest.mark.slow
def test_incremental_build_after_an_interrupt_equals_a_fresh_build(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    base = Project(topics=16)
    fresh_builds: dict[frozenset[str], Result] = {}

    def fresh(state: frozenset[str]) -> Result:
        if state not in fresh_builds:
            root = tmp_path / f"fresh-{len(fresh_builds)}"
            _write(base, state, root)
            result = sphinx_build(root, root / "_build" / "html", fresh=True)
            assert result.returncode == 0 and not result.crashed, result.describe()
            fresh_builds[state] = result
        return fresh_builds[state]

    problems: list[str] = []
    points: list[str] = []
    for jobs in (1, 4):
        src = tmp_path / f"src-j{jobs}"
        out = src / "_build" / "html"
        state: frozenset[str] = frozenset()
        _write(base, state, src)
        first = sphinx_build(src, out, jobs=jobs)
        assert first.returncode == 0 and not first.crashed, first.describe()
        for step in range(POINTS_PER_JOBS):
            state = state ^ {rng.choice(TOGGLES)}
            _write(base, state, src)
            point = _interrupted_build(src, out, jobs, rng)
            points.append(f"-j {jobs} step {step} {sorted(state)} {point}")
            inc = sphinx_build(src, out, jobs=jobs)
            reference = fresh(state)
            reference.warnings = [
                Warning_(w.file, w.line, w.message.replace(str(reference.srcdir), str(src)), w.type)
                for w in reference.warnings
            ]
            project = Project(topics=base.topics, files=_sources(base, state))
            problems += _problems(points[-1], project, inc, reference)
    interrupted = [p for p in points if p.endswith(":interrupted")]
    assert len(interrupted) >= len(points) // 2, "too few builds were really interrupted:\n" + (
        "\n".join(points)
    )
    assert not problems, "\n".join(problems[:12]) + "\n\ninterrupt points:\n" + "\n".join(points)
