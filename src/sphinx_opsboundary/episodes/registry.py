"""The episode registry (SPEC §1.3): episodes defined once, cited many times.

Episodes come from ``opsboundary_episodes`` in ``conf.py`` and from an optional
data file (``opsboundary_episodes_file``: TOML, JSON or YAML).  Both are
validated into frozen :class:`Episode` records.  The registry is *not* pickled
into the environment: it is re-read at the start of every build (cheap), so a
rebuild shows exactly the warnings a fresh build shows, and pages that cite a
file episode declare the file as a dependency so Sphinx re-reads them when it
changes.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datafiles import DataFileError, LoadedData, load_data_file
from ..datafiles.values import bad_value, key_path_text
from ..diagnostics import Location, conf_key_location, conf_location, excerpt, warn
from ..paths import git_toplevel, outside_problem
from .entries import FILE_FIELDS, Episode, date_problem, valid_date, validate_entry

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = [
    "Episode",
    "Registry",
    "date_problem",
    "get_registry",
    "load_registry",
    "setup_registry",
    "valid_date",
]


@dataclass(slots=True)
class Registry:
    """Every registered episode by key, plus the data file they may depend on."""

    episodes: dict[str, Episode] = field(default_factory=dict)
    file: str | None = None  #: absolute path of the episodes file, if configured
    file_setting: str | None = None  #: opsboundary_episodes_file as written
    conf_used: bool = False  #: opsboundary_episodes holds at least one entry
    #: (key, field) -> where a file field (transcript, chapters) is written.
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)

    def __contains__(self, key: object) -> bool:
        return key in self.episodes

    def get(self, key: str) -> Episode | None:
        return self.episodes.get(key)

    def titles(self) -> dict[str, str]:
        """Title -> key, for "did you mean" on title-like arguments."""
        return {episode.title: key for key, episode in self.episodes.items()}

    def where_to_register(self) -> str:
        """Where a new episode goes, naming the setting(s) this site actually uses."""
        in_file = f"{self.file_setting} (opsboundary_episodes_file)"
        if self.file_setting and self.conf_used:
            return f"opsboundary_episodes or {in_file}"
        return in_file if self.file_setting else "opsboundary_episodes"


# Keyed by the Config object: it is shared by the app and its environment (also
# after the environment is unpickled), and forked parallel workers inherit it.
_REGISTRIES: weakref.WeakKeyDictionary[Config, Registry] = weakref.WeakKeyDictionary()
#: The configuration directory of each Config (Config itself does not keep it).
_CONFDIRS: weakref.WeakKeyDictionary[Config, str] = weakref.WeakKeyDictionary()
_SRCDIRS: weakref.WeakKeyDictionary[Config, str] = weakref.WeakKeyDictionary()


def get_registry(holder: Sphinx | BuildEnvironment | Config) -> Registry:
    """The registry of the app/env/config *holder*, loaded on first use."""
    config: Config = holder if not hasattr(holder, "config") else holder.config  # type: ignore[assignment]
    registry = _REGISTRIES.get(config)
    if registry is None:
        registry = load_registry(config)
    return registry


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _conf_location(config: Config, name: str, key: str | None = None) -> Location:
    path, line = conf_location(_CONFDIRS.get(config), name, key)
    if name in getattr(config, "_overrides", {}):  # given with -D: no line in conf.py
        return path, 0
    return path, line


def validate_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: report bad ``opsboundary_*`` values, then load the registry."""
    if not isinstance(config.opsboundary_episodes, Mapping):
        warn(
            "opsboundary_episodes must be a dict of episode key -> details, not "
            f"{type(config.opsboundary_episodes).__name__}; it is ignored",
            "config",
            _conf_location(config, "opsboundary_episodes"),
        )
    episodes_file = config.opsboundary_episodes_file
    if episodes_file is not None and not isinstance(episodes_file, str | os.PathLike):
        warn(
            "opsboundary_episodes_file must be a path (str) relative to the "
            f"configuration directory, not {type(episodes_file).__name__}; it is ignored",
            "config",
            _conf_location(config, "opsboundary_episodes_file"),
        )
    links = config.opsboundary_timestamp_links
    where = _conf_location(config, "opsboundary_timestamp_links")
    if not isinstance(links, Mapping):
        warn(
            "opsboundary_timestamp_links must be a dict of host -> URL template, not "
            f"{type(links).__name__}; it is ignored",
            "config",
            where,
        )
    else:
        from .deeplinks import template_problem

        for host, template in links.items():
            if not isinstance(host, str) or not isinstance(template, str):
                warn(
                    f"opsboundary_timestamp_links entry {host!r}: host and template must "
                    "both be strings; the entry is ignored",
                    "config",
                    _conf_location(config, "opsboundary_timestamp_links", str(host)),
                )
                continue
            problem = template_problem(host, template)
            if problem:
                warn(
                    f"opsboundary_timestamp_links[{host!r}]: {problem}",
                    "config",
                    _conf_location(config, "opsboundary_timestamp_links", host),
                )
    load_registry(config)


