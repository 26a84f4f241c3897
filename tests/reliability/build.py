"""Run ``sphinx-build`` in a subprocess and read back what it produced.

Subprocesses keep every build independent (no shared module state, a real
``-j``), which is what the parallel and incremental equivalence tests need.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util.console import strip_colors

from util import Warning_, parse_warnings

PYTHON = sys.executable

#: ``reading sources... [ 50%] topics/topic-003`` (one per line without a tty).
_READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (?P<doc>\S+)")

#: Output of a crashed build.
CRASH_MARKERS = ("Traceback (most recent call last)", "Exception occurred", "Extension error")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    srcdir: Path
    outdir: Path
    warnings: list[Warning_] = field(default_factory=list)
    read_docs: set[str] = field(default_factory=set)

    @property
    def crashed(self) -> bool:
        text = self.stdout + self.stderr
        return any(marker in text for marker in CRASH_MARKERS)

    def ops_warnings(self) -> list[Warning_]:
        return sorted(w for w in self.warnings if (w.type or "").startswith("opsboundary"))

    def describe(self) -> str:
        return (
            f"exit {self.returncode}\n--- stdout ---\n{self.stdout[-4000:]}\n"
            f"--- stderr ---\n{self.stderr[-8000:]}"
        )


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    *,
    builder: str = "html",
    jobs: int = 1,
    fresh: bool = False,
    extra: list[str] | tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    timeout: float = 600,
    doctreedir: Path | None = None,
) -> Result:
    """``python -m sphinx -b BUILDER [-j N] [-E] SRC OUT``; never raises on failure."""
    cmd = [PYTHON, "-m", "sphinx", "-b", builder, "--no-color", "-T"]
    if jobs != 1:
        cmd += ["-j", str(jobs)]
    if fresh:
        cmd.append("-E")
    if doctreedir is not None:
        cmd += ["-d", str(doctreedir)]
    cmd += [*extra, str(srcdir), str(outdir)]
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.setdefault("PYTHONHASHSEED", "0")
    full_env["LC_ALL"] = "C.UTF-8"
    full_env["SOURCE_DATE_EPOCH"] = "1700000000"
    if env:
        full_env.update(env)
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=full_env,
        timeout=timeout,
        check=False,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr, Path(srcdir), Path(outdir))
    result.warnings = parse_warnings(proc.stderr, Path(srcdir))
    result.read_docs = {m["doc"] for m in _READING.finditer(strip_colors(proc.stdout))}
    return result


def html_pages(outdir: Path) -> dict[str, bytes]:
    """Every ``.html`` file under *outdir* (relative posix path -> bytes)."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


#: Sphinx's own ``<link rel="next|prev">`` head tags of a page's *neighbours* are
#: not refreshed when a page is added or removed without ``-E`` (Sphinx writes
#: only outdated pages); that is Sphinx's limitation, not the extension's, so the
#: incremental comparison removes exactly these tags and nothing else.
_REL_LINKS = re.compile(rb'\n *<link rel="(?:next|prev)" title="[^"]*" href="[^"]*" />')


def without_sphinx_relations(pages: dict[str, bytes]) -> dict[str, bytes]:
    return {name: _REL_LINKS.sub(b"", page) for name, page in pages.items()}


def first_difference(a: bytes, b: bytes, context: int = 300) -> str:
    """A short readable excerpt around the first byte where *a* and *b* differ."""
    limit = min(len(a), len(b))
    index = next((i for i in range(limit) if a[i] != b[i]), limit)
    start = max(index - context, 0)
    return (
        f"first difference at byte {index}:\n"
        f"--- a ---\n{a[start : index + context].decode('utf-8', 'replace')}\n"
        f"--- b ---\n{b[start : index + context].decode('utf-8', 'replace')}"
    )


def compare_pages(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Human-readable differences between two page sets (empty when identical)."""
    problems: list[str] = []
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    if only_a:
        problems.append(f"pages only in the first build: {only_a}")
    if only_b:
        problems.append(f"pages only in the second build: {only_b}")
    for name in sorted(set(a) & set(b)):
        if a[name] != b[name]:
            problems.append(f"{name} differs; {first_difference(a[name], b[name])}")
    return problems
