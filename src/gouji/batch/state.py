"""Resume state: which documents of an output folder are done, for which input bytes and version.

``DIR/.gouji-review-state.jsonl``: a header line, then one line per finished document (its
source, content hash, tool version, formats and batch record), appended as documents finish, so
an interrupted batch keeps every finished document. A torn last line (killed mid-write) is
ignored. ``compact`` rewrites the file atomically with the latest line per source.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gouji import __version__
from gouji.batch.files import atomic_write

STATE_NAME = ".gouji-review-state.jsonl"
SCHEMA = "gouji.review-state/1"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class State:
    """The state file of one output folder."""

    def __init__(self, out: Path):
        self.path = out / STATE_NAME
        self.entries: dict[str, dict] = {}
        self._fh = None

    def load(self) -> State:
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a kill
                if isinstance(entry, dict) and "source" in entry:
                    self.entries[entry["source"]] = entry
        return self

    def up_to_date(
        self, source: str, sha256: str, name: str, formats: tuple[str, ...], reports: Path, models: str | None = None
    ) -> dict | None:
        """The stored record when ``source`` was done with these bytes, this version, name and models."""
        e = self.entries.get(source)
        if not e or not sha256 or e["sha256"] != sha256 or e["version"] != __version__ or e["record"]["document"] != name:
            return None
        if e.get("models") != models:
            return None  # reviewed with other model stages (or without them)
        rec = e["record"]
        if rec.get("transient"):
            return None  # a worker that died: try again
        if rec["status"] == "ok":
            if not set(formats) <= set(e["formats"]):
                return None
            if not all((reports / rec["outputs"][f]).is_file() for f in formats):
                return None
        return rec

    def add(self, source: str, sha256: str, formats: tuple[str, ...], record: dict, models: str | None = None) -> None:
        entry = {"source": source, "sha256": sha256, "version": __version__, "formats": list(formats), "record": record}
        if models is not None:
            entry["models"] = models
        self.entries[source] = entry
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            size = self.path.stat().st_size if self.path.exists() else 0
            torn = size > 0 and not self.path.read_bytes().endswith(b"\n")
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115  (kept open while the batch runs)
            if size == 0:
                self._fh.write(json.dumps({"schema": SCHEMA}) + "\n")
            elif torn:
                self._fh.write("\n")  # end the torn line so that the next entry stands alone
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()

    def compact(self) -> None:
        """Rewrite the file atomically: the header and the latest entry per source."""
        self.close()
        lines = [json.dumps({"schema": SCHEMA})] + [json.dumps(e, ensure_ascii=False) for e in self.entries.values()]
        atomic_write(self.path, "\n".join(lines) + "\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
