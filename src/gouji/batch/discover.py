"""Finding the documents of a batch (files, folders, globs) and naming their outputs."""

from __future__ import annotations

import glob
import hashlib
import os
import re
from pathlib import Path

from gouji.errors import InputNotFound, NoDocuments

GLOB_CHARS = re.compile(r"[*?\[]")
UNSAFE = re.compile(r"[^\w.\-\u3000-\u9fff\uff00-\uffef]+")


def discover(paths: list[str | Path]) -> list[Path]:
    """Every document under ``paths``, in order, each once.

    A file is taken as given (an unsupported one then fails with a clear error); a folder is
    searched recursively for the files ``gouji.ingest`` reads; a pattern (``*``, ``?``, ``[``,
    ``**``) that is not an existing path is expanded like a shell glob.
    """
    from gouji.ingest import is_document_file

    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.exists():
            candidates = [p]
        elif GLOB_CHARS.search(str(raw)):
            candidates = [Path(x) for x in sorted(glob.glob(str(raw), recursive=True))]
            if not candidates:
                raise InputNotFound("no file matches this pattern", path=str(raw), hint="check the pattern")
        else:
            raise InputNotFound("no such file or directory", path=str(raw), hint="check the path")
        for c in candidates:
            if c.is_dir():
                found.extend(sorted(f for f in c.rglob("*") if is_document_file(f)))
            elif c.is_file() and (c == p or is_document_file(c)):
                found.append(c)
    seen: set[Path] = set()
    out = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    if not out:
        raise NoDocuments("no documents found", path=" ".join(str(x) for x in paths), hint="give files or folders of disclosures")
    return out


def output_names(files: list[Path]) -> list[str]:
    """A file-system safe report name per input: its stem, made unique.

    Inputs sharing a stem (same name in different folders, or ``a.txt`` and ``a.md``) are named
    after their path below the inputs' common folder (``2022__a``, ``a_md``); names are stable for
    the same set of inputs.
    """
    resolved = [f.resolve() for f in files]
    stems = [_safe(r.stem) for r in resolved]
    groups: dict[str, list[Path]] = {}
    for r, s in zip(resolved, stems, strict=True):
        groups.setdefault(s.lower(), []).append(r)
    names = []
    for r, s in zip(resolved, stems, strict=True):
        group = groups[s.lower()]
        if len(group) == 1:
            names.append(s)
            continue
        root = Path(os.path.commonpath([str(g.parent) for g in group]))
        rel = r.relative_to(root)
        name = "__".join(_safe(x) for x in (*rel.parent.parts, rel.stem))
        if sum(1 for g in group if g.with_suffix("") == r.with_suffix("")) > 1:
            name += "_" + _safe(r.suffix.lstrip("."))
        names.append(name)
    taken: set[str] = set()
    unique = []
    for r, n in zip(resolved, names, strict=True):
        if n.lower() in taken:
            n = f"{n}_{hashlib.sha1(str(r).encode()).hexdigest()[:8]}"
        taken.add(n.lower())
        unique.append(n)
    return unique


def _safe(part: str) -> str:
    return UNSAFE.sub("_", part).strip("._") or "document"
