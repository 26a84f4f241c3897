"""Citations checked against the talk itself (SPEC §6): after-read quote checks.

Citations record their body text and ``:quote:`` mode at read time; this module
judges them once every document is read, at ``env-updated``, which fires on
every build, so a rebuild shows exactly the warnings a fresh build shows.

Cost: a transcript (or chapters file) is parsed once per content digest and
kept in the environment (:data:`_FILES`), so an unchanged transcript is never
parsed again across incremental builds; its word index is built once per
process, only when a citation needs matching.  Each citation's outcome is kept
with a fingerprint of everything it depends on (:data:`_RESULTS`), so editing a
transcript re-checks exactly the citations of its episode.  Citing pages also
depend on the files (``note_dependency``), and pages whose outcome changed are
returned from ``env-updated`` to be written again.  All of it runs in the main
process after reading, so ``-j 4`` equals ``-j 1``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Subtype, conf_location, did_you_mean, option_line, warn
from ..domain import Citation, get_domain
from .judging import QuoteOutcome, judge
from .matching import TokenIndex
from .registry import Episode, get_registry
from .transcripts import Chapters, Transcript, TranscriptError, read_chapters, read_transcript

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = [
    "QuoteOutcome",
    "chapter_at",
    "outcome_for",
    "quote_mode",
    "quote_report",
    "setup_quotes",
]

MODES = ("verbatim", "paraphrase")
DEFAULT_WINDOW = 30

_FILES = "transcript_files"  #: path -> _Parsed, a global bucket in the domain data
_RESULTS = "quote_results"  #: citation key -> (fingerprint, QuoteOutcome)
_PRINTS = "quote_fingerprints"  #: docname -> digest of its outcomes
_DISK = "opsboundary-transcripts"  #: folder in the doctree directory


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A transcript or chapters file as last read: its digest and content or error."""

    digest: str
    content: Transcript | Chapters | None
    error: tuple[str, int | None] | None = None


# --------------------------------------------------------------------------
# Read time: the :quote: option and the body's text
# --------------------------------------------------------------------------


def quote_mode(directive: Directive) -> Literal["auto", "verbatim", "paraphrase"]:
    """The directive's ``:quote:`` value; a bad one warns and means "auto"."""
    raw = directive.options.get("quote")
    if raw is None:
        return "auto"
    value = str(raw).strip().lower()
    if value == "verbatim":
        if not directive.content:
            warn(
                "episode-citation :quote: verbatim needs the quoted words as its body",
                "syntax",
                option_line(directive, "quote"),
            )
        return "verbatim"
    if value == "paraphrase":
        return "paraphrase"
    best = did_you_mean(value, MODES)
    hint = f"; did you mean {best[0]!r}?" if best else ""
    warn(
        f"episode-citation :quote: {raw!r} is not one of verbatim, paraphrase{hint}",
        "syntax",
        option_line(directive, "quote"),
    )
    return "auto"


def body_text(body: list[nodes.Node]) -> str | None:
    """The body as one line of plain text, the same from rST and MyST."""
    text = " ".join(node.astext() for node in body)
    return " ".join(text.split()) or None


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


def quote_window(config: Config) -> float:
    value = config.opsboundary_quote_window
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return float(DEFAULT_WINDOW)


def _validate_config(app: Sphinx, config: Config) -> None:
    value = config.opsboundary_quote_window
    if not (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0):
        warn(
            f"opsboundary_quote_window must be a number of seconds (0 or more), not "
            f"{value!r}; using {DEFAULT_WINDOW}",
            "config",
            conf_location(app.confdir, "opsboundary_quote_window"),
        )


# --------------------------------------------------------------------------
# Files, parsed once per content
# --------------------------------------------------------------------------

#: Word indexes built in this process, by transcript digest.
_INDEXES: dict[str, TokenIndex] = {}


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


