"""Sentence encoder: multilingual-e5-small through ``transformers``, offline, on the CPU.

The model directory is ``GOUJI_MODEL`` when set, else the one ``gouji models build`` writes
into the user cache. Nothing is downloaded: ``transformers`` loads with
``local_files_only=True``. Loading is lazy (the first ``encode``), texts are embedded in
batches with e5's ``query: `` / ``passage: `` prefixes, mean-pooled over the attention mask
and L2-normalised, so a dot product is the cosine similarity. Passages (table row labels)
and short subjects are cached (up to ``CACHE_LIMIT`` texts): a batch of documents shares
many of them.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path

MODEL_NAME = "multilingual-e5-small"
ENV = "GOUJI_MODEL"
THREADS_ENV = "GOUJI_MODEL_THREADS"
PREFIX = {"query": "query: ", "passage": "passage: "}
MAX_TOKENS = 512
CACHE_LIMIT = 50_000  # cached texts (1.5 kB each)


class ModelUnavailable(RuntimeError):
    """The model cannot be used here; the message says why and what to do."""


def ml_missing() -> list[str]:
    """The packages of the ``ml`` extra that are not installed."""
    return [m for m in ("torch", "transformers", "safetensors", "tokenizers", "numpy") if importlib.util.find_spec(m) is None]


def cache_root() -> Path:
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("gouji", appauthor=False)) / "models"
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "gouji" / "models"


def default_model_dir() -> Path:
    """Where ``gouji models build`` writes the converted model."""
    return cache_root() / MODEL_NAME


def resolve_model(model: str | os.PathLike | None = None) -> str:
    """The model to load: the argument, else ``GOUJI_MODEL``, else the built directory."""
    chosen = model or os.environ.get(ENV) or default_model_dir()
    return str(chosen)


def model_status(model: str | os.PathLike | None = None) -> tuple[bool, str]:
    """(usable, reason): whether the model can be loaded, without loading it."""
    missing = ml_missing()
    if missing:
        return False, f"ML packages not installed ({', '.join(missing)}): pip install 'gouji[ml]'"
    ref = resolve_model(model)
    p = Path(ref)
    if p.is_dir():
        if not (p / "config.json").exists():
            return False, f"{ref} holds no config.json (incomplete model directory; run 'gouji models build')"
        return True, ref
    if p.exists() or os.sep in ref or ref == str(default_model_dir()):
        return False, f"no model at {ref}: run 'gouji models build' (or set {ENV} to a model directory)"
    return True, ref  # a model id, to be found in the local Hugging Face cache


class Encoder:
    """Lazy e5 encoder. ``encode(texts, "query"|"passage")`` -> float32 array [n, dim]."""

    def __init__(self, model: str | os.PathLike | None = None, batch_size: int = 32, threads: int | None = None):
        self.model_ref = resolve_model(model)
        self.batch_size = batch_size
        # one thread by default: faster than two on a busy 2-core machine, and batch review
        # runs documents in parallel processes; GOUJI_MODEL_THREADS overrides
        self.threads = threads or int(os.environ.get(THREADS_ENV) or 1)
        self._tok = None
        self._model = None
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], object] = {}
        self.load_seconds: float | None = None
        self.encoded = 0  # texts run through the model (cache misses)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> Encoder:
        with self._lock:
            if self._model is not None:
                return self
            ok, why = model_status(self.model_ref)
            if not ok:
                raise ModelUnavailable(why)
            t0 = time.perf_counter()
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            if self.threads > 0:
                torch.set_num_threads(self.threads)
            try:
                tok = AutoTokenizer.from_pretrained(self.model_ref, local_files_only=True)
                model = AutoModel.from_pretrained(self.model_ref, local_files_only=True)
            except OSError as e:
                raise ModelUnavailable(f"cannot load {self.model_ref}: {e}") from e
            model.eval()
            self._tok, self._model = tok, model
            self.load_seconds = time.perf_counter() - t0
        return self

    @property
    def dim(self) -> int:
        self.load()
        return int(self._model.config.hidden_size)

    def _embed(self, texts: list[str]):
        import numpy as np
        import torch

        out = []
        for i in range(0, len(texts), self.batch_size):
            chunk = texts[i : i + self.batch_size]
            enc = self._tok(chunk, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            enc.pop("token_type_ids", None)
            with torch.inference_mode():
                hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=-1)
            out.append(pooled.float().numpy())
        self.encoded += len(texts)
        return np.concatenate(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    def encode(self, texts: list[str] | str, kind: str = "query", cache: bool | None = None):
        """Unit vectors for ``texts`` with e5's ``kind`` prefix; passages are cached by default."""
        import numpy as np

        if kind not in PREFIX:
            raise ValueError(f"kind must be one of {sorted(PREFIX)}")
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        self.load()
        use_cache = (kind == "passage") if cache is None else cache
        if not use_cache:
            vecs = self._embed([PREFIX[kind] + t for t in items])
            return vecs[0] if single else vecs
        todo = list(dict.fromkeys(t for t in items if (kind, t) not in self._cache))
        if len(self._cache) + len(todo) > CACHE_LIMIT:  # a long batch: start afresh
            self._cache.clear()
            todo = list(dict.fromkeys(items))
        if todo:
            for t, v in zip(todo, self._embed([PREFIX[kind] + t for t in todo]), strict=True):
                self._cache[(kind, t)] = v
        vecs = np.stack([self._cache[(kind, t)] for t in items]) if items else np.zeros((0, self.dim), dtype=np.float32)
        return vecs[0] if single else vecs

    def query(self, texts):
        return self.encode(texts, "query")

    def passage(self, texts):
        return self.encode(texts, "passage")

    def similarity(self, query: str, passages: list[str]):
        """Cosine similarity of one query with each passage."""
        if not passages:
            import numpy as np

            return np.zeros(0, dtype=np.float32)
        return self.passage(passages) @ self.query(query)


_ENCODERS: dict[str, Encoder] = {}


def get_encoder(model: str | os.PathLike | None = None) -> Encoder:
    """One shared encoder per model (loaded once per process)."""
    ref = resolve_model(model)
    if ref not in _ENCODERS:
        _ENCODERS[ref] = Encoder(ref)
    return _ENCODERS[ref]
