"""After-read checks for related links and boundary-table sides.

Links are recorded at read time and judged here once every document has been
read (``env-updated``, which fires on every build, also when nothing was
re-read, so a broken link is reported on every build and not only the first).
:func:`judge_links` is pure: it returns one :class:`LinkResult` per link, which
this module turns into warnings and the ``opsboundary-check`` builder into its
report.

Incremental truth: the judged outcome of each citing page (status, target, title)
is fingerprinted; when a fingerprint changes (a linked page was added, removed,
renamed or retitled) the citing page is returned from ``env-updated`` so Sphinx
re-writes it, and its link texts match a fresh build without ``-E``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from docutils import nodes
from sphinx.application import Sphinx

from .. import diagnostics
from ..diagnostics import Subtype
from ..domain import Anchor, Link, get_domain
from ..rewrites import note_rewrites
from .inventories import judge_remote
from .suggest import SiteSuggester, history_of
from .targets import follow_redirect, locate, redirect_map, source_named

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = ["LinkResult", "judge_links", "setup_checks"]

Status = Literal["ok", "broken", "moved", "duplicate", "self", "one-way"]
_FINGERPRINTS = "link_fingerprints"  #: global (not per-document) bucket in domain data


@dataclass(slots=True)
class LinkResult:
    """The judgement of one :class:`~.domain.Link`."""

    link: Link
    status: Status
    message: str = ""
    suggestion: str | None = None
    resolved: str | None = None  #: final docname (or URL) the link goes to
    subtype: Subtype | None = None  #: the warning to raise, None for none

    @property
    def problem(self) -> bool:
        return self.status != "ok"


# --------------------------------------------------------------------------
# Anchors, collected per document at read time
# --------------------------------------------------------------------------


def collect_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Record every id in the page (sections with their titles) for ``doc#anchor``.

    Reads the document's own id map rather than walking every element.
    """
    found: dict[str, Anchor] = {}
    for node_id, element in doctree.ids.items():
        if isinstance(element, nodes.document):
            continue
        title = ""
        if isinstance(element, nodes.section) and element.children:
            first = element.children[0]
            if isinstance(first, nodes.title):
                title = first.astext().strip()
        found[node_id] = Anchor(title=title)
    get_domain(app.env).set_anchors(app.env.docname, found)


# --------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------


def _written_form(link: Link, docname: str) -> str:
    """How the author would write *docname* from the citing page."""
    if link.raw.startswith("/") or link.kind == "ref":
        return "/" + docname
    base = posixpath.dirname(link.docname)
    return posixpath.relpath(docname, base or ".") if base else docname


def _excluded(env: BuildEnvironment, docname: str) -> bool:
    """True when a source file for *docname* exists but the project skips it."""
    srcdir = str(env.srcdir)
    for suffix in env.config.source_suffix or {}:
        if os.path.isfile(os.path.join(srcdir, docname + suffix)):
            return True
    return False


def _other_source(env: BuildEnvironment, target: str) -> str | None:
    """``fonts.md`` when *target* is ``fonts.rst`` and the page's source is ``fonts.md``."""
    stem, dot, suffix = target.rpartition(".")
    suffixes = {*(env.config.source_suffix or {}), ".rst", ".md", ".txt"}
    if not dot or not stem or f".{suffix}" not in suffixes or stem not in env.all_docs:
        return None
    return os.fspath(env.doc2path(stem, False)).replace(os.sep, "/")


# --------------------------------------------------------------------------
# Judgement
# --------------------------------------------------------------------------


def _reciprocal_rule(config: Config) -> Any:
    value = getattr(config, "opsboundary_reciprocal", False)
    if value is True:
        return True
    if isinstance(value, list | tuple) and value:
        return tuple(str(v) for v in value)
    return False


def _requires(rule: Any, *docnames: str) -> bool:
    if rule is True:
        return True
    if not rule:
        return False
    return any(fnmatch.fnmatchcase(doc, glob) for doc in docnames for glob in rule)