class _Files:
    """The files of one build: parsed or taken from the environment, problems reported once."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.cache: dict[str, _Parsed] = get_domain(env).data.setdefault(_FILES, {})
        self.used: dict[str, _Parsed | None] = {}

    def get(self, episode: Episode, kind: str) -> _Parsed | None:
        path: str | None = getattr(episode, kind)
        if path is None:
            return None
        if path in self.used:
            return self.used[path]
        parsed = self._load(episode, kind, path)
        self.used[path] = parsed
        return parsed

    def _load(self, episode: Episode, kind: str, path: str) -> _Parsed | None:
        name = os.path.basename(path)
        where = get_registry(self.env).locations.get((episode.key, kind), (None, 0))
        digest = _digest(path)
        if digest is None:
            warn(
                f"{kind} {name!r} of episode {episode.key!r} cannot be read; check the path, "
                "which is relative to the configuration directory",
                "source",
                where,
            )
            return None
        cached = self.cache.get(path)
        if cached is None or cached.digest != digest:
            cached = self._from_disk(digest, kind, path)
        if cached is None:
            try:
                content = read_transcript(path) if kind == "transcript" else read_chapters(path)
                cached = _Parsed(digest, content)
            except TranscriptError as err:
                if err.reason in ("library", "format", "missing"):
                    subtype: Subtype = "config" if err.reason == "library" else "source"
                    warn(
                        f"{kind} {name!r} of episode {episode.key!r} {err.message}; "
                        "its citations are not checked",
                        subtype,
                        where,
                    )
                    return None
                cached = _Parsed(digest, None, (err.message, err.line))
            self._to_disk(cached, kind, path)
        self.cache[path] = cached
        if cached.error is not None:
            message, line = cached.error
            warn(
                f"{kind} {name!r} of episode {episode.key!r} {message}; the citations of "
                f"{episode.key!r} are not checked against it",
                "source",
                (path, line or 0),
            )
        return cached

    # A content-addressed copy beside the doctrees, like the images Sphinx's
    # graphviz extension names by hash: a build with -E (a fresh environment) in
    # the same folder does not parse an unchanged transcript again either.

    def _disk(self, digest: str, kind: str, path: str) -> Path:
        suffix = os.path.splitext(path)[1].lower().lstrip(".")
        return Path(self.env.doctreedir) / _DISK / f"{digest}-{kind}-{suffix}.pickle"

    def _from_disk(self, digest: str, kind: str, path: str) -> _Parsed | None:
        try:
            with open(self._disk(digest, kind, path), "rb") as handle:
                found = pickle.load(handle)
        except Exception:  # absent, truncated or from another version: parse again
            return None
        return found if isinstance(found, _Parsed) and found.digest == digest else None

    def _to_disk(self, parsed: _Parsed, kind: str, path: str) -> None:
        target = self._disk(parsed.digest, kind, path)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump(parsed, handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)

    def forget_unused(self) -> None:
        """Drop what no episode names any more, so the environment does not grow."""
        for path in [p for p in self.cache if p not in self.used]:
            del self.cache[path]
        folder = Path(self.env.doctreedir) / _DISK
        if folder.is_dir():
            live = {p.digest for p in self.used.values() if p is not None}
            for stale in folder.iterdir():
                if stale.name.split("-", 1)[0] not in live:
                    with contextlib.suppress(OSError):
                        stale.unlink()
        live = {p.digest for p in self.used.values() if p is not None}
        for digest in [d for d in _INDEXES if d not in live]:
            del _INDEXES[digest]


def _index(parsed: _Parsed) -> TokenIndex:
    index = _INDEXES.get(parsed.digest)
    if index is None:
        assert isinstance(parsed.content, Transcript)
        index = _INDEXES[parsed.digest] = TokenIndex(parsed.content)
    return index


# --------------------------------------------------------------------------
# After reading: every citation, every build
# --------------------------------------------------------------------------


def citation_key(citation: Citation) -> str:
    return f"{citation.docname}#{citation.node_id}"


def _fingerprint(
    citation: Citation, episode: Episode, files: tuple[_Parsed | None, ...], window: float
) -> tuple[Any, ...]:
    digests = tuple(p.digest if p is not None else None for p in files)
    return (
        citation.at, citation.end, citation.text, citation.quote, citation.speaker,
        citation.origin, episode.title, episode.speakers, episode.duration, digests, window,
    )  # fmt: skip


def check_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Judge every citation, warn at its own line, and return pages whose outcome changed."""
    domain = get_domain(env)
    registry = get_registry(env)
    window = quote_window(env.config)
    files = _Files(env)
    old_results: dict[str, tuple[tuple[Any, ...], QuoteOutcome]] = domain.data.get(_RESULTS, {})
    results: dict[str, tuple[tuple[Any, ...], QuoteOutcome]] = {}
    prints: dict[str, list[Any]] = {}
    for citation in domain.all_citations():
        episode = registry.get(citation.key)
        if episode is None or (episode.transcript is None and episode.chapters is None):
            continue
        transcript, chapters = files.get(episode, "transcript"), files.get(episode, "chapters")
        usable = transcript if transcript is not None and transcript.error is None else None
        usable_chapters = chapters if chapters is not None and chapters.error is None else None
        fingerprint = _fingerprint(citation, episode, (usable, usable_chapters), window)
        key = citation_key(citation)
        cached = old_results.get(key)
        if cached is not None and cached[0] == fingerprint:
            outcome = cached[1]
        else:
            index = _index(usable) if usable is not None else None
            chapter_data = usable_chapters.content if usable_chapters is not None else None
            assert chapter_data is None or isinstance(chapter_data, Chapters)
            outcome = judge(citation, episode, index, chapter_data, window)
        results[key] = (fingerprint, outcome)
        for subtype, message in outcome.problems:
            warn(message, subtype, (citation.source, citation.line))
        prints.setdefault(citation.docname, []).append((key, outcome.status, outcome.chapter))
    files.forget_unused()
    domain.data[_RESULTS] = results
    old_prints: dict[str, str] = domain.data.get(_PRINTS, {})
    new_prints = {
        doc: hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()
        for doc, values in prints.items()
    }
    domain.data[_PRINTS] = new_prints
    return sorted(
        doc
        for doc in set(old_prints) | set(new_prints)
        if old_prints.get(doc) != new_prints.get(doc) and doc in env.all_docs
    )


