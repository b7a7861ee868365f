"""The shared corpus counted once per distinct file: byte-identical copies are skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdf"


@dataclass
class Distinct:
    """One distinct corpus file: the copy reviewed (first by name) and the copies skipped."""

    path: Path
    sha256: str
    copies: list[str] = field(default_factory=list)

    @property
    def doc(self) -> str:
        """The short document key used by the judged records (16 hex digits of SHA-256)."""
        return self.sha256[:16]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def distinct_files(corpus: Path = CORPUS) -> list[Distinct]:
    """Every distinct PDF of ``corpus`` by content hash, in name order."""
    seen: dict[str, Distinct] = {}
    for path in sorted(corpus.glob("*.pdf")):
        digest = sha256(path)
        if digest in seen:
            seen[digest].copies.append(path.name)
        else:
            seen[digest] = Distinct(path, digest)
    return list(seen.values())
