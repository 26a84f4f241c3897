"""A generated wiki that uses every feature of sphinx-opsboundary.

:class:`Project` keeps the sources as a ``{relative path: text}`` mapping, writes
them to disk and applies the edits the incremental and parallel tests script
(add, remove, rename with a redirect, retitle, edit a data file, change config).

What the generated project contains (``topics=48`` gives 64 pages, ``topics=56`` 72):

* ``topics/topic-NNN``: alternating ``.rst`` and ``.md`` (MyST), each with a
  label, a ``Details`` section, an ``episode-citation`` with a body, two
  ``episode`` roles (one ranged and titled), and a ``related-paths`` list to its
  neighbours by relative doc name, absolute doc name, ``ref:`` label,
  ``doc#anchor`` and an external URL.  Every tenth page carries a deliberate
  problem of one kind (broken doc, moved page, duplicate, self link, broken
  anchor, broken label, bad timestamp, unknown episode).
* ``boundary/table-N``: boundary tables from a body or from ``:source:`` data
  files (TOML, JSON and YAML), sides linking to topics, some with ``:name:`` rows
  that related links target.
* ``pairs/pair-N``: pages under the reciprocity glob ``pairs/*``; odd pairs are
  one-way on purpose.
* ``episodes``, ``episodes-by-speaker``, ``episodes-by-series``: ``episode-index``
  with every grouping; the first with ``:uncited:``.
* ``conf.py``: episodes in the conf registry and in ``episodes.toml``, a
  redirect map (``old/topic-NNN`` -> ``topics/topic-NNN``), the reciprocity glob.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

WORDS = [
    "lineage",
    "serving",
    "drift",
    "freshness",
    "registry",
    "rollback",
    "canary",
    "backfill",
    "schema",
    "alerting",
    "retraining",
    "ownership",
    "latency",
    "quota",
]

CONF_EPISODES = {
    "conf-ep-0": {
        "title": "Conf Episode Zero",
        "speakers": ["Ada Conf"],
        "url": "https://www.youtube.com/watch?v=abcdefghijk",
        "series": "Conf Talks",
        "duration": "1:30:00",
    },
    "conf-ep-1": {
        "title": "Conf Episode One",
        "speakers": ["Bea Conf", "Cy Conf"],
        "url": "https://vimeo.com/123456",
        "series": "Conf Talks",
    },
}

FILE_EPISODES = {
    f"ep-{n}": {
        "title": f"File Episode {n}",
        "speakers": [f"Speaker {n % 3}"],
        "url": [
            "https://www.youtube.com/watch?v=zyxwvutsrqp",
            "https://example.org/media/ep.mp3",
            "https://open.spotify.com/episode/xyz",
            "https://soundcloud.com/someone/track",
            "https://example.org/plain-page",
        ][n % 5],
        "series": f"Series {'AB'[n % 2]}",
        "duration": "2:00:00",
    }
    for n in range(6)
}


def _toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def episodes_toml(episodes: dict[str, dict[str, object]]) -> str:
    out = ["# generated episode registry"]
    for key, data in episodes.items():
        out.append(f"\n[{key}]")
        for name, value in data.items():
            out.append(f"{name} = {_toml_value(value)}")
    return "\n".join(out) + "\n"


def fmt_time(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class Project:
    topics: int = 48
    files: dict[str, str] = field(default_factory=dict)
    #: data file -> docnames that read it (for the incremental warning rule)
    data_users: dict[str, set[str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    reciprocal: object = field(default_factory=lambda: ["pairs/*"])
    conf_extra: str = ""
    file_episodes: dict[str, dict[str, object]] = field(
        default_factory=lambda: json.loads(json.dumps(FILE_EPISODES))
    )

    # -- generation ---------------------------------------------------------

    def __post_init__(self) -> None:
        if not self.files:
            self.generate()

    def topic_name(self, i: int) -> str:
        return f"topics/topic-{i:03d}"

    def topic_path(self, i: int) -> str:
        return self.topic_name(i) + (".md" if i % 2 else ".rst")

    def generate(self) -> None:
        self.redirects = {
            f"old/topic-{i:03d}": self.topic_name(i) for i in range(2, self.topics, 10)
        }
        if self.topics > 15:
            # configured ahead of the move, so the rename itself changes no config
            self.redirects[self.topic_name(15)] = "topics/moved-015"
        self.files["index.rst"] = self.index_page()
        for i in range(self.topics):
            self.files[self.topic_path(i)] = self.topic_page(i)
        for n in range(8):
            self.files[f"pairs/pair-{n}.rst"] = self.pair_page(n)
        self.boundary_pages()
        self.files["episodes.rst"] = "Episodes\n========\n\n.. episode-index::\n   :uncited:\n"
        self.files["episodes-by-speaker.md"] = (
            "# Episodes by speaker\n\n```{episode-index}\n:group-by: speaker\n```\n"
        )
        self.files["episodes-by-series.rst"] = (
            "Episodes by series\n==================\n\n.. episode-index::\n   :group-by: series\n"
        )
        self.files["episodes.toml"] = episodes_toml(self.file_episodes)
        self.write_conf()

    def write_conf(self) -> None:
        self.files["conf.py"] = "\n".join(
            [
                "project = 'Reliability wiki'",
                "extensions = ['sphinx_opsboundary', 'myst_parser', 'sphinx_design']",
                "myst_enable_extensions = ['colon_fence']",
                "source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}",
                "exclude_patterns = ['_build', 'data']",
                "html_theme = 'alabaster'",
                "html_sidebars = {'**': []}",
                "html_last_updated_fmt = None",
                f"opsboundary_episodes = {CONF_EPISODES!r}",
                "opsboundary_episodes_file = 'episodes.toml'",
                f"opsboundary_redirects = {dict(sorted(self.redirects.items()))!r}",
                f"opsboundary_reciprocal = {self.reciprocal!r}",
                self.conf_extra,
                "",
            ]
        )

    def index_page(self) -> str:
        return (
            "Reliability wiki\n================\n\n"
            "Start with :episode:`conf-ep-0@1:02:03` and :doc:`episodes`.\n\n"
            ".. toctree::\n   :glob:\n   :maxdepth: 1\n\n"
            "   topics/*\n   pairs/*\n   boundary/*\n   episodes*\n"
        )

    def topic_title(self, i: int) -> str:
        return f"Topic {i:03d}: {WORDS[i % len(WORDS)]}"

    def _related_entries(self, i: int) -> list[str]:
        n = self.topics
        nxt, prv = (i + 1) % n, (i - 1) % n
        entries = [
            f"- topic-{nxt:03d} -- The next topic, *{WORDS[nxt % len(WORDS)]}*.",
            f"- Back <{'/' + self.topic_name(prv)}> -- The previous topic.",
            f"- ref:topic-{(i + 2) % n:03d}-label -- By label.",
            f"- topic-{(i + 3) % n:03d}#details -- A section of another page.",
            f"- https://example.org/topics/{i} -- Outside.",
        ]
        kind = i % 10
        if kind == 1:
            entries.append(f"- missing-page-{i} -- Broken on purpose.")
        elif kind == 2:
            keys = sorted(self.redirects)
            if keys:
                entries.append(f"- /{keys[(i // 10 + 1) % len(keys)]} -- Moved on purpose.")
        elif kind == 3:
            entries.append(f"- topic-{nxt:03d} -- Duplicate on purpose.")
        elif kind == 4:
            entries.append(f"- topic-{i:03d} -- Self on purpose.")
        elif kind == 5:
            entries.append(f"- topic-{nxt:03d}#no-such-anchor -- Broken anchor on purpose.")
        elif kind == 6:
            entries.append("- ref:no-such-label -- Broken label on purpose.")
        elif kind == 7:
            entries.append("- /boundary/table-0#rel-table-0-serves -- A boundary row.")
        if i == 10:
            entries.append("- topic-new -- Exists only after a page is added.")
        return entries

    def _times(self, i: int) -> tuple[str, str, str]:
        at = 60 + i * 37
        return fmt_time(at), fmt_time(at + 45), fmt_time(at + 5)

    def topic_page(self, i: int, title: str | None = None) -> str:
        title = title or self.topic_title(i)
        at, end, role_at = self._times(i)
        episode = f"ep-{i % 6}"
        role_ep = "conf-ep-0" if i % 3 == 0 else f"ep-{(i + 1) % 6}"
        approx = "~" if i % 4 == 0 else ""
        bad_role = ""
        if i % 10 == 8:
            bad_role = f" A bad time {self._role('ep-1@5:60', i)} on purpose."
        elif i % 10 == 9:
            bad_role = f" An unknown episode {self._role('no-such-episode@1:00', i)}."
        related = "\n".join(self._related_entries(i))
        body = (
            f"Topic {i:03d} quotes **{WORDS[i % len(WORDS)]}** at length, with a\n"
            f"second line for page {i}."
        )
        if i % 2 == 0:
            underline = "=" * len(title)
            return (
                f".. _topic-{i:03d}-label:\n\n{title}\n{underline}\n\n"
                f"Intro with {self._role(f'{role_ep}@{role_at}', i)} and "
                f"{self._role(f'the range <{episode}@{approx}{at}-{end}>', i)}.{bad_role}\n\n"
                f".. episode-citation:: {episode}\n   :at: {approx}{at}\n   :end: {end}\n\n"
                + "".join(f"   {line}\n" for line in body.splitlines())
                + "\nDetails\n-------\n\nDetail text.\n\n"
                ".. related-paths::\n   :caption: Related paths\n\n"
                + "".join(f"   {line}\n" for line in related.splitlines())
            )
        fence = ":::" if i % 4 == 1 else "```"
        return (
            f"(topic-{i:03d}-label)=\n# {title}\n\n"
            f"Intro with {self._role(f'{role_ep}@{role_at}', i)} and "
            f"{self._role(f'the range <{episode}@{approx}{at}-{end}>', i)}.{bad_role}\n\n"
            f"{fence}{{episode-citation}} {episode}\n:at: {approx}{at}\n:end: {end}\n\n"
            f"{body}\n{fence}\n\n"
            "## Details\n\nDetail text.\n\n"
            f"{fence}{{related-paths}}\n:caption: Related paths\n\n{related}\n{fence}\n"
        )

    def _role(self, text: str, i: int) -> str:
        return f"{{episode}}`{text}`" if i % 2 else f":episode:`{text}`"

    def pair_page(self, n: int) -> str:
        title = f"Pair {n}"
        partner = n + 1 if n % 2 == 0 else n - 1
        entries = [f"- pair-{partner} -- My partner."]
        if n % 4 == 3:
            entries = [f"- pair-{(n + 2) % 8} -- One-way on purpose."]
        return f"{title}\n{'=' * len(title)}\n\n.. related-paths::\n\n" + "".join(
            f"   {e}\n" for e in entries
        )

    def boundary_pages(self) -> None:
        self.files["boundary/table-0.rst"] = (
            "Table 0\n=======\n\n"
            ".. boundary-table:: Topics zero and one\n"
            "   :sides: Zero </topics/topic-000>, One </topics/topic-001>\n"
            "   :shared: Both are generated.\n"
            "   :name: rel-table-0\n\n"
            "   * - Serves\n     - Models :episode:`ep-0@1:00`\n     - Data\n"
            "   * - Alerts\n     - Drift\n     - Freshness\n"
        )
        self.files["boundary/table-1.md"] = (
            "# Table 1\n\n"
            "```{boundary-table}\n:source: ../data/table-1.toml\n:name: rel-table-1\n```\n"
        )
        self.files["boundary/table-2.rst"] = (
            "Table 2\n=======\n\n.. boundary-table::\n   :source: /data/table-2.json\n"
        )
        self.files["boundary/table-3.rst"] = (
            "Table 3\n=======\n\n.. boundary-table::\n   :source: /data/table-3.yaml\n"
            "   :layout: cards\n"
        )
        self.files["data/table-1.toml"] = self.table_toml("Serves", "Training", "Pipelines")
        self.files["data/table-2.json"] = json.dumps(
            {
                "caption": "JSON table",
                "sides": ["A </topics/topic-004>", "B </topics/topic-005>", "C"],
                "rows": [{"aspect": "Cost", "cells": ["GPU", "CPU", "Disk"]}],
            },
            indent=2,
        )
        self.files["data/table-3.yaml"] = (
            "caption: YAML table\nsides:\n  - Left </topics/topic-006>\n  - Right\n"
            "shared: Shared YAML text.\nrows:\n  - aspect: Owner\n    cells: [ML team, Data team]\n"
            "  - aspect: Broken\n    cells: [only one cell]\n"
        )
        self.data_users = {
            "data/table-1.toml": {"boundary/table-1"},
            "data/table-2.json": {"boundary/table-2"},
            "data/table-3.yaml": {"boundary/table-3"},
            "episodes.toml": set(),  # citing pages, computed by docs_citing_file
        }

    def table_toml(self, aspect: str, left: str, right: str) -> str:
        return (
            'caption = "TOML table"\n'
            'sides = ["ML </topics/topic-002>", "Data </topics/topic-003>"]\n'
            'shared = "Both are platforms."\n\n'
            f'[[rows]]\naspect = "{aspect}"\ncells = ["{left}", "{right}"]\n\n'
            '[[rows]]\naspect = "Pager"\ncells = ["ML on-call", "Data on-call"]\n'
        )

    # -- disk ---------------------------------------------------------------

    def docnames(self) -> set[str]:
        return {
            path.rsplit(".", 1)[0]
            for path in self.files
            if path.endswith((".rst", ".md")) and not path.startswith("data/")
        }

    def write(self, root: Path) -> None:
        """Write every file; remove files under *root* that are no longer sources."""
        root.mkdir(parents=True, exist_ok=True)
        wanted = {root / rel for rel in self.files}
        for path in list(root.rglob("*")):
            stale = path.is_file() and path not in wanted and "_build" not in path.parts
            if stale and path.suffix in {".rst", ".md", ".toml", ".json", ".yaml", ".py"}:
                path.unlink()
        for rel, text in self.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                bump(path)

    # -- edits ----------------------------------------------------------------

    def add_topic(self, name: str = "topics/topic-new", title: str = "A new topic") -> None:
        self.files[name + ".rst"] = (
            f"{title}\n{'=' * len(title)}\n\nNew page citing :episode:`ep-2@0:42`.\n\n"
            ".. related-paths::\n\n   - topic-010 -- The page that expected me.\n"
            "   - topic-001 -- One-way.\n"
        )
        self.files["index.rst"] = self.files["index.rst"]  # glob picks it up

    def remove(self, path: str) -> str:
        return self.files.pop(path)

    def restore(self, path: str, text: str) -> None:
        self.files[path] = text

    def rename_topic(self, i: int, new_name: str, *, add_redirect: bool = True) -> None:
        text = self.files.pop(self.topic_path(i))
        suffix = ".md" if i % 2 else ".rst"
        self.files[new_name + suffix] = text
        if add_redirect:
            self.redirects[self.topic_name(i)] = new_name
            self.write_conf()

    def retitle_topic(self, i: int, title: str) -> None:
        self.files[self.topic_path(i)] = self.topic_page(i, title=title)

    def edit_episode(self, key: str, **changes: object) -> None:
        self.file_episodes[key].update(changes)
        self.files["episodes.toml"] = episodes_toml(self.file_episodes)

    def edit_table_data(self, aspect: str, left: str, right: str) -> None:
        self.files["data/table-1.toml"] = self.table_toml(aspect, left, right)

    def set_reciprocal(self, value: object) -> None:
        self.reciprocal = value
        self.write_conf()

    def docs_using(self, data_file: str) -> set[str]:
        if data_file == "episodes.toml":
            return {
                path.rsplit(".", 1)[0]
                for path, text in self.files.items()
                if path.endswith((".rst", ".md")) and "ep-" in text
            }
        return set(self.data_users.get(data_file, set()))


_CLOCK = [0.0]


def bump(path: Path) -> None:
    """Give *path* a modification time later than any before it, but never in
    the future: Sphinx compares a source's mtime with the time it last *read*
    the page, so a future mtime would make every later build re-read it."""
    _CLOCK[0] = max(_CLOCK[0] + 0.001, time.time())
    os.utime(path, (_CLOCK[0], _CLOCK[0]))
