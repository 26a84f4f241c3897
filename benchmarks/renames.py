"""Rename benchmark: does the checker find every link a rename broke, and name the new page?

The site is one nobody here wrote: Sphinx's own documentation, from its sdist (offline
once downloaded; ``pip download --no-deps --no-binary :all: sphinx==VERSION``).  Its
real page names, page titles, labelled sections and internal links (``:doc:``,
``:ref:`` and toctree entries, with their link text) become a project of
``related-paths`` lists (one page per real page; targets written from the source
root).  Then seeded, realistic changes are made at once (see ``KINDS``), and the
checker is run twice on the changed site:

* ``incremental``: the same doctree folder as the first build, so the environment
  remembers the titles of pages and sections that disappeared;
* ``fresh``: a new doctree folder, as on a CI runner without a cache.

Measured per run: recall (links the changes broke that the report marks broken),
false positives (links reported that the changes did not break, and guesses for
pages and labels that were deleted), and the share of right suggestions among
links to renamed pages and labels.  Goal: 100% recall, 0 false positives, >= 95%
right.  Results go to ``benchmarks/results/renames-seed-<seed>.json``.

    python benchmarks/renames.py --seed 1 --seed 2 --seed 3
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import random
import re
import shutil
import subprocess
import sys
import tarfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
WORK = HERE / "_work" / "renames"
RESULTS = HERE / "results"

KINDS = (
    "folder-move",  # a whole folder moves under a new parent (its index with it)
    "folder-letter",  # a folder name loses or gains one letter (plural/singular)
    "case",  # the file name changes case
    "separator",  # dash <-> underscore in the file name
    "plural",  # the file name gains or loses a plural s
    "title-kept",  # a new file name from the page's title; the title stays
    "label-separator",  # a label's - becomes _ (or the other way)
    "label-retitled",  # a label renamed after its section title
    "delete",  # a page is deleted: its links must get no guess
)

_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>.:_])\1{2,}\s*$")
_LABEL = re.compile(r"^\.\. _([^:`][^:]*):\s*$")
_XREF = re.compile(r":(doc|ref):`([^`]+)`")
_TOCTREE = re.compile(r"^\.\. toctree::")
_ROLE = re.compile(r":[\w:+.-]+:`([^`<]*?)(?:\s*<[^>]*>)?`")


def _plain(text: str) -> str:
    text = _ROLE.sub(r"\1", text)
    text = re.sub(r"[`*|\\]", "", text)
    return re.sub(r"[^\w ,.'()/-]", " ", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Page:
    docname: str
    title: str
    labels: list[tuple[str, str]] = field(default_factory=list)  #: (label, section title)
    links: list[tuple[str, str, str]] = field(default_factory=list)  #: (kind, target, text)


def _sdist(version: str) -> Path:
    folder = WORK / f"sphinx-{version}"
    if (folder / "doc").is_dir():
        return folder / "doc"
    WORK.mkdir(parents=True, exist_ok=True)
    archive = WORK / f"sphinx-{version}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
             ":all:", f"sphinx=={version}", "-d", str(WORK)],
            check=True,
        )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(WORK, filter="data")
    return folder / "doc"


def read_site(doc: Path) -> dict[str, Page]:
    """Page names, titles, labelled sections and internal links of the real site."""
    pages: dict[str, Page] = {}
    for path in sorted(doc.rglob("*.rst")):
        docname = path.relative_to(doc).with_suffix("").as_posix()
        if docname.startswith(("_", "man/")):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        titles: list[tuple[int, str]] = []
        for i in range(1, len(lines)):
            text = lines[i - 1].strip()
            underline = lines[i].strip()
            if (
                _UNDERLINE.match(underline)
                and text
                and not text.startswith("..")
                and len(underline) >= len(text)
                and not _UNDERLINE.match(lines[i - 1])
            ):
                titles.append((i - 1, _plain(text)))
        if not titles:
            continue
        page = Page(docname, titles[0][1])
        for number, line in enumerate(lines):
            match = _LABEL.match(line)
            if match:
                after = [t for n, t in titles if n > number]
                nearest = [n for n, _ in titles if n > number]
                between = lines[number + 1 : nearest[0]] if nearest else ["x"]
                simple = all(not s.strip() or _LABEL.match(s) for s in between)
                page.labels.append((match.group(1).strip().lower(), after[0] if simple else ""))
            for kind, body in _XREF.findall(line):
                text, _, target = body.rpartition("<")
                target = (target.rstrip(">") if text else body).strip().lstrip("~!")
                page.links.append((kind, target, _plain(text) if text else ""))
            if _TOCTREE.match(line):
                for entry in lines[number + 1 :]:
                    if entry.strip() and not entry.startswith((" ", "\t")):
                        break
                    entry = entry.strip()
                    if entry and not entry.startswith(":") and "*" not in entry:
                        text, _, target = entry.rpartition("<")
                        target = target.rstrip(">") if text else entry
                        page.links.append(("doc", target.strip(), _plain(text)))
        pages[docname] = page
    labels = {label for p in pages.values() for label, _ in p.labels}
    for page in pages.values():
        kept: dict[tuple[str, str], tuple[str, str, str]] = {}
        for kind, target, text in page.links:
            if kind == "doc":
                base = posixpath.dirname(page.docname)
                target = (
                    target[1:]
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target))
                )
                if target not in pages or target == page.docname:
                    continue
            elif target.lower() not in labels:
                continue
            else:
                target = target.lower()
            kept.setdefault((kind, target), (kind, target, text))
        page.links = list(kept.values())
    return pages


def write_site(pages: dict[str, Page], src: Path) -> None:
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["sphinx_opsboundary"]\nproject = "renames"\n', encoding="utf-8"
    )
    for page in pages.values():
        out = [":orphan:", "", page.title, "=" * max(len(page.title), 3), ""]
        entries = []
        for kind, target, text in page.links:
            written = f"/{target}" if kind == "doc" else f"ref:{target}"
            entries.append(f"   - {text} <{written}>" if text else f"   - {written}")
        if entries:
            out += [".. related-paths::", "", *entries, ""]
        for label, section in page.labels:
            out += [f".. _{label}:", ""]
            out += [section, "-" * max(len(section), 3), ""] if section else ["Text.", ""]
        path = src / f"{page.docname}.rst"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(out), encoding="utf-8")


@dataclass
class Truth:
    docs: dict[str, str | None] = field(default_factory=dict)  #: old -> new (None: deleted)
    labels: dict[str, str | None] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)  #: old doc/label -> mutation kind


def mutate(pages: dict[str, Page], seed: int, per_kind: int) -> tuple[dict[str, Page], Truth]:
    """Seeded changes of every kind, on disjoint pages; returns the new site and the truth."""
    rng = random.Random(seed)
    truth = Truth()
    cited = Counter(t for p in pages.values() for k, t, _ in p.links if k == "doc")
    label_cited = Counter(t for p in pages.values() for k, t, _ in p.links if k == "ref")
    taken: set[str] = set()
    names = set(pages)

    def free(doc: str) -> bool:
        return doc not in taken and cited[doc] > 0

    def rename(old: str, new: str, kind: str) -> bool:
        if new in names or new == old or not new:
            return False
        names.discard(old)
        names.add(new)
        taken.add(old)
        truth.docs[old], truth.kind_of[old] = new, kind
        return True

    folders = sorted({p.rsplit("/", 1)[0] for p in pages if "/" in p})
    for kind in ("folder-move", "folder-letter"):
        rng.shuffle(folders)
        done = 0
        for folder in folders:
            members = [p for p in pages if p.startswith(folder + "/")]
            busy = any(m in taken for m in members)
            if done >= max(1, per_kind // 4) or len(members) < 2 or busy:
                continue
            if kind == "folder-move":
                new_folder = f"{rng.choice(['guide', 'topics', 'docs'])}/{folder}"
            else:
                head, _, last = folder.rpartition("/")
                last = last[:-1] if last.endswith("s") else last + "s"
                new_folder = f"{head}/{last}" if head else last
            if any(p.startswith(new_folder + "/") for p in names):
                continue
            for member in members:
                rename(member, new_folder + member[len(folder) :], kind)
            done += 1

    def page_kind(kind: str, make: Any) -> None:
        candidates = [p for p in sorted(pages) if free(p)]
        rng.shuffle(candidates)
        done = 0
        for doc in candidates:
            if done >= per_kind:
                break
            head, _, base = doc.rpartition("/")
            new_base = make(base, pages[doc])
            if new_base and rename(doc, f"{head}/{new_base}" if head else new_base, kind):
                done += 1

    page_kind("case", lambda b, p: b.upper() if len(b) <= 4 else b.capitalize())
    page_kind(
        "separator",
        lambda b, p: b.replace("-", "_") if "-" in b else (b.replace("_", "-") if "_" in b else ""),
    )
    page_kind("plural", lambda b, p: b[:-1] if b.endswith("s") else b + "s")
    page_kind("title-kept", lambda b, p: slug(p.title)[:40] if slug(p.title) != b else "")

    deletable = [p for p in sorted(pages) if free(p) and not p.endswith("index")]
    rng.shuffle(deletable)
    for doc in deletable[:per_kind]:
        taken.add(doc)
        names.discard(doc)
        truth.docs[doc], truth.kind_of[doc] = None, "delete"
        for label, _ in pages[doc].labels:
            truth.labels[label], truth.kind_of[label] = None, "delete"

    all_labels = {label for p in pages.values() for label, _ in p.labels}
    movable = [
        (p.docname, label, section)
        for p in pages.values()
        if p.docname not in taken or truth.docs.get(p.docname)
        for label, section in p.labels
        if label_cited[label] and label not in truth.labels
    ]
    rng.shuffle(movable)
    for kind in ("label-separator", "label-retitled"):
        done = 0
        for _, label, section in movable:
            if done >= per_kind or label in truth.labels:
                continue
            if kind == "label-separator":
                new = label.replace("-", "_") if "-" in label else label.replace("_", "-")
            else:
                new = slug(section) if section else ""
            if not new or new == label or new in all_labels:
                continue
            all_labels.add(new)
            truth.labels[label], truth.kind_of[label] = new, kind
            done += 1

    changed: dict[str, Page] = {}
    for doc, page in pages.items():
        new_doc = truth.docs.get(doc, doc)
        if new_doc is None:
            continue
        links = []
        for kind, target, text in page.links:
            if kind == "ref" and truth.labels.get(target, "") is None:
                links.append((kind, target, text))  # a link to a deleted label stays, broken
            else:
                links.append((kind, target, text))
        labels = [(truth.labels.get(lb) or lb, s) for lb, s in page.labels]
        changed[new_doc] = Page(new_doc, page.title, labels, links)
    return changed, truth


def check(src: Path, out: Path, doctrees: Path) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "opsboundary-check", "-d", str(doctrees),
         str(src), str(out)],
        check=False, stderr=subprocess.DEVNULL, env={**os.environ, "GITHUB_ACTIONS": ""},
    )  # fmt: skip
    return json.loads((out / "opsboundary.json").read_text(encoding="utf-8"))


def score(report: dict[str, Any], truth: Truth, before: dict[str, Any]) -> dict[str, Any]:
    """Figures for one run; problems the site had before the changes are not counted."""
    known = {
        (truth.docs.get(link["docname"], link["docname"]), link["target"])
        for link in before["links"]
        if link["status"] != "ok"
    }
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[dict[str, Any]] = []
    false_positives: list[dict[str, Any]] = []
    for link in report["links"]:
        raw = link["target"]
        key = raw[4:] if raw.startswith("ref:") else raw.lstrip("/")
        table = truth.labels if raw.startswith("ref:") else truth.docs
        if key not in table:
            if link["status"] != "ok" and (link["docname"], raw) not in known:
                false_positives.append(link)
            continue
        new = table[key]
        kind = truth.kind_of[key]
        counts = by_kind[kind]
        counts["links"] += 1
        counts["found"] += link["status"] == "broken"
        if new is None:
            counts["deleted"] += 1
            if link["suggestion"]:
                false_positives.append(link)
            continue
        expected = f"ref:{new}" if raw.startswith("ref:") else f"/{new}"
        counts["renamed"] += 1
        if link["suggestion"] == expected:
            counts["right"] += 1
        else:
            wrong.append({**link, "expected": expected, "kind": kind})
    links = sum(c["links"] for c in by_kind.values())
    found = sum(c["found"] for c in by_kind.values())
    renamed = sum(c["renamed"] for c in by_kind.values())
    right = sum(c["right"] for c in by_kind.values())
    return {
        "broken_links": links,
        "recall": found / links if links else 1.0,
        "false_positives": len(false_positives),
        "renamed_links": renamed,
        "right": right / renamed if renamed else 1.0,
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "wrong": wrong[:40],
        "false_positive_links": false_positives[:40],
    }


def run(seed: int, version: str, per_kind: int) -> dict[str, Any]:
    pages = read_site(_sdist(version))
    work = WORK / f"seed-{seed}"
    src, doctrees = work / "src", work / "doctrees"
    if work.exists():
        shutil.rmtree(work)
    write_site(pages, src)
    before = check(src, work / "out-before", doctrees)
    changed, truth = mutate(pages, seed, per_kind)
    write_site(changed, src)
    runs = {
        "incremental": score(check(src, work / "out-inc", doctrees), truth, before),
        "fresh": score(check(src, work / "out-fresh", work / "doctrees-fresh"), truth, before),
    }
    return {
        "seed": seed,
        "sphinx_docs_version": version,
        "pages": len(pages),
        "links": sum(len(p.links) for p in pages.values()),
        "labels": sum(len(p.labels) for p in pages.values()),
        "problems_before": before["problems"],
        "changes": dict(Counter(truth.kind_of.values())),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, action="append", help="repeatable; default 1 2 3")
    parser.add_argument("--sphinx-version", default="8.2.3", help="whose docs (sdist)")
    parser.add_argument("--per-kind", type=int, default=6, help="changes per kind")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    ok = True
    for seed in args.seed or [1, 2, 3]:
        result = run(seed, args.sphinx_version, args.per_kind)
        (RESULTS / f"renames-seed-{seed}.json").write_text(
            json.dumps(result, indent=2) + "\n", encoding="utf-8"
        )
        print(
            f"seed {seed}: {result['pages']} pages, {result['links']} links, "
            f"{result['problems_before']} problems before; changes {result['changes']}"
        )
        for name, figures in result["runs"].items():
            print(
                f"  {name:11} broken links {figures['broken_links']:4}  "
                f"recall {figures['recall']:.1%}  false positives {figures['false_positives']}  "
                f"right {figures['right']:.1%} of {figures['renamed_links']}"
            )
            for miss in figures["wrong"][:8]:
                print(f"    wrong [{miss['kind']}] {miss['target']} -> {miss['suggestion']}"
                      f" (expected {miss['expected']})")  # fmt: skip
            for fp in figures["false_positive_links"][:5]:
                print(f"    false positive {fp['target']} {fp['status']} {fp['suggestion']}")
        inc = result["runs"]["incremental"]
        ok &= inc["recall"] == 1.0 and inc["false_positives"] == 0 and inc["right"] >= 0.95
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