def judge_links(env: BuildEnvironment, *, history: bool = False) -> list[LinkResult]:
    """Judge every recorded link; linear in the number of links (plus suggestions).

    *history*: let suggestions use the titles of pages gone since earlier builds
    (the checker's report; never the build's warnings, see :mod:`.suggest`).
    """
    domain = get_domain(env)
    docs = set(env.all_docs)
    redirects = redirect_map(env.config, env.srcdir)
    std = env.get_domain("std")
    labels: Mapping[str, Any] = getattr(std, "labels", {})
    anonlabels: Mapping[str, Any] = getattr(std, "anonlabels", {})
    links = list(domain.all_links())
    titles = {doc: node.astext().strip() for doc, node in env.titles.items() if doc in docs}
    suggester = SiteSuggester(
        docs,
        env.config.source_suffix or {},
        titles,
        missing=(link.target for link in links if link.kind == "doc"),
        history=history_of(env) if history else None,
    )
    results: list[LinkResult] = []
    first_seen: dict[tuple[str, str, Any], Link] = {}
    for link in links:
        what = "related link" if link.origin == "related" else "side link"
        result = _judge_one(env, link, what, docs, redirects, labels, anonlabels, suggester)
        results.append(result)
        if result.status in {"broken"}:
            continue
        anchor = link.anchor or (link.target if link.kind == "ref" else "")  # a label is a place
        key = (link.docname, link.group, (link.kind, result.resolved, anchor))
        earlier = first_seen.get(key)
        if earlier is None:
            first_seen[key] = link
            if (
                link.origin == "related"
                and link.kind == "doc"
                and result.resolved == link.docname
                and not link.anchor
            ):
                result.status, result.subtype = "self", "self"
                result.message = (
                    f"page {link.docname!r} lists itself as related ({link.raw!r}); "
                    "remove the entry"
                )
            continue
        if result.status == "ok":
            result.status, result.subtype = "duplicate", "duplicate"
            result.message = (
                f"{what} {link.raw!r} repeats the target of line {earlier.line} "
                f"({earlier.raw!r}) in the same list; remove one of them"
            )

    rule = _reciprocal_rule(env.config)
    if rule:
        listed: set[tuple[str, str]] = {
            (r.link.docname, r.resolved)
            for r in results
            if r.link.origin == "related" and r.resolved and r.status != "broken"
        }
        for result in results:
            link = result.link
            back = result.resolved
            if (
                result.status != "ok"
                or link.origin != "related"
                or link.kind in {"url", "remote"}
                or not back
                or back == link.docname
                or not _requires(rule, link.docname, back)
                or (back, link.docname) in listed
            ):
                continue
            result.status, result.subtype = "one-way", "reciprocal"
            result.suggestion = _written_form(
                Link(back, "", 0, "", "related", "", "doc", back), link.docname
            )
            result.message = (
                f"related link to {back!r} is one-way: {back!r} does not list "
                f"{link.docname!r} back; add '- {result.suggestion}' to its related-paths "
                "(required by opsboundary_reciprocal)"
            )
    return results


def _judge_one(
    env: BuildEnvironment,
    link: Link,
    what: str,
    docs: set[str],
    redirects: Mapping[str, str],
    labels: Mapping[str, Any],
    anonlabels: Mapping[str, Any],
    suggester: SiteSuggester,
) -> LinkResult:
    if link.kind == "url":
        return LinkResult(link, "ok", resolved=link.target)
    if link.kind == "remote":  # another Sphinx site, from its inventory (§7.4)
        status, message, suggestion, resolved = judge_remote(env, link, what)
        subtype: Subtype | None = "related" if status == "broken" else None
        return LinkResult(link, status, message, suggestion, resolved, subtype)  # type: ignore[arg-type]

    if link.kind == "ref":
        found = locate(env, "ref", link.target, None)
        if found is not None:
            return LinkResult(link, "ok", resolved=found[0])
        best = suggester.label(link.target, {**anonlabels, **labels}, link.title)
        suggestion = f"ref:{best}" if best else None
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        return LinkResult(
            link,
            "broken",
            f"{what} {link.raw!r}: there is no label {link.target!r}{hint}",
            suggestion,
            subtype="related",
        )

    docname, chain, cycle = follow_redirect(redirects, source_named(env, link.target))
    if cycle:
        # The cycle itself is reported once, as a config warning.
        return LinkResult(
            link,
            "broken",
            f"{what} {link.raw!r} points into a redirect cycle "
            f"({' -> '.join([link.target, *chain])}); fix opsboundary_redirects",
        )
    moved = bool(chain)
    anchor_part = f"#{link.anchor}" if link.anchor else ""
    if docname not in docs:
        if moved:
            message = (
                f"{what} {link.raw!r}: the page moved to {docname!r}, which does not "
                "exist; fix the redirect or the link"
            )
            return LinkResult(link, "broken", message, subtype="related")
        if _excluded(env, docname):
            message = (
                f"{what} {link.raw!r}: document {docname!r} is excluded from the build "
                "(exclude_patterns); include it or link to another page"
            )
            return LinkResult(link, "broken", message, subtype="related")
        best_doc = suggester.doc(docname, link.docname, link.title)
        suggestion = _written_form(link, best_doc) + anchor_part if best_doc else None
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        message = f"{what} {link.raw!r}: there is no document {docname!r}{hint}"
        real = _other_source(env, docname)
        if real is not None and suggestion:
            message = f"{what} {link.raw!r}: the page's source is {real!r}, not {docname!r}{hint}"
        return LinkResult(link, "broken", message, suggestion, subtype="related")

    if link.anchor and locate(env, "doc", docname, link.anchor) is None:
        ids = {i: a.title for i, a in get_domain(env).anchors.get(docname, {}).items()}
        ids.update({n: "" for n, entry in anonlabels.items() if entry[0] == docname})
        ids.update({n: entry[2] or "" for n, entry in labels.items() if entry[0] == docname})
        close = suggester.anchor(docname, link.anchor, ids, link.title)
        path = link.raw.partition("#")[0]
        suggestion = f"{path}#{close}" if close else None
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        message = (
            f"{what} {link.raw!r}: document {docname!r} has no section or label "
            f"{link.anchor!r}{hint}"
        )
        return LinkResult(link, "broken", message, suggestion, docname, subtype="related")

    if moved:
        new = _written_form(link, docname) + anchor_part
        message = f"{what} {link.raw!r}: the page has moved to {docname!r}; write {new!r} instead"
        return LinkResult(link, "moved", message, new, docname, subtype="moved")
    return LinkResult(link, "ok", resolved=docname)


