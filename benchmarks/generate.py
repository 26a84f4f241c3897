"""Generate benchmark projects: the same wiki written with the extension and by hand.

Both variants carry the same content.  Every topic page has a few paragraphs and
two labelled sections, and

* one cited moment of a talk with a quoted body (``episode-citation`` / an
  epigraph whose attribution links to the deep link),
* one inline citation (``:episode:`` / a plain external link),
* a two-sided comparison with four rows (``boundary-table`` / a ``list-table``),
* four to six related pages (``related-paths`` / a bullet list of ``:doc:`` links
  with descriptions).

One talks page lists every cited moment (``episode-index`` / a hand-written list
with back-links).  The episode registry lives in ``conf.py`` for the directive
variant; the hand-written variant does not load the extension at all.

Run it alone to look at what the benchmarks build::

    python benchmarks/generate.py --pages 20 /tmp/opsboundary-sample
"""

from __future__ import annotations

import argparse
import random
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Variant = Literal["directives", "handwritten"]
VARIANTS: tuple[Variant, ...] = ("directives", "handwritten")
Feature = Literal["episodes", "boundary", "related"]
#: What the directive variant writes with the extension: episode-citation, the
#: :episode: role and episode-index; boundary-table; related-paths.
FEATURES: tuple[Feature, ...] = ("episodes", "boundary", "related")

#: Pages per folder: a wiki is organised in areas, not one flat directory.
PAGES_PER_AREA = 50

_WORDS = (
    "pipeline",
    "model",
    "feature",
    "store",
    "drift",
    "alert",
    "schema",
    "lineage",
    "freshness",
    "volume",
    "serving",
    "registry",
    "deployment",
    "rollback",
    "canary",
    "experiment",
    "tracking",
    "dataset",
    "label",
    "warehouse",
    "contract",
    "owner",
    "incident",
    "runbook",
    "latency",
    "throughput",
    "batch",
    "stream",
    "orchestration",
    "retraining",
    "monitoring",
    "version",
    "artifact",
    "container",
    "budget",
    "quota",
    "backfill",
    "partition",
    "catalog",
    "observability",
    "governance",
    "evaluation",
    "threshold",
)
_DISCIPLINES = (
    "MLOps",
    "DataOps",
    "DevOps",
    "FinOps",
    "SecOps",
    "Platform engineering",
    "Analytics engineering",
    "SRE",
)
_ASPECTS = ("Operates", "Alerts about", "Owns", "Measures", "Deploys", "Escalates to")
_SPEAKERS = (
    "Raphaël Hoogvliets",
    "Ada Lovelace",
    "Grace Hopper",
    "Margaret Hamilton",
    "Barbara Liskov",
    "Frances Allen",
    "Radia Perlman",
    "Shafi Goldwasser",
)


@dataclass(slots=True)
class Episode:
    key: str
    title: str
    speaker: str
    video_id: str
    series: str
    date: str
    duration: int  #: seconds

    @property
    def url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.video_id}"

    def deep_link(self, seconds: int) -> str:
        return f"{self.url}&t={seconds}"


@dataclass(slots=True)
class Related:
    target: str  #: document name (absolute, no leading slash) or ``doc#anchor`` / ``ref:label``
    description: str
    title: str | None = None  #: explicit link text