def outcome_for(env: BuildEnvironment, citation: Citation) -> QuoteOutcome:
    """The outcome judged for *citation* in this build ("unchecked" when none)."""
    found = get_domain(env).data.get(_RESULTS, {}).get(citation_key(citation))
    return found[1] if found is not None else QuoteOutcome()


def outcome_by_key(env: BuildEnvironment, key: str) -> QuoteOutcome | None:
    found = get_domain(env).data.get(_RESULTS, {}).get(key)
    return found[1] if found is not None else None


def quote_report(env: BuildEnvironment, citation: Citation) -> dict[str, Any]:
    """The checker report's fields for *citation*: ``quote``, ``quote_found_at``, ``chapter``."""
    outcome = outcome_for(env, citation)
    return {
        "quote": outcome.status,
        "quote_found_at": outcome.found_at,
        "chapter": outcome.chapter,
    }


def chapter_at(env: BuildEnvironment, key: str, seconds: int) -> str | None:
    """The chapter of episode *key* at *seconds*, from the chapters read in this build."""
    episode = get_registry(env).get(key)
    if episode is None or episode.chapters is None:
        return None
    parsed = get_domain(env).data.get(_FILES, {}).get(episode.chapters)
    if parsed is None or not isinstance(parsed.content, Chapters):
        return None
    found = parsed.content.at(seconds)
    return found.title if found is not None else None


# --------------------------------------------------------------------------
# Read time: dependencies
# --------------------------------------------------------------------------


def _note_dependencies(app: Sphinx, doctree: nodes.document) -> None:
    """Depend on the transcripts and chapters the page cites: editing one re-reads it."""
    env = app.env
    registry = get_registry(env)
    for citation in get_domain(env).citations.get(env.docname, []):
        episode = registry.get(citation.key)
        if episode is None:
            continue
        for path in (episode.transcript, episode.chapters):
            # A missing file would make Sphinx re-read the page at every build; its
            # appearance is caught by the outcome fingerprints instead.
            if path is not None and os.path.isfile(path):
                env.note_dependency(path)


def setup_quotes(app: Sphinx) -> None:
    """Register the window setting, the read-time notes and the after-read check."""
    app.add_config_value(
        "opsboundary_quote_window", DEFAULT_WINDOW, "env", types=frozenset({int, float})
    )
    app.connect("config-inited", _validate_config)
    app.connect("doctree-read", _note_dependencies)
    app.connect("env-updated", check_citations)
