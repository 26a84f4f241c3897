"""Links to other Sphinx sites (SPEC §7.4): ``PROJECT:docname[#anchor]``, ``ref:PROJECT:LABEL``.

``PROJECT`` is a key of ``intersphinx_mapping``.  Nothing is fetched here: the
inventories are the ones :mod:`sphinx.ext.intersphinx` loaded into the
environment at ``builder-inited`` (``InventoryAdapter(env).named_inventory``), so
a local ``objects.inv`` works offline and every site is loaded once per build.
A project whose inventory did not load leaves its links *unchecked* (status
``ok``, a note in the report) after one ``opsboundary.config`` warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .. import diagnostics
from ..paths import confdir_of

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..domain import Link

__all__ = ["RemoteTarget", "judge_remote", "remote_projects", "resolve_remote", "split_remote"]

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
_BAD = re.compile(r"[\s<>`\"|]")


@dataclass(slots=True, frozen=True)
class RemoteTarget:
    """A parsed cross-site target."""

    project: str
    kind: str  #: "doc" or "ref"
    name: str  #: docname or label (labels lower-cased, as Sphinx stores them)
    anchor: str | None

    @property
    def key(self) -> str:
        """The normalised target recorded in :attr:`.domain.Link.target`."""
        return (
            f"{self.project}:ref:{self.name}"
            if self.kind == "ref"
            else f"{self.project}:{self.name}"
        )


def remote_projects(config: Config) -> set[str]:
    """The keys of ``intersphinx_mapping`` (empty without sphinx.ext.intersphinx)."""
    mapping = config.intersphinx_mapping if "intersphinx_mapping" in config else None
    if not isinstance(mapping, Mapping):
        return set()
    return {str(key) for key in mapping}


def split_remote(config: Config, raw: str) -> RemoteTarget | None:
    """The cross-site target written as *raw*, or None when it is not one.

    Only a prefix that names a configured project makes a cross-site target, so
    ``https://...`` and local names with a colon keep their old meaning.
    """
    projects = remote_projects(config)
    if not projects:
        return None
    if raw.startswith("ref:"):
        project, sep, label = raw[len("ref:") :].partition(":")
        if sep and project in projects and label.strip() and not _BAD.search(label.strip()):
            return RemoteTarget(project, "ref", label.strip().lower(), None)
        return None
    project, sep, rest = raw.partition(":")
    if not sep or project not in projects or rest.startswith("//") or not _NAME.match(project):
        return None
    path, _, anchor = rest.partition("#")
    path = path.strip().strip("/")
    if not path or _BAD.search(path) or _BAD.search(anchor):
        return None
    return RemoteTarget(project, "doc", path, anchor.strip() or None)


def parse_key(target: str, anchor: str | None) -> RemoteTarget:
    project, _, rest = target.partition(":")
    if rest.startswith("ref:"):
        return RemoteTarget(project, "ref", rest[len("ref:") :], None)
    return RemoteTarget(project, "doc", rest, anchor)


def _inventories(env: BuildEnvironment) -> dict[str, Any]:
    return getattr(env, "intersphinx_named_inventory", None) or {}


def _item(entry: Any) -> tuple[str, str]:
    """``(uri, display name)`` of an inventory item (a tuple before Sphinx 8.2)."""
    uri = getattr(entry, "uri", None)
    if uri is None:
        uri, name = entry[2], entry[3]
    else:
        name = entry.display_name
    return str(uri), ("" if name == "-" else str(name))


def lookup(env: BuildEnvironment, target: RemoteTarget) -> tuple[str, str] | bool | None:
    """``(uri, title)``; None when missing; False when the inventory did not load."""
    inventory = _inventories(env).get(target.project)
    if inventory is None:
        return False
    if target.kind == "ref":
        for objtype in ("std:label", "std:doc"):
            entry = inventory.get(objtype, {}).get(target.name)
            if entry is not None:
                return _item(entry)
        return None
    entry = inventory.get("std:doc", {}).get(target.name)
    if entry is None:
        return None
    uri, title = _item(entry)
    if not target.anchor:
        return uri, title
    wanted = f"{uri.partition('#')[0]}#{target.anchor}"
    for label, item in inventory.get("std:label", {}).items():
        label_uri, label_title = _item(item)
        if label_uri == wanted or (label == target.anchor.lower() and label_uri.startswith(uri)):
            return label_uri, label_title or title
    return None


def _suggest(env: BuildEnvironment, target: RemoteTarget) -> str | None:
    inventory = _inventories(env).get(target.project) or {}
    if target.kind == "ref":
        names = set(inventory.get("std:label", {})) | set(inventory.get("std:doc", {}))
        best = diagnostics.did_you_mean(target.name, names)
        return f"ref:{target.project}:{best[0]}" if best else None
    docs = inventory.get("std:doc", {})
    if target.name not in docs:
        best = diagnostics.did_you_mean(target.name, docs)
        anchor = f"#{target.anchor}" if target.anchor else ""
        return f"{target.project}:{best[0]}{anchor}" if best else None
    uri = _item(docs[target.name])[0].partition("#")[0]
    anchors = {
        _item(item)[0].partition("#")[2]
        for item in inventory.get("std:label", {}).values()
        if _item(item)[0].startswith(uri + "#")
    }
    best = diagnostics.did_you_mean(target.anchor or "", anchors)
    return f"{target.project}:{target.name}#{best[0]}" if best else None


def judge_remote(
    env: BuildEnvironment, link: Link, what: str
) -> tuple[str, str, str | None, str | None]:
    """``(status, message, suggestion, resolved)`` for a cross-site link."""
    target = parse_key(link.target, link.anchor)
    found = lookup(env, target)
    if found is False:
        note = f"{what} {link.raw!r} not checked: the inventory of {target.project!r} did not load"
        return "ok", note, None, target.key
    if found is None:
        suggestion = _suggest(env, target)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        place = f"the inventory of {target.project!r}"
        if target.kind == "ref":
            missing = f"there is no label {target.name!r} in {place}"
        elif target.anchor and _has_doc(env, target):
            missing = f"{place} has no label at {target.name + '#' + target.anchor!r}"
        else:
            missing = f"there is no document {target.name!r} in {place}"
        return "broken", f"{what} {link.raw!r}: {missing}{hint}", suggestion, None
    return "ok", "", None, target.key


def _has_doc(env: BuildEnvironment, target: RemoteTarget) -> bool:
    inventory = _inventories(env).get(target.project) or {}
    return target.name in inventory.get("std:doc", {})


def unloaded_projects(env: BuildEnvironment, links: list[Link]) -> list[str]:
    """Projects used by some link whose inventory is not in the environment."""
    loaded = _inventories(env)
    used = {link.target.partition(":")[0] for link in links if link.kind == "remote"}
    return sorted(project for project in used if project not in loaded)


def warn_unloaded(env: BuildEnvironment, links: list[Link]) -> None:
    """One ``config`` warning per project whose inventory could not be loaded."""
    for project in unloaded_projects(env, links):
        diagnostics.warn(
            f"the intersphinx inventory of {project!r} could not be loaded; its related "
            "and side links are reported unchecked (fix its URL or local objects.inv "
            "in intersphinx_mapping)",
            "config",
            diagnostics.conf_location(confdir_of(env), "intersphinx_mapping", project),
        )


def resolve_remote(
    env: BuildEnvironment,
    fromdocname: str,
    builder: Builder,
    typ: str,
    target: str,
    node: pending_xref,
    contnode: nodes.Element,
) -> nodes.Element | None:
    """A reference to the remote page, its title as text unless one was written."""
    remote = parse_key(target, node.get("opsboundary_anchor") or None)
    found = lookup(env, remote)
    raw = str(node.get("opsboundary_raw", target))
    if not isinstance(found, tuple):  # missing (warned), or its inventory did not load
        text = contnode.astext() or raw
        state = "opsboundary-broken" if found is None else "opsboundary-unchecked"
        return nodes.inline(text, text, classes=["opsboundary-link", state])
    uri, title = found
    child: nodes.Node = contnode
    if not node.get("refexplicit"):
        text = title or raw
        child = nodes.inline(text, text)
    ref = nodes.reference("", "", child, refuri=uri, internal=False)
    ref["classes"].extend(["opsboundary-link", "external", "opsboundary-remote"])
    ref["reftitle"] = f"({remote.project})"
    return ref