# --------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------


def _fingerprint(env: BuildEnvironment, result: LinkResult) -> tuple[Any, ...]:
    link = result.link
    title = ""
    if link.kind != "url" and result.status != "broken":
        found = locate(env, link.kind, link.target, link.anchor)
        title = (found[2] or "") if found else ""
    return (link.line, link.raw, result.status, result.resolved, title)


def report_links(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Warn about every problem link, and return citing pages whose links changed."""
    results = judge_links(env)
    for result in results:
        if result.subtype is not None:
            diagnostics.warn(result.message, result.subtype, (result.link.source, result.link.line))
    prints: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for result in results:
        prints[result.link.docname].append(_fingerprint(env, result))
    domain = get_domain(env)
    old: dict[str, Any] = domain.data.get(_FINGERPRINTS, {})
    # A digest per citing page: the environment keeps 16 bytes, not every title.
    new = {
        doc: hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()
        for doc, values in prints.items()
    }
    domain.data[_FINGERPRINTS] = new
    changed = sorted(
        doc for doc in set(old) | set(new) if old.get(doc) != new.get(doc) and doc in env.all_docs
    )
    note_rewrites(env, changed)  # saved until written, so Ctrl-C cannot lose them
    return changed


def _config_warn(app: Sphinx, message: str, name: str) -> None:
    diagnostics.warn(message, "config", diagnostics.conf_location(app.confdir, name))


def validate_config(app: Sphinx, config: Config) -> None:
    """Check the opsboundary_* link settings; a bad value warns and falls back."""
    redirects = config.opsboundary_redirects
    if not isinstance(redirects, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in redirects.items()
    ):
        _config_warn(
            app,
            "opsboundary_redirects must be a dict of old docname -> new docname "
            f"(strings), not {redirects!r}; ignoring it",
            "opsboundary_redirects",
        )
        config.opsboundary_redirects = {}
    reciprocal = config.opsboundary_reciprocal
    if not (
        isinstance(reciprocal, bool)
        or (isinstance(reciprocal, list | tuple) and all(isinstance(g, str) for g in reciprocal))
    ):
        _config_warn(
            app,
            "opsboundary_reciprocal must be True, False or a list of docname globs, "
            f"not {reciprocal!r}; using False",
            "opsboundary_reciprocal",
        )
        config.opsboundary_reciprocal = False
    mapping = redirect_map(config, app.confdir)
    reported: set[frozenset[str]] = set()
    for start in sorted(mapping):
        _, chain, is_cycle = follow_redirect(mapping, start)
        if is_cycle:
            path = [start, *chain]
            loop = path[path.index(chain[-1]) :]
            members = frozenset(loop)
            if members in reported:
                continue
            reported.add(members)
            cycle = " -> ".join(loop)
            _config_warn(
                app,
                f"redirect cycle in opsboundary_redirects/rediraffe_redirects: {cycle}; "
                "remove one of these entries",
                "opsboundary_redirects",
            )


def setup_checks(app: Sphinx) -> None:
    """Register link settings, anchor collection and the after-read judgement."""
    app.add_config_value("opsboundary_redirects", {}, "", types=(dict,))
    app.add_config_value("opsboundary_reciprocal", False, "", types=(bool, list, tuple))
    app.connect("config-inited", validate_config)
    app.connect("doctree-read", collect_anchors)
    app.connect("env-updated", report_links)
