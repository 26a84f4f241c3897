"""The one target grammar, shared by ``related-paths`` entries and boundary-table sides.

A target is written once by the user (``mlops``, ``../ops/dataops``, ``/index``,
``mlops-vs-dataops#incident-boundary``, ``ref:model-monitoring-alerts`` or an
``http(s)`` URL) and travels in two halves:

* at read time :func:`make_link` records a :class:`~.domain.Link` for the
  after-read checks and leaves a ``pending_xref`` in the doctree; it never decides
  that an internal target is broken, because the target page may not be read yet;
* at write time :func:`resolve_pending` (called from the domain's
  ``resolve_xref``) turns the ``pending_xref`` into a reference whose text is the
  target's real title, so a retitled page updates every link to it.

Redirect maps (``opsboundary_redirects`` and sphinxext-rediraffe's
``rediraffe_redirects``) are read here too, so that the link and the check agree
on where a moved page now lives.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join
from sphinx.util.nodes import make_refnode

from .. import diagnostics
from ..domain import DOMAIN_NAME, Link, get_domain
from ..safety import url_problem
from .inventories import split_remote

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

__all__ = [
    "follow_redirect",
    "make_link",
    "redirect_map",
    "resolve_pending",
    "source_named",
    "split_title",
    "url_problem",
]

#: ``scheme:`` at the start of a target: anything with one is a URL, not a doc.
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):")
#: Characters no document name, anchor or label may contain.
#: The longest document name or label a link target may name.
MAX_NAME_LENGTH = 300
_BAD_CHARS = re.compile(r"[\s<>`\"|]")


# --------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def split_title(text: str) -> tuple[str | None, str]:
    """Split ``Title <target>`` into ``(title, target)``; a bare target gives ``None``.

    The target is the last unescaped ``<...>`` at the very end, so a title may
    itself contain ``<`` (``a < b <page>``) and ``\\<`` keeps a literal bracket.
    """
    text = text.strip()
    if text.endswith(">") and not text.endswith("\\>"):
        # Walk back to the last unescaped "<".
        index = len(text) - 2
        while index >= 0:
            if text[index] == "<":
                backslashes = 0
                probe = index - 1
                while probe >= 0 and text[probe] == "\\":
                    backslashes += 1
                    probe -= 1
                if backslashes % 2 == 0:
                    break
            index -= 1
        if index >= 0:
            title = _unescape(text[:index].strip())
            target = text[index + 1 : -1].strip()
            return (title or None), target
    return None, _unescape(text)


def _classify(raw: str) -> Literal["doc", "ref", "url"]:
    if raw.startswith("ref:"):
        return "ref"
    if _SCHEME.match(raw) or raw.startswith("//"):
        return "url"
    return "doc"


def _plain(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=["opsboundary-link", *classes])


def make_link(
    directive: SphinxDirective,
    raw_target: str,
    title: str | None,
    *,
    group: str,
    origin: Literal["related", "side"],
    location: tuple[str | None, int],
    contnode: nodes.Node | None = None,
) -> nodes.Node:
    """Record a :class:`Link` for the after-read checks and return the node to insert.

    Internal targets become a ``pending_xref`` resolved at write time; ``http(s)``
    URLs a plain ``reference`` (so Sphinx's ``linkcheck`` sees them); anything
    unsafe or malformed is warned about here and rendered as plain text.
    """
    env = directive.env
    raw = raw_target.strip()
    what = "related link" if origin == "related" else "side link"
    source, line = location
    if not raw:
        diagnostics.warn(
            f"{what} has no target; write 'Title <target>' or a bare target",
            "syntax",
            location,
        )
        return _plain(title or "", "opsboundary-broken")
    remote = split_remote(env.config, raw)  # PROJECT:doc, ref:PROJECT:LABEL (§7.4)
    if remote is not None:
        key, anchor = remote.key, remote.anchor
        _record(env, directive, source, line, group, origin, raw, "remote", key, anchor, title)
        return _xref(env, "remote", key, anchor, raw, title, group, location, contnode)
    kind = _classify(raw)
    shown = title if title is not None else raw
    if kind != "url" and len(raw) > MAX_NAME_LENGTH:
        # No document name or label is this long; refusing it here keeps every
        # later message (checks.py quotes the target) short.
        diagnostics.warn(
            f"{what} target {diagnostics.excerpt(raw)} is {len(raw)} characters long; "
            f"a document name or label has at most {MAX_NAME_LENGTH}",
            "syntax",
            location,
        )
        return _plain(diagnostics.excerpt(shown), "opsboundary-broken")

    if kind == "url":
        problem = url_problem(raw)
        if problem is None and not raw.lower().startswith(("http://", "https://")):
            problem = (
                f"{diagnostics.excerpt(raw)} is not an absolute http(s) URL; write https://..."
            )
        if problem is not None:
            diagnostics.warn(
                f"{what} refused: {problem}",
                "url",
                location,
            )
            return _plain(shown, "opsboundary-broken")
        _record(env, directive, source, line, group, origin, raw, "url", raw, None, title)
        ref = nodes.reference("", "", refuri=raw, classes=["opsboundary-link", "external"])
        ref["opsboundary_group"] = group  # the citing block, for backlinks (§7.1)
        ref.source, ref.line = source, line  # linkcheck reports the entry's own line
        ref += contnode if contnode is not None else nodes.inline(shown, shown)
        return ref

    if kind == "ref":
        label = raw[len("ref:") :].strip()
        if not label or _BAD_CHARS.search(label):
            diagnostics.warn(
                f"{what} {diagnostics.excerpt(raw)} is not a valid label reference; "
                "write 'ref:LABEL'",
                "syntax",
                location,
            )
            return _plain(shown, "opsboundary-broken")
        target, anchor = label.lower(), None
    else:
        path, _, anchor_text = raw.partition("#")
        anchor = anchor_text.strip() or None
        path = path.strip()
        if (
            _BAD_CHARS.search(path)
            or (anchor and _BAD_CHARS.search(anchor))
            or (not path and not anchor)
        ):
            diagnostics.warn(
                f"{what} target {diagnostics.excerpt(raw)} is not a document name, 'doc#anchor', "
                "'ref:LABEL' or an http(s) URL",
                "syntax",
                location,
            )
            return _plain(shown, "opsboundary-broken")
        if not path:
            target = env.docname
        elif path.startswith("/"):
            target = posixpath.normpath(path.lstrip("/"))
        else:
            target = docname_join(env.docname, path)
        if target in {".", ""}:
            target = env.docname

    _record(env, directive, source, line, group, origin, raw, kind, target, anchor, title)
    return _xref(env, kind, target, anchor, raw, title, group, location, contnode)


def _xref(
    env: BuildEnvironment,
    kind: str,
    target: str,
    anchor: str | None,
    raw: str,
    title: str | None,
    group: str,
    location: tuple[str | None, int],
    contnode: nodes.Node | None,
) -> addnodes.pending_xref:
    shown = title if title is not None else raw
    xref = addnodes.pending_xref(
        "",
        refdomain=DOMAIN_NAME,
        reftype=kind,
        reftarget=target,
        refdoc=env.docname,
        refexplicit=title is not None,
        refwarn=False,
        opsboundary_anchor=anchor or "",
        opsboundary_raw=raw,
        opsboundary_group=group,
        classes=["opsboundary-link"],
    )
    xref.source, xref.line = location
    xref += contnode if contnode is not None else nodes.inline(shown, shown)
    return xref


def _record(
    env: BuildEnvironment,
    directive: SphinxDirective,
    source: str | None,
    line: int,
    group: str,
    origin: Literal["related", "side"],
    raw: str,
    kind: Literal["doc", "ref", "url", "remote"],
    target: str,
    anchor: str | None,
    title: str | None,
) -> None:
    get_domain(env).add_link(
        Link(
            docname=env.docname,
            source=source or env.doc2path(env.docname).as_posix(),
            line=line,
            group=group,
            origin=origin,
            raw=raw,
            kind=kind,
            target=target,
            anchor=anchor,
            title=title,
        )
    )


# --------------------------------------------------------------------------
# Redirects
# --------------------------------------------------------------------------

_redirect_cache: dict[int, tuple[Any, Any, dict[str, str]]] = {}


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    name = name.strip().strip("\"'").lstrip("/")
    for suffix in suffixes:
        if suffix and name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _rediraffe_value(config: Config) -> Any:
    """``rediraffe_redirects``, also when sphinxext-rediraffe is not loaded."""
    if "rediraffe_redirects" in config:
        return config.rediraffe_redirects
    return getattr(config, "_raw_config", {}).get("rediraffe_redirects")


def _read_rediraffe_file(base: str, name: str) -> dict[str, str]:
    """The ``old new`` lines of a rediraffe redirects file (relative to *base*)."""
    path = os.path.join(base, name)
    found: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for text in handle:
                parts = text.split("#", 1)[0].split()
                if len(parts) == 2:
                    found[parts[0]] = parts[1]
    except OSError:
        pass
    return found


def redirect_map(config: Config, base: str | os.PathLike[str] = ".") -> dict[str, str]:
    """old docname -> new docname from both redirect settings (ours win).

    *base* is the directory a rediraffe redirects *file* name is relative to.
    """
    ours = getattr(config, "opsboundary_redirects", None) or {}
    theirs = _rediraffe_value(config)
    cached = _redirect_cache.get(id(config))
    if cached is not None and cached[0] is ours and cached[1] is theirs:
        return cached[2]
    suffixes = tuple(sorted(getattr(config, "source_suffix", {}) or {}, key=len, reverse=True))
    merged: dict[str, str] = {}
    if isinstance(theirs, str):
        theirs_map: Any = _read_rediraffe_file(os.fspath(base), theirs)
    else:
        theirs_map = theirs
    for mapping in (theirs_map, ours):
        if isinstance(mapping, Mapping):
            for old, new in mapping.items():
                if isinstance(old, str) and isinstance(new, str) and old.strip():
                    merged[_strip_suffix(old, suffixes)] = _strip_suffix(new, suffixes)
    _redirect_cache[id(config)] = (ours, theirs, merged)
    return merged


def follow_redirect(redirects: Mapping[str, str], docname: str) -> tuple[str, list[str], bool]:
    """``(final docname, chain, cycle)``; the chain is empty when *docname* has not moved.

    A cycle stops at the first repeated name, which the chain then ends with.
    """
    chain: list[str] = []
    current = docname
    seen = {docname}
    while current in redirects:
        current = redirects[current]
        chain.append(current)
        if current in seen:
            return current, chain, True
        seen.add(current)
    return current, chain, False


# --------------------------------------------------------------------------
# Resolution at write time
# --------------------------------------------------------------------------


def _title_of_doc(env: BuildEnvironment, docname: str) -> str | None:
    title = env.titles.get(docname)
    text = title.astext().strip() if title is not None else ""
    return text or None


def source_named(env: BuildEnvironment, target: str) -> str:
    """The docname *target* means when written with its page's own source suffix.

    ``fonts.md`` names the document ``fonts`` when that document's source is
    ``fonts.md`` (an author's file habit, SPEC §2); any other suffix is left
    as written, so the checks can report it with a did-you-mean.  Decided when
    links are judged, never at read time, so a page that changes its source
    format is judged afresh.
    """
    if target in env.all_docs:
        return target
    stem, dot, suffix = target.rpartition(".")
    if not dot or not stem or "/" in suffix or stem not in env.all_docs:
        return target
    written = os.fspath(env.doc2path(stem, False)).replace(os.sep, "/")
    return stem if written == target else target


def locate(
    env: BuildEnvironment, kind: str, target: str, anchor: str | None
) -> tuple[str, str, str | None] | None:
    """Where a doc/ref target lands: ``(docname, node id, title)``, or None if broken.

    Redirects are followed for documents; the title is the section title of the
    anchor or label, else the document's title.
    """
    std = env.get_domain("std")
    labels: dict[str, tuple[str, str, str]] = getattr(std, "labels", {})
    anonlabels: dict[str, tuple[str, str]] = getattr(std, "anonlabels", {})
    if kind == "ref":
        if target in labels:
            docname, labelid, sectname = labels[target]
            return docname, labelid, sectname or None
        if target in anonlabels:
            docname, labelid = anonlabels[target]
            return docname, labelid, None
        return None
    target = source_named(env, target)
    docname, _chain, cycle = follow_redirect(redirect_map(env.config, env.srcdir), target)
    if cycle:
        return None
    if docname not in env.all_docs:
        return None
    if not anchor:
        return docname, "", _title_of_doc(env, docname)
    anchors = get_domain(env).anchors.get(docname, {})
    if anchor in anchors:
        return docname, anchor, anchors[anchor].title or None
    key = anchor.lower()
    for table in (labels, anonlabels):
        entry = table.get(key)
        if entry is not None and entry[0] == docname:
            sect = entry[2] if len(entry) > 2 else None
            return docname, entry[1], sect or None
    return None


def resolve_pending(
    env: BuildEnvironment,
    fromdocname: str,
    builder: Builder,
    typ: str,
    target: str,
    node: addnodes.pending_xref,
    contnode: nodes.Element,
) -> nodes.reference | nodes.Element | None:
    """Turn a related/side ``pending_xref`` into a reference with the real title.

    A broken target becomes plain text with class ``opsboundary-broken`` (never
    None), so Sphinx does not add a second "missing reference" warning under
    ``nitpicky``: the checks already reported it at the entry's own line.
    """
    if typ not in {"doc", "ref"}:
        return None
    anchor = node.get("opsboundary_anchor") or None
    explicit = bool(node.get("refexplicit"))
    found = locate(env, typ, target, anchor)
    if found is None:
        text = contnode.astext() or str(node.get("opsboundary_raw", target))
        return nodes.inline(text, text, classes=["opsboundary-link", "opsboundary-broken"])
    docname, node_id, title = found
    child: nodes.Node
    if explicit:
        child = contnode
    else:
        text = title or str(node.get("opsboundary_raw", target))
        child = nodes.inline(text, text)
    ref = make_refnode(builder, fromdocname, docname, node_id or None, child)
    ref["classes"].extend(["opsboundary-link", "internal"])
    return ref
