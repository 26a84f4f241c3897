"""What checking citations against transcripts (SPEC §6) adds to a build.

Generates 100 one-hour WebVTT transcripts (two voices, a cue every ~3.6 s, about
9,000 words each) and a project of 20 pages with 50 quoted citations each (1,000
citations, each quoting two or three cues of a random moment, with ``:speaker:``).
The same project is built twice, interleaved:

* ``with``: the registry names each episode's transcript, so every quotation is
  matched and every speaker checked;
* ``without``: the same registry without ``transcript`` (the cost of everything
  else).

For each it measures a fresh build into an empty folder (every transcript parsed
and indexed), a rebuild with nothing changed (transcripts taken from the
environment, outcomes reused), a rebuild after editing one transcript (only its
citations judged again, and the pages citing it re-read), and a ``-E`` build in the
same folder (a fresh environment; parsed transcripts come from the copies beside
the doctrees, and every citation is judged again).  Then, in this process, the
matching cost against transcript length: an index and 200 citations (half found,
half not) for 15 to 240 minute transcripts.

Usage::

    python benchmarks/transcripts.py --repeat 3
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import WORK, environment, print_environment, sphinx_build, table, write_json

EPISODES = 100
PAGES = 20
PER_PAGE = 50
CUE_SECONDS = 3.6
VOICES = ("Ada Brook", "Ben Ortiz")


def _vocabulary(rng: random.Random) -> list[str]:
    common = [
        "the", "a", "and", "to", "of", "we", "is", "it", "that", "in", "you", "for", "on",
        "this", "with", "be", "not", "our", "what", "they", "data", "model", "team",
        "pipeline", "alert", "page", "owner", "runbook", "deploy", "service",
    ]  # fmt: skip
    letters = "abcdefghijklmnopqrstuvwxyz"
    rare = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(4000)}
    return common * 40 + sorted(rare)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{secs:06.3f}"


def make_cues(rng: random.Random, words: list[str], minutes: float) -> list[tuple[float, str, str]]:
    cues = []
    start = 0.5
    while start < minutes * 60:
        text = " ".join(rng.choice(words) for _ in range(rng.randint(7, 12)))
        cues.append((start, VOICES[len(cues) // 6 % 2], text.capitalize() + "."))
        start += CUE_SECONDS
    return cues


def vtt(cues: list[tuple[float, str, str]]) -> str:
    lines = ["WEBVTT", ""]
    for start, voice, text in cues:
        lines += [
            f"{_clock(start)} --> {_clock(start + CUE_SECONDS - 0.2)}",
            f"<v {voice}>{text}",
            "",
        ]
    return "\n".join(lines)


def write_project(root: Path, with_transcripts: bool, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = _vocabulary(rng)
    if root.exists():
        shutil.rmtree(root)
    (root / "transcripts").mkdir(parents=True)
    registry = {}
    episodes = []
    for number in range(EPISODES):
        key = f"ep{number:03d}"
        cues = make_cues(rng, words, 60)
        (root / "transcripts" / f"{key}.vtt").write_text(vtt(cues), encoding="utf-8")
        entry: dict[str, Any] = {"title": f"Episode {number}", "speakers": list(VOICES)}
        if with_transcripts:
            entry["transcript"] = f"transcripts/{key}.vtt"
        registry[key] = entry
        episodes.append((key, cues))
    (root / "conf.py").write_text(
        f'extensions = ["sphinx_opsboundary"]\nproject = "bench"\n'
        f"opsboundary_episodes = {registry!r}\n",
        encoding="utf-8",
    )
    toc = ["Bench", "=====", "", ".. toctree::", ""]
    for page in range(PAGES):
        toc.append(f"   page{page:02d}")
        body = [f"Page {page}", "=" * (5 + len(str(page))), ""]
        for _ in range(PER_PAGE):
            key, cues = rng.choice(episodes)
            first = rng.randrange(len(cues) - 3)
            quoted = " ".join(text for _s, _v, text in cues[first : first + rng.randint(1, 2)])
            voice = cues[first][1]
            at = int(cues[first][0])
            body += [
                f".. episode-citation:: {key}",
                f"   :at: {at // 60}:{at % 60:02d}",
                f"   :speaker: {voice}",
                "",
                f'   "{quoted}"',
                "",
            ]
        (root / f"page{page:02d}.rst").write_text("\n".join(body), encoding="utf-8")
    (root / "index.rst").write_text("\n".join(toc) + "\n", encoding="utf-8")


def _edit_one(root: Path) -> None:
    path = root / "transcripts" / "ep000.vtt"
    path.write_text(
        path.read_text("utf-8").replace("<v Ada Brook>", "<v Ada Brook>So, ", 3), "utf-8"
    )


def build_figures(repeat: int) -> dict[str, Any]:
    roots = {name: WORK / f"transcripts-{name}" for name in ("with", "without")}
    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        name: {"fresh": [], "nochange": [], "edit-one": [], "-E again": []} for name in roots
    }
    for round_ in range(repeat):
        order = list(roots) if round_ % 2 == 0 else list(reversed(roots))
        for name in order:
            root = roots[name]
            write_project(root, with_transcripts=name == "with")
            out = root / "_build"
            steps = (("fresh", True), ("nochange", False), ("edit-one", False), ("-E again", False))
            for step, fresh in steps:
                if step == "edit-one":
                    _edit_one(root)
                extra = ("-E",) if step == "-E again" else ()
                result = sphinx_build(f"{name}-{step}", root, out, fresh=fresh, extra=extra)
                if result.returncode != 0:
                    raise SystemExit(f"build failed:\n{result.output[-3000:]}")
                if "WARNING" in result.output:
                    raise SystemExit(f"build warned:\n{result.output[-3000:]}")
                results[name][step].append((result.seconds, result.user + result.system))
    figures: dict[str, Any] = {}
    rows = []
    for step in ("fresh", "nochange", "edit-one", "-E again"):
        wall = {n: statistics.median(s for s, _c in results[n][step]) for n in roots}
        cpu = {n: statistics.median(c for _s, c in results[n][step]) for n in roots}
        figures[step] = {"wall": wall, "cpu": cpu, "added_wall": wall["with"] - wall["without"],
                         "added_cpu": cpu["with"] - cpu["without"]}  # fmt: skip
        added_wall, added_cpu = wall["with"] - wall["without"], cpu["with"] - cpu["without"]
        rows.append(
            [step, f"{wall['without']:.2f}", f"{wall['with']:.2f}", f"{added_wall:+.2f}",
             f"{cpu['without']:.2f}", f"{cpu['with']:.2f}", f"{added_cpu:+.2f}"]
        )  # fmt: skip
    print(table(["build", "wall w/o", "wall with", "added", "cpu w/o", "cpu with", "added"], rows))
    return figures


def matching_figures() -> dict[str, Any]:
    """Index and match cost in this process, against transcript length."""
    from sphinx_opsboundary.domain import Citation
    from sphinx_opsboundary.episodes.judging import judge
    from sphinx_opsboundary.episodes.matching import TokenIndex
    from sphinx_opsboundary.episodes.registry import Episode
    from sphinx_opsboundary.episodes.transcripts import read_transcript

    rng = random.Random(3)
    words = _vocabulary(rng)
    episode = Episode(key="e", title="E", speakers=VOICES)
    rows, figures = [], {}
    tmp = WORK / "transcripts-scale"
    tmp.mkdir(parents=True, exist_ok=True)
    for minutes in (15, 30, 60, 120, 240):
        cues = make_cues(rng, words, minutes)
        path = tmp / f"{minutes}.vtt"
        path.write_text(vtt(cues), encoding="utf-8")
        started = time.process_time()
        transcript = read_transcript(str(path))
        parsed = time.process_time() - started
        started = time.process_time()
        index = TokenIndex(transcript)
        indexed = time.process_time() - started
        citations = []
        for number in range(200):
            first = rng.randrange(len(cues) - 3)
            text = cues[first][2] + " " + cues[first + 1][2]
            if number % 2:
                text = text.replace(" ", " zzz ", 1)  # not said: the closest passage is searched
            citations.append(
                Citation(docname="d", source="d", line=1, node_id=str(number), key="e",
                         at=int(cues[first][0]), speaker=cues[first][1], text=f'"{text}"')
            )  # fmt: skip
        started = time.process_time()
        for citation in citations:
            judge(citation, episode, index, None, 30)
        matched = time.process_time() - started
        figures[minutes] = {"words": index.size, "parse": parsed, "index": indexed,
                            "match_per_citation": matched / len(citations)}  # fmt: skip
        rows.append([minutes, index.size, f"{parsed * 1000:.1f}", f"{indexed * 1000:.1f}",
                     f"{matched / len(citations) * 1e6:.0f}"])  # fmt: skip
    print(table(["minutes", "words", "parse ms", "index ms", "µs per citation"], rows))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-builds", action="store_true", help="only the in-process figures")
    args = parser.parse_args(argv)
    env = environment()
    print_environment(env)
    payload: dict[str, Any] = {"environment": env, "repeat": args.repeat}
    payload["matching"] = matching_figures()
    if not args.no_builds:
        payload["builds"] = build_figures(args.repeat)
    print("written to", write_json("transcripts-100x60min-1000-citations", payload))


if __name__ == "__main__":
    main()
