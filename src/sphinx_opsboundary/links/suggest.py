"""Did-you-mean for broken links that knows the site, not only the spelling.

A broken target is compared, in this order, with

1. the page's own file habits (``page.md``, ``folder`` for ``folder/index``);
2. page titles: the title the missing page had in an earlier build (the
   *history*, kept in the environment by :func:`remember`) and the link's own
   text;
3. whole folders that moved: when the target's folder is gone and a folder
   holding the same remaining path exists, the best such folder by evidence
   (other missing pages of the old folder found there) and by name; a section's
   ``index`` moves with its folder;
4. names whatever their case, separators (``-``, ``_``, space) and plural ``s``;
5. close spellings, only where they are plausible: when the old title is known,
   the candidate must carry a similar title.

Labels and anchors are compared whatever their separators, with the section
title they had (history) and with the link's text.  When nothing is plausible
there is no guess: a deleted page should not send readers somewhere unrelated.

The history differs between a fresh and an incremental build, so the warnings
raised during a build never use it (incremental builds stay equal to fresh
ones); the ``opsboundary-check`` report does.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["History", "SiteSuggester", "history_of", "remember", "setup_suggest"]

_PAGES = "history_pages"  #: global bucket: docname -> title at the last build
_GONE = "history_gone_pages"  #: docname -> title of pages that have disappeared
_BEFORE = "history_before"  #: docnames and labels of the build before this one
_LABELS = "history_labels"  #: label -> (docname, section title) at the last build
_GONE_LABELS = "history_gone_labels"
_ANCHORS = "history_anchors"  #: docname -> {id: title} at the last build
_GONE_ANCHORS = "history_gone_anchors"
_MAX_GONE = 5000  #: bound on remembered disappeared names (oldest dropped first)

_SEP = re.compile(r"[-_.\s]+")


def norm(name: str) -> str:
    """Case and separators (``-``, ``_``, ``.``, spaces) do not count."""
    return _SEP.sub("-", name.strip().lower()).strip("-")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def loose(name: str) -> str:
    """:func:`norm`, and a plural ``s`` per path part does not count either."""
    return "/".join(_singular(norm(part)) for part in name.split("/"))


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


_NUMBER = re.compile(r"\d+")


def _alike(a: str, b: str, cutoff: float) -> bool:
    """Close spellings with the same numbers: 'Sphinx 6.1' is not a typo of 'Sphinx 8.1'."""
    if _NUMBER.findall(a) != _NUMBER.findall(b):
        return False
    return _ratio(norm(a), norm(b)) >= cutoff


@dataclass(slots=True)
class History:
    """What the previous builds knew about names that are gone now."""

    pages: dict[str, str] = field(default_factory=dict)  #: docname -> title
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  #: label -> (doc, title)
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)  #: doc -> id -> title
    #: Pages and labels of the build before: a successor of a page (label) that
    #: disappeared since then must be new since then.
    before_pages: frozenset[str] = frozenset()
    before_labels: frozenset[str] = frozenset()
    #: Titles (normalised) that several pages of the build before shared: not a clue.
    shared_titles: frozenset[str] = frozenset()


def _bounded(mapping: dict[str, Any]) -> dict[str, Any]:
    excess = len(mapping) - _MAX_GONE
    return dict(list(mapping.items())[excess:]) if excess > 0 else mapping


def remember(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: keep the titles of pages, labels and anchors that disappeared."""
    data = get_domain(env).data
    docs = set(env.all_docs)
    titles = {
        doc: (node.astext().strip() if node is not None else "") for doc, node in env.titles.items()
    }
    pages_now = {doc: titles.get(doc, "") for doc in sorted(docs)}
    shared = Counter(norm(t) for t in data.get(_PAGES, {}).values() if t)
    data[_BEFORE] = (
        sorted(data.get(_PAGES, {})),
        sorted(data.get(_LABELS, {})),
        sorted(t for t, n in shared.items() if n > 1),
    )
    gone = {k: v for k, v in data.get(_GONE, {}).items() if k not in docs}
    gone.update({d: t for d, t in data.get(_PAGES, {}).items() if d not in docs})
    data[_GONE], data[_PAGES] = _bounded(gone), pages_now

    std = env.get_domain("std")
    labels_now = {
        name: (entry[0], entry[2] or "")
        for name, entry in getattr(std, "labels", {}).items()
        if entry[0] in docs
    }
    gone_labels = {k: v for k, v in data.get(_GONE_LABELS, {}).items() if k not in labels_now}
    gone_labels.update({k: v for k, v in data.get(_LABELS, {}).items() if k not in labels_now})
    data[_GONE_LABELS], data[_LABELS] = _bounded(gone_labels), labels_now

    anchors_now = {
        doc: {i: a.title for i, a in found.items() if a.title}
        for doc, found in get_domain(env).anchors.items()
    }
    gone_anchors: dict[str, dict[str, str]] = {}
    for source in (data.get(_GONE_ANCHORS, {}), data.get(_ANCHORS, {})):
        for doc, ids in source.items():
            current = anchors_now.get(doc, {})
            keep = {i: t for i, t in ids.items() if i not in current}
            if keep and doc in docs:
                gone_anchors.setdefault(doc, {}).update(keep)
    data[_GONE_ANCHORS], data[_ANCHORS] = _bounded(gone_anchors), anchors_now
    return []