def timestamp_links(config: Config) -> dict[str, str]:
    """The valid host -> template entries of ``opsboundary_timestamp_links``."""
    links = config.opsboundary_timestamp_links
    if not isinstance(links, Mapping):
        return {}
    from .deeplinks import template_problem

    return {
        host: template
        for host, template in links.items()
        if isinstance(host, str)
        and isinstance(template, str)
        and template_problem(host, template) is None
    }


# --------------------------------------------------------------------------
# Data file
# --------------------------------------------------------------------------


def _load_file(path: Path, setting: Location) -> LoadedData | None:
    """The parsed episodes file, or None after a ``source`` warning at its line.

    A file that cannot be found or used at all is reported at *setting*, the
    ``opsboundary_episodes_file`` line of conf.py, which is what to fix.
    """
    try:
        return load_data_file(path)
    except DataFileError as err:
        name = path.name
        if err.reason == "format":
            message = (
                f"episodes file {name!r}: unknown format; use a .toml, .json, .yaml or .yml file"
            )
        elif err.reason in ("missing", "unreadable"):
            message = (
                f"episodes file {name!r} {err.message}; check opsboundary_episodes_file, "
                "which is relative to the configuration directory"
            )
        elif err.reason in ("syntax", "alias"):
            kind = path.suffix.lstrip(".").upper().replace("YML", "YAML")
            message = f"episodes file {name!r} is not valid {kind}: {err.parser_message}"
        else:
            message = f"episodes file {name!r} {err.message}"
        where = setting if err.reason in ("format", "missing", "unreadable") else None
        warn(message, "source", where or (str(path), err.line or 0))
        return None


def _file_entries(loaded: LoadedData | None) -> tuple[Mapping[Any, Any], tuple[str, ...]]:
    """The entries of the file and the key path they sit under (``("episodes",)`` or ``()``)."""
    if loaded is None or loaded.data is None:
        return {}, ()
    data = loaded.data
    if isinstance(data, Mapping) and isinstance(data.get("episodes"), Mapping):
        return data["episodes"], ("episodes",)
    if not isinstance(data, Mapping):
        warn(
            f"episodes file {os.path.basename(loaded.path)!r} must hold a table keyed by "
            "episode key (optionally under 'episodes')",
            "source",
            (loaded.path, 1),
        )
        return {}, ()
    return data, ()


def _differences(first: Episode, second: Episode) -> list[str]:
    return [
        f.name
        for f in fields(Episode)
        if f.name not in {"key", "origin"} and getattr(first, f.name) != getattr(second, f.name)
    ]


