"""Timelines of cited moments in the episode index (SPEC §9).

With ``episode-index :timeline:``, each entry whose episode has a known duration
gets a horizontal bar with one mark per cited moment at its proportional place
(a span for a range).  Each mark is a link to that moment's back-links in the
list below it, with an accessible label such as "52:39, cited 3 times".  The
list stays: it carries the back-links, and it is all that non-HTML builders get
(the index is filled at ``doctree-resolved``, when the builder is known, so a
timeline is only ever made for HTML).

Marks closer than :data:`MIN_GAP` per cent are put on separate lanes, so every
mark keeps a pointer target of its own even at phone width.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation

from ..domain import Citation
from .registry import Episode
from .timestamps import Timestamp

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

_ = get_translation("sphinx_opsboundary")

__all__ = ["Mark", "add_timeline", "lay_out", "opsboundary_timeline", "setup_timeline"]

#: Marks nearer than this (per cent of the bar) go on separate lanes: about
#: 24 px, the WCAG pointer-target size, on a 300 px phone-width bar.
MIN_GAP = 8.0

MOMENT_CLASS = "opsboundary-episode-index-moment"


class opsboundary_timeline(nodes.General, nodes.Element):
    """A timeline bar; only ever created for HTML builders."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One cited moment on the bar, in per cent of the episode's duration."""

    href: str
    left: float
    width: float  #: 0 for a single moment
    label: str
    lane: int = 0
    count: int = 1  #: how many citations: marks cited more than once are drawn larger


def _percent(seconds: int, duration: int) -> float:
    return round(100.0 * min(max(seconds, 0), duration) / duration, 3)


def lay_out(spans: list[tuple[float, float]]) -> list[int]:
    """A lane per span ``(left, width)``: the first lane where it keeps MIN_GAP.

    Greedy in the given (time) order, so the layout is deterministic.
    """
    lane_ends: list[float] = []  #: where each lane is free again
    lanes: list[int] = []
    for left, width in spans:
        free = [lane for lane, end in enumerate(lane_ends) if left >= end]
        lane = free[0] if free else len(lane_ends)
        if not free:
            lane_ends.append(0.0)
        lane_ends[lane] = left + max(width, 0.0) + MIN_GAP
        lanes.append(lane)
    return lanes


def _label(at: int, end: int | None, approximate: bool, count: int) -> str:
    moment = Timestamp(at).display
    if end is not None:
        moment += "–" + Timestamp(end).display
    if approximate:
        moment = f"{_('around')} {moment}"
    times = str(_("cited once")) if count == 1 else str(_("cited %d times")) % count
    return f"{moment}, {times}"


def add_timeline(
    builder: Any, item: nodes.Element, episode: Episode, citations: list[Citation], prefix: str
) -> None:
    """Give *item*'s moments ids and put a timeline above them (HTML, known duration)."""
    duration = episode.duration
    if builder.format != "html" or not duration or duration <= 0 or not citations:
        return
    # The same grouping and order as the index's list of moments.
    moments: dict[tuple[int, int], list[Citation]] = defaultdict(list)
    for citation in citations:
        moments[(citation.at, citation.end if citation.end is not None else -1)].append(citation)
    keys = sorted(moments)
    entries = [n for n in item.findall(nodes.list_item) if MOMENT_CLASS in n["classes"]]
    if len(entries) != len(keys):
        return
    marks: list[Mark] = []
    for (at, end), entry in zip(keys, entries, strict=True):
        moment_id = nodes.make_id(f"{prefix}-{episode.key}-{at}" + (f"-{end}" if end >= 0 else ""))
        if moment_id not in entry["ids"]:
            entry["ids"].append(moment_id)
        cited = moments[(at, end)]
        left = _percent(at, duration)
        width = round(_percent(end, duration) - left, 3) if end >= 0 else 0.0
        label = _label(at, end if end >= 0 else None, all(c.approximate for c in cited), len(cited))
        marks.append(Mark(f"#{moment_id}", left, width, label, count=len(cited)))
    lanes = lay_out([(m.left, m.width) for m in marks])
    laid = [replace(m, lane=lane) for m, lane in zip(marks, lanes, strict=True)]
    node = opsboundary_timeline(
        title=episode.title,
        duration=Timestamp(duration).display,
        lanes=max(lanes) + 1,
        marks=[asdict(m) for m in laid],
    )
    listing = entries[0].parent
    item.insert(item.index(listing), node)


def _visit_timeline_html(self: HTML5Translator, node: opsboundary_timeline) -> None:
    label = _("Cited moments of “%(title)s”, from 0:00 to %(end)s") % {
        "title": node["title"],
        "end": node["duration"],
    }
    self.body.append(
        f'<div class="opsboundary-timeline" role="group" aria-label="{self.attval(label)}">'
        f'<div class="opsboundary-timeline-track" style="--ob-lanes: {int(node["lanes"])}">'
    )
    for mark in node["marks"]:
        kind = " opsboundary-timeline-range" if mark["width"] > 0 else ""
        kind += " opsboundary-timeline-many" if mark.get("count", 1) > 1 else ""
        style = f"left: {mark['left']}%; --ob-lane: {int(mark['lane'])}"
        if mark["width"] > 0:
            style += f"; width: {mark['width']}%"
        self.body.append(
            f'<a class="opsboundary-timeline-mark{kind}" href="{self.attval(mark["href"])}"'
            f' style="{style}" aria-label="{self.attval(mark["label"])}"'
            f' title="{self.attval(mark["label"])}"></a>'
        )
    self.body.append(
        '</div><div class="opsboundary-timeline-scale" aria-hidden="true">'
        f"<span>0:00</span><span>{self.encode(node['duration'])}</span></div></div>\n"
    )
    raise nodes.SkipNode


def setup_timeline(app: Sphinx) -> None:
    """Register the node; the index (``index.py``) calls :func:`add_timeline`."""
    app.add_node(opsboundary_timeline, html=(_visit_timeline_html, None))