def history_of(env: BuildEnvironment) -> History:
    data = get_domain(env).data
    return History(
        dict(data.get(_GONE, {})),
        {k: tuple(v) for k, v in data.get(_GONE_LABELS, {}).items()},
        dict(data.get(_GONE_ANCHORS, {})),
        *(frozenset(names) for names in data.get(_BEFORE, ((), (), ()))),
    )


class SiteSuggester:
    """Ranks real names for a broken one; built once per judgement (see module doc)."""

    def __init__(
        self,
        docnames: Iterable[str],
        suffixes: Iterable[str],
        titles: Mapping[str, str],
        missing: Iterable[str] = (),
        history: History | None = None,
    ) -> None:
        self.docs = sorted(docnames)
        self.doc_set = set(self.docs)
        self.suffixes = tuple(sorted({*suffixes, ".rst", ".md", ".txt", ".html"}, key=len))
        self.titles = titles
        self.history = history or History()
        self.by_title: dict[str, list[str]] = defaultdict(list)
        self.by_loose: dict[str, list[str]] = defaultdict(list)
        self.by_base: dict[str, list[str]] = defaultdict(list)
        self.folders: set[str] = set()
        for doc in self.docs:
            if titles.get(doc):
                self.by_title[norm(titles[doc])].append(doc)
            self.by_loose[loose(doc)].append(doc)
            self.by_base[loose(posixpath.basename(doc))].append(doc)
            parts = doc.split("/")
            self.folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        # Old names known to be gone: evidence for where a folder went.
        self.gone = {m for m in missing if m not in self.doc_set} | set(self.history.pages)
        self._cache: dict[tuple[str, str, str], str | None] = {}

    # -- documents ----------------------------------------------------------

    def doc(self, target: str, citing: str, text: str | None = None) -> str | None:
        key = (target, posixpath.dirname(citing), text or "")
        if key not in self._cache:
            self._cache[key] = self._doc(target, citing, text)
        return self._cache[key]

    @staticmethod
    def _closest(candidates: list[str], target: str) -> str:
        """The candidate nearest the old name (shared folder, then spelling)."""
        return min(candidates, key=lambda d: (-_ratio(d, target), len(d), d))

    def _doc(self, target: str, citing: str, text: str | None) -> str | None:
        for suffix in self.suffixes:
            stem = target[: -len(suffix)]
            if target.endswith(suffix) and stem:
                # A name written with a file suffix: the page itself, or a typo in
                # its name, judged like the bare name (``fontz.md`` -> ``fonts``).
                return stem if stem in self.doc_set else self._doc(stem, citing, text)
        for variant in (f"{target}/index", target.removesuffix("/index")):
            if variant in self.doc_set and variant != target:
                return variant
        old_title = self.history.pages.get(target)
        # Another page had this title too: it names no successor (but still rules out).
        clue = None if old_title and norm(old_title) in self.history.shared_titles else old_title
        before = self.history.before_pages
        # Gone since the last build: its successor is a page that is new since then.
        new_only = target in before

        def fit(found: Iterable[str]) -> list[str]:
            return [d for d in found if not (new_only and d in before)]

        for title in (clue, text):
            same = fit(self.by_title.get(norm(title), ())) if title else []
            if same:
                return self._closest(same, target)
        moved = self._folder_move(target)
        if moved and fit([moved]):
            return moved
        same = fit(self.by_loose.get(loose(target), ()))
        if same:
            return self._closest(same, target)
        base = posixpath.basename(target)
        if base != "index":
            same_base = fit(self.by_base.get(loose(base), ()))
            if same_base and self._plausible(same_base[0], target, old_title, text, 0.0):
                return self._closest(same_base, target)
        close = fit(difflib.get_close_matches(target, self.docs, n=3, cutoff=0.75))
        for candidate in close:
            if self._plausible(candidate, target, old_title, text, 0.8):
                return candidate
        return None

    def _plausible(
        self, candidate: str, target: str, old_title: str | None, text: str | None, name: float
    ) -> bool:
        """A spelling match counts when the titles agree, or the names nearly do."""
        title = self.titles.get(candidate, "")
        if old_title and title:
            return _alike(old_title, title, 0.8)
        if text and title and _alike(text, title, 0.8):
            return True
        if posixpath.dirname(target) == posixpath.dirname(candidate):
            # The shared folder says nothing about whether the names are alike.
            return _alike(posixpath.basename(target), posixpath.basename(candidate), name)
        return _alike(target, candidate, name)

    def _folder_move(self, target: str) -> str | None:
        """*target*'s folder is gone; the folder that now holds the same rest of the path."""
        parts = target.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            old = "/".join(parts[:cut])
            rest = "/".join(parts[cut:])
            if old in self.folders:
                return None  # the folder is still here: not a folder move
            news = {d[: -len(rest) - 1] for d in self.docs if d.endswith("/" + rest)}
            if rest in self.doc_set:
                news.add("")
            if not news:
                continue
            siblings = {g[len(old) + 1 :] for g in self.gone if g.startswith(old + "/")}
            scored = []
            for new in news:
                evidence = sum(1 for s in siblings if (f"{new}/{s}" if new else s) in self.doc_set)
                name = _ratio(norm(old.rsplit("/", 1)[-1]), norm(new.rsplit("/", 1)[-1]))
                scored.append((evidence, name, -len(new), new))
            evidence, name, _, new = max(scored)
            if evidence >= 2 or name >= 0.75 or (evidence >= 1 and len(news) == 1):
                return f"{new}/{rest}" if new else rest
            return None
        return None

    # -- labels and anchors ---------------------------------------------------

    def label(self, target: str, labels: Mapping[str, Any], text: str | None = None) -> str | None:
        """A label for broken ``ref:target``: separators, old section title, link text."""
        names = sorted(labels)
        by_norm = {norm(n): n for n in names}
        if norm(target) in by_norm:
            return by_norm[norm(target)]
        known = self.history.labels.get(target)
        if target in self.history.before_labels:
            # Gone since the last build: its successor is a label that is new since then.
            names = [n for n in names if n not in self.history.before_labels]
        wanted = [t for t in ((known[1] if known else None), text) if t]
        for title in wanted:
            same = sorted(
                n for n in names if len(labels[n]) > 2 and norm(labels[n][2] or "") == norm(title)
            )
            if known:
                same.sort(key=lambda n: labels[n][0] != known[0])
            if same:
                return same[0]
        for close in difflib.get_close_matches(target, names, n=3, cutoff=0.8):
            title = labels[close][2] if len(labels[close]) > 2 else ""
            if known and known[1] and title:
                if _alike(known[1], title, 0.8):
                    return str(close)
            elif _alike(target, close, 0.85):
                return str(close)
        return None

    def anchor(
        self, docname: str, anchor: str, ids: Mapping[str, str], text: str | None = None
    ) -> str | None:
        """An id in *docname* for a broken ``#anchor`` (*ids*: id -> section title)."""
        by_norm = {norm(i): i for i in sorted(ids)}
        if norm(anchor) in by_norm:
            return by_norm[norm(anchor)]
        old = self.history.anchors.get(docname, {}).get(anchor)
        for title in (old, text):
            if title:
                same = sorted(i for i, t in ids.items() if t and norm(t) == norm(title))
                if same:
                    return same[0]
        close = difflib.get_close_matches(anchor, sorted(ids), n=1, cutoff=0.6)
        return close[0] if close else None


def setup_suggest(app: Sphinx) -> None:
    """Keep the history; before the link judgement (priority 500) so it sees this build."""
    app.connect("env-updated", remember, priority=400)
