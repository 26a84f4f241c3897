"""Shared measurement helpers: one Sphinx build per child process, timed, with its
peak memory read from ``os.wait4``; machine and version notes; statistics; JSON.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Generated projects and build output (ignored by git).
WORK = HERE / "_work"
#: JSON results.
RESULTS = HERE / "results"

_NUMERIC = re.compile(r"^-?[\d.]+(?:[-/>\d.]*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"^(?:.*?: )?(?:WARNING|ERROR|CRITICAL|SEVERE)\b", re.MULTILINE)


_GC_OFF = (
    "import gc, sys; gc.disable(); from sphinx.cmd.build import main; sys.exit(main(sys.argv[1:]))"
)


@dataclass(slots=True)
class BuildResult:
    label: str
    seconds: float  #: wall-clock time of the child process
    user: float  #: CPU seconds in user mode
    system: float  #: CPU seconds in kernel mode
    maxrss_mib: float  #: peak resident set size of the child
    returncode: int
    warnings: int
    output: str = field(default="", repr=False)  #: stdout + stderr, colour codes removed


def sphinx_build(
    label: str,
    src: Path,
    out: Path,
    builder: str = "html",
    *,
    fresh: bool = True,
    quiet: bool = True,
    extra: Sequence[str] = (),
    python: str = sys.executable,
    gc_off: bool = False,
    pythonpath: str | None = None,
) -> BuildResult:
    """Run ``python -m sphinx`` once in a child process and measure it.

    *fresh* removes *out* first and passes ``-E``.  The child's peak memory comes
    from the ``rusage`` that ``os.wait4`` returns for that child alone.  *gc_off*
    runs Sphinx with Python's cyclic garbage collector disabled (a diagnostic: it
    shows how much of a difference is collector work on a bigger heap).
    *pythonpath* is put first on the child's ``PYTHONPATH``: the extension is then
    imported from there (an earlier version, to compare within one run).
    """
    if fresh and out.exists():
        shutil.rmtree(out)
    if gc_off:
        cmd = [python, "-c", _GC_OFF, "-b", builder, "-j", "1"]
    else:
        cmd = [python, "-m", "sphinx", "-b", builder, "-j", "1"]
    if fresh:
        cmd.append("-E")
    if quiet:
        cmd.append("-q")
    cmd += [*extra, str(src), str(out)]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
    env.pop("GITHUB_ACTIONS", None)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, env.get("PYTHONPATH")) if p)
    log = out.parent / f".{out.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w+b") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = _ANSI.sub("", sink.read().decode("utf-8", "replace"))
    log.unlink()
    return BuildResult(
        label=label,
        seconds=seconds,
        user=usage.ru_utime,
        system=usage.ru_stime,
        maxrss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=proc.returncode,
        warnings=len(_WARNING.findall(output)),
        output=output,
    )


def check_clean(result: BuildResult, *, allow_returncode: Sequence[int] = (0,)) -> None:
    """Stop the benchmark when a build fails or warns: its figures would mislead."""
    if result.returncode in allow_returncode and result.warnings == 0:
        return
    lines = result.output.strip().splitlines()
    shown = "\n".join(lines[:40])
    raise SystemExit(
        f"{result.label}: exit status {result.returncode}, {result.warnings} warning(s); "
        f"a benchmark of a broken build means nothing. First lines of the output:\n{shown}"
    )


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def _first_line(cmd: Sequence[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    except OSError:
        return ""
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_mib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def environment() -> dict[str, Any]:
    """Versions and machine, noted with every result."""
    import docutils
    import sphinx

    try:
        from importlib.metadata import version

        ext_version = version("sphinx-opsboundary")
    except Exception:  # not installed: the figures still stand, unlabelled
        ext_version = "not installed"
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(_first_line(["git", "status", "--porcelain", "--", "src"]))
    return {
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "sphinx": sphinx.__version__,
        "docutils": docutils.__version__,
        "sphinx_opsboundary": ext_version,
        "git_commit": commit + ("+uncommitted src changes" if dirty else ""),
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "mem_total_mib": _mem_total_mib(),
        "loadavg_at_start": list(os.getloadavg()),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def print_environment(env: dict[str, Any]) -> None:
    print(
        f"Python {env['python']}, Sphinx {env['sphinx']}, docutils {env['docutils']}, "
        f"sphinx-opsboundary {env['sphinx_opsboundary']} ({env['git_commit'] or 'no git'})"
    )
    print(
        f"{env['platform']}; {env['cpu_model']}; {env['cpu_count']} cores "
        f"({env['cpus_usable']} usable); load average {env['loadavg_at_start']}"
    )


def write_json(name: str, payload: dict[str, Any], path: Path | None = None) -> Path:
    target = path or RESULTS / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {**payload, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    payload["loadavg_at_end"] = list(os.getloadavg())
    target.write_text(json.dumps(payload, indent=2, default=_json_default) + "\n")
    return target


def _json_default(obj: Any) -> Any:
    if isinstance(obj, BuildResult):
        data = asdict(obj)
        data.pop("output")
        return data
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(type(obj).__name__)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain fixed-width table for the terminal."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.rjust(w) if n and _NUMERIC.match(c) else c.ljust(w)
                for c, w in zip(row, widths, strict=True)
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
