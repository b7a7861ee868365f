"""Finding the documents of a batch (files, folders, globs), naming their outputs, and telling
which of them are byte-identical copies of an earlier one."""

from __future__ import annotations

import glob
import hashlib
import os
import re
from pathlib import Path

from gouji.errors import InputNotFound, NoDocuments
from gouji.paths import display_path

GLOB_CHARS = re.compile(r"[*?\[]")
UNSAFE = re.compile(r"[^\w.\-\u3000-\u9fff\uff00-\uffef]+")
# File systems allow 255 bytes a name; a report adds ".html" and its temporary file ".", ".tmp" and a random part.
MAX_NAME_BYTES = 200
# SHA-256 of no bytes: empty files all share it, and each fails on its own (nothing to save)
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


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


def duplicates(digests: list[str]) -> list[int | None]:
    """For each input, the index of the first input with the same content hash, or None.

    The shared corpus files one budget under several names: each copy is reviewed once, as
    its first occurrence. An unknown hash (``""``: the file could not be read) and the hash of
    an empty file never make a duplicate; each of those fails with its own error.
    """
    first: dict[str, int] = {}
    out: list[int | None] = []
    for i, d in enumerate(digests):
        if not d or d == EMPTY_SHA256:
            out.append(None)
        elif d in first:
            out.append(first[d])
        else:
            first[d] = i
            out.append(None)
    return out


def output_names(files: list[Path]) -> list[str]:
    """A file-system safe report name per input: its stem, made unique.

    Inputs sharing a stem (same name in different folders, or ``a.txt`` and ``a.md``) are named
    after their path below the inputs' common folder (``2022__a``, ``a_md``); names are stable for
    the same set of inputs. A name longer than ``MAX_NAME_BYTES`` is shortened (see ``fit_name``).
    """
    resolved = [f.resolve() for f in files]
    stems = [_safe(display_path(r.stem)) for r in resolved]
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
    return [fit_name(n) for n in unique]


def fit_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` if its UTF-8 form fits in ``limit`` bytes, else its start and a hash of all of it.

    The start is cut at a character boundary; the hash keeps names that share it distinct, and
    the same name always gets the same short form.
    """
    raw = name.encode("utf-8", "surrogatepass")  # a name from undecodable bytes holds surrogates
    if len(raw) <= limit:
        return name
    tag = "_" + hashlib.sha1(raw).hexdigest()[:8]
    size, cut = 0, 0
    for ch in name:
        size += len(ch.encode("utf-8", "surrogatepass"))
        if size > limit - len(tag):
            break
        cut += 1
    return name[:cut] + tag


def _safe(part: str) -> str:
    return UNSAFE.sub("_", part).strip("._") or "document"