@dataclass(slots=True)
class Page:
    docname: str
    title: str
    slug: str  #: unique per page, used for labels and anchors
    paragraphs: list[str]
    sections: list[tuple[str, str, str]]  #: (label, title, text)
    episode: Episode
    at: int
    approximate: bool
    quote: str
    inline_episode: Episode
    inline_at: int
    table_caption: str
    sides: tuple[tuple[str, str], tuple[str, str]]  #: (label, docname)
    rows: list[tuple[str, str, str]]
    related: list[Related] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    pages: list[Page]
    episodes: list[Episode]

    def inbound(self) -> dict[str, list[str]]:
        """Document name -> the pages whose related list links to it."""
        result: dict[str, list[str]] = {p.docname: [] for p in self.pages}
        for page in self.pages:
            for entry in page.related:
                doc = entry.target.split("#", 1)[0]
                if doc in result:
                    result[doc].append(page.docname)
        return result


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def make_project(
    pages: int,
    *,
    related: tuple[int, int] = (4, 6),
    anchored_share: float = 0.0,
    seed: int = 20240502,
) -> Project:
    """Build the content model shared by both variants.

    *related* is the (min, max) number of related entries per page; *anchored_share*
    is the fraction of those entries that point at a section (``doc#anchor``) or a
    label (``ref:label``) instead of a whole document.
    """
    if pages < 2:
        raise ValueError("at least two pages are needed to link pages to each other")
    if related[1] > pages - 1:
        raise ValueError(f"{related[1]} related entries need at least {related[1] + 1} pages")
    rng = random.Random(seed)
    n_episodes = max(5, pages // 10)
    episodes = [
        Episode(
            key=f"talk-{i:04d}",
            title=f"{rng.choice(_DISCIPLINES)} in practice, part {i + 1}",
            speaker=_SPEAKERS[i % len(_SPEAKERS)],
            video_id=f"vid{i:08d}",
            series=f"Ops Conference {2020 + i % 5}",
            date=f"{2020 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            duration=3600 + 60 * (i % 30),
        )
        for i in range(n_episodes)
    ]
    docnames = [f"area-{i // PAGES_PER_AREA:03d}/topic-{i:05d}" for i in range(pages)]
    result: list[Page] = []
    for i, docname in enumerate(docnames):
        slug = f"t{i:05d}"
        left, right = rng.sample(_DISCIPLINES, 2)
        side_docs = rng.sample([d for d in docnames if d != docname], 2)
        episode = episodes[i % n_episodes]
        inline = episodes[(i * 7 + 3) % n_episodes]
        page = Page(
            docname=docname,
            title=f"Topic {i}: {left} and {right} on {rng.choice(_WORDS)}",
            slug=slug,
            paragraphs=[_paragraph(rng, rng.randint(3, 5)) for _ in range(3)],
            sections=[
                (f"{slug}-{kind}", f"{kind.capitalize()} of topic {i}", _paragraph(rng, 3))
                for kind in ("ownership", "signals")
            ],
            episode=episode,
            at=rng.randint(30, episode.duration - 200),
            approximate=rng.random() < 0.3,
            quote=_paragraph(rng, 2),
            inline_episode=inline,
            inline_at=rng.randint(30, inline.duration - 30),
            table_caption=f"{left} vs {right}",
            sides=((left, side_docs[0]), (right, side_docs[1])),
            rows=[
                (aspect, _sentence(rng, 8), _sentence(rng, 8)) for aspect in rng.sample(_ASPECTS, 4)
            ],
        )
        result.append(page)
    for i, page in enumerate(result):
        count = rng.randint(*related)
        others = rng.sample([p for j, p in enumerate(result) if j != i], count)
        for k, other in enumerate(others):
            target = other.docname
            roll = rng.random()
            if roll < anchored_share / 2:
                target = f"{other.docname}#{other.sections[0][0]}"
            elif roll < anchored_share:
                target = f"ref:{other.sections[1][0]}"
            title = f"See also {other.slug}" if k == 0 and i % 3 == 0 else None
            page.related.append(Related(target, _sentence(rng, 6), title))
    return Project(result, episodes)


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def _heading(text: str, char: str, over: bool = False) -> str:
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if over else f"{text}\n{line}\n"


def _indent(text: str, prefix: str = "   ") -> str:
    return textwrap.indent(text, prefix)


def _common_body(page: Page) -> list[str]:
    parts = [f".. _{page.slug}:\n", _heading(page.title, "=")]
    parts.append(page.paragraphs[0] + "\n")
    return parts


def _sections(page: Page) -> list[str]:
    parts = []
    for label, title, text in page.sections:
        parts.append(f".. _{label}:\n")
        parts.append(_heading(title, "-"))
        parts.append(text + "\n")
    return parts


def _related_rst_directives(page: Page) -> str:
    lines = [".. related-paths::", "   :caption: Related paths", ""]
    for entry in page.related:
        target = entry.target if entry.target.startswith("ref:") else "/" + entry.target
        text = f"{entry.title} <{target}>" if entry.title else target
        lines.append(f"   - {text} -- {entry.description}")
    return "\n".join(lines) + "\n"


def _related_rst_hand(page: Page) -> str:
    lines = [".. rubric:: Related paths", ""]
    for entry in page.related:
        if entry.target.startswith("ref:"):
            label = entry.target[4:]
            link = f":ref:`{entry.title} <{label}>`" if entry.title else f":ref:`{label}`"
        elif "#" in entry.target:
            # :doc: cannot take an anchor; a section label is how rST links there.
            anchor = entry.target.split("#", 1)[1]
            link = f":ref:`{entry.title} <{anchor}>`" if entry.title else f":ref:`{anchor}`"
        else:
            link = (
                f":doc:`{entry.title} </{entry.target}>`"
                if entry.title
                else f":doc:`/{entry.target}`"
            )
        lines.append(f"- {link} — {entry.description}")
    return "\n".join(lines) + "\n"


def _citation(page: Page, directive: bool) -> list[str]:
    ep, inline = page.episode, page.inline_episode
    if directive:
        time = ("~" if page.approximate else "") + _hms(page.at)
        return [
            f".. episode-citation:: {ep.key}\n   :at: {time}\n\n{_indent(page.quote)}\n",
            f"{page.paragraphs[1]} As the talk puts it "
            f"(:episode:`{inline.key}@{_hms(page.inline_at)}`), this matters.\n",
        ]
    around = "around " if page.approximate else ""
    return [
        ".. epigraph::\n\n"
        f"{_indent(page.quote)}\n\n"
        f"   -- {ep.speaker}, `{ep.title} <{ep.deep_link(page.at)}>`__, "
        f"{around}{_hms(page.at)}\n",
        f"{page.paragraphs[1]} As the talk puts it "
        f"(`{inline.title} at {_hms(page.inline_at)} "
        f"<{inline.deep_link(page.inline_at)}>`__), this matters.\n",
    ]


def _boundary(page: Page, directive: bool) -> str:
    (l_label, l_doc), (r_label, r_doc) = page.sides
    if directive:
        table = [
            f".. boundary-table:: {page.table_caption}",
            f"   :sides: {l_label} </{l_doc}>, {r_label} </{r_doc}>",
            "",
        ]
    else:
        table = [
            f".. list-table:: {page.table_caption}",
            "   :header-rows: 1",
            "   :stub-columns: 1",
            "",
            "   * - Aspect",
            f"     - :doc:`{l_label} </{l_doc}>`",
            f"     - :doc:`{r_label} </{r_doc}>`",
        ]
    for aspect, left, right in page.rows:
        table += [f"   * - {aspect}", f"     - {left}", f"     - {right}"]
    return "\n".join(table) + "\n"


def render_page(page: Page, features: frozenset[Feature]) -> str:
    """One topic page; each feature in *features* is written with the extension."""
    parts = _common_body(page)
    parts.extend(_citation(page, "episodes" in features))
    parts.append(_boundary(page, "boundary" in features))
    parts.extend(_sections(page))
    parts.append(page.paragraphs[2] + "\n")
    if "related" in features:
        parts.append(_related_rst_directives(page))
    else:
        parts.append(_related_rst_hand(page))
    return "\n".join(parts)


def render_talks(project: Project, features: frozenset[Feature]) -> str:
    parts = [_heading("Talks", "=")]
    parts.append("Every talk cited in this wiki, with each cited moment.\n")
    if "episodes" in features:
        parts.append(".. episode-index::\n")
        return "\n".join(parts)
    moments: dict[str, list[tuple[int, str, str]]] = {}
    for page in project.pages:
        moments.setdefault(page.episode.key, []).append((page.at, page.docname, "quote"))
        moments.setdefault(page.inline_episode.key, []).append(
            (page.inline_at, page.docname, "inline")
        )
    for ep in project.episodes:
        if ep.key not in moments:
            continue
        parts.append(f".. _talks-{ep.key}:\n")
        parts.append(_heading(ep.title, "-"))
        parts.append(
            f"{ep.speaker} · {ep.series} · {ep.date} · {_hms(ep.duration)} · `watch <{ep.url}>`__\n"
        )
        items = []
        for at, docname, _kind in sorted(moments[ep.key]):
            items.append(f"- `{_hms(at)} <{ep.deep_link(at)}>`__ — cited in :doc:`/{docname}`")
        parts.append("\n".join(items) + "\n")
    return "\n".join(parts)


def _conf(project: Project, load_extension: bool) -> str:
    lines = [
        '"""Generated benchmark project."""',
        "",
        'project = "opsboundary benchmark"',
        'root_doc = "index"',
        'exclude_patterns = ["_build"]',
    ]
    if load_extension:
        lines.append('extensions = ["sphinx_opsboundary"]')
        lines.append("opsboundary_episodes = {")
        for ep in project.episodes:
            lines.append(
                f"    {ep.key!r}: {{'title': {ep.title!r}, 'speakers': [{ep.speaker!r}], "
                f"'url': {ep.url!r}, 'series': {ep.series!r}, 'date': {ep.date!r}, "
                f"'duration': {_hms(ep.duration)!r}, 'kind': 'talk'}},"
            )
        lines.append("}")
    else:
        lines.append("extensions = []")
    return "\n".join(lines) + "\n"


def write_project(
    project: Project,
    variant: Variant,
    root: Path,
    *,
    load_extension: bool | None = None,
    features: Iterable[Feature] | None = None,
) -> Path:
    """Write *project* as *variant* into *root* (created; existing files overwritten).

    *features* overrides which features are written with the extension (all for
    the directive variant, none for the hand-written one), to measure one at a
    time.  *load_extension* defaults to "when any feature uses it"; ``True`` with
    no feature measures what merely enabling the extension costs.
    """
    chosen = frozenset(
        features if features is not None else (FEATURES if variant == "directives" else ())
    )
    if load_extension is None:
        load_extension = bool(chosen)
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(_conf(project, load_extension), encoding="utf-8")
    areas: dict[str, list[str]] = {}
    for page in project.pages:
        area, name = page.docname.split("/", 1)
        areas.setdefault(area, []).append(name)
        path = root / f"{page.docname}.rst"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(page, chosen), encoding="utf-8")
    for area, names in areas.items():
        toc = "\n".join(f"   {name}" for name in names)
        (root / area / "index.rst").write_text(
            f"{_heading(f'Area {area}', '=')}\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n",
            encoding="utf-8",
        )
    (root / "talks.rst").write_text(render_talks(project, chosen), encoding="utf-8")
    toc = "\n".join(f"   {area}/index" for area in areas)
    (root / "index.rst").write_text(
        f"{_heading('Benchmark wiki', '=', over=True)}\n"
        f".. toctree::\n   :maxdepth: 1\n\n   talks\n{toc}\n",
        encoding="utf-8",
    )
    return root


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--variant", choices=(*VARIANTS, "both"), default="both")
    args = parser.parse_args(argv)
    project = make_project(args.pages)
    variants = VARIANTS if args.variant == "both" else (args.variant,)
    for variant in variants:
        path = write_project(project, variant, args.outdir / variant)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