def load_registry(config: Config) -> Registry:
    """Read and validate conf and file episodes; cache and return the registry."""
    registry = Registry()
    conf_entries = config.opsboundary_episodes
    conf_root = os.fspath(_CONFDIRS.get(config, "."))  # file fields are relative to it
    if isinstance(conf_entries, Mapping):
        registry.conf_used = bool(conf_entries)
        confdir = _CONFDIRS.get(config)
        for key, raw in conf_entries.items():
            unusable = bad_value({key: raw})  # what the data-file loader refuses, too
            if unusable is not None:
                warn(
                    f"opsboundary_episodes {excerpt(str(key))} at "
                    f"{excerpt(key_path_text(unusable[0]))}: {unusable[1]}; the episode is ignored",
                    "config",
                    _conf_location(config, "opsboundary_episodes", str(key)),
                )
                continue
            where = _conf_location(config, "opsboundary_episodes", str(key))
            episode = validate_entry(
                key,
                raw,
                None,
                where,
                lambda name, key=key: conf_key_location(
                    confdir, "opsboundary_episodes", str(key), name
                ),
                conf_root,
            )
            if episode is not None:
                registry.episodes[episode.key] = episode
                for name in FILE_FIELDS:
                    registry.locations[(episode.key, name)] = where
    episodes_file = config.opsboundary_episodes_file
    if episodes_file and isinstance(episodes_file, str | os.PathLike):
        confdir = _CONFDIRS.get(config, ".")
        path = Path(os.path.abspath(os.path.join(os.fspath(confdir), os.fspath(episodes_file))))
        registry.file = str(path)
        registry.file_setting = os.fspath(episodes_file)
        setting = _conf_location(config, "opsboundary_episodes_file")
        # conf.py is the project's own trusted code; its data may sit anywhere in
        # the project's repository (docs/ beside data/), never outside it.
        outside = outside_problem(
            path,
            [confdir, _SRCDIRS.get(config, confdir), git_toplevel(os.fspath(confdir))],
            "the configuration folder, the source folder or the git work tree holding them",
            "the project",
        )
        if outside is not None:
            warn(f"episodes file {excerpt(str(episodes_file))} {outside}", "source", setting)
        loaded = None if outside is not None else _load_file(path, setting)
        entries, prefix = _file_entries(loaded)
        for key, raw in entries.items():
            line = loaded.line_of(*prefix, key) if loaded is not None else None
            where = (str(path), line or 0)

            def field_at(name: str, key: Any = key, where: Location = where) -> Location:
                found = loaded.line_of(*prefix, key, name) if loaded is not None else None
                return (where[0], found or where[1])

            episode = validate_entry(key, raw, str(path), where, field_at, conf_root)
            if episode is None:
                continue
            for name in FILE_FIELDS:
                located = loaded.line_of(*prefix, key, name) if loaded is not None else None
                place = (str(path), located or line or 0)
                registry.locations.setdefault((episode.key, name), place)
            existing = registry.episodes.get(episode.key)
            if existing is not None:
                differing = _differences(existing, episode)
                if differing:
                    warn(
                        f"episode {key!r} is defined in conf.py and in {path.name} with "
                        f"different {', '.join(differing)}; the conf.py definition wins "
                        "- remove one of them",
                        "episode",
                        where,
                    )
                continue
            registry.episodes[episode.key] = episode
    _REGISTRIES[config] = registry
    return registry


def _reload(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Re-read the registry at every build so that file edits are seen."""
    if getattr(app, "_opsboundary_registry_fresh", False):
        # Loaded at config-inited for this very build: do not warn twice.
        app._opsboundary_registry_fresh = False  # type: ignore[attr-defined]
        return
    load_registry(app.config)


def _mark_fresh(app: Sphinx, config: Config) -> None:
    _CONFDIRS[config] = os.fspath(app.confdir)
    _SRCDIRS[config] = os.fspath(app.srcdir)
    validate_config(app, config)
    app._opsboundary_registry_fresh = True  # type: ignore[attr-defined]


def setup_registry(app: Sphinx) -> None:
    """Register the three config values and (re)load the registry per build."""
    app.add_config_value("opsboundary_episodes", {}, "env", types=frozenset({dict}))
    app.add_config_value("opsboundary_episodes_file", "", "env", types=frozenset({str}))
    app.add_config_value("opsboundary_timestamp_links", {}, "env", types=frozenset({dict}))
    app.connect("config-inited", _mark_fresh)
    app.connect("env-before-read-docs", _reload)
