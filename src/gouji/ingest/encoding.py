"""Decoding of text files: UTF-8 (with or without BOM), GB18030/GBK, and UTF-16/32 with a BOM."""

from __future__ import annotations

from gouji.errors import UnreadableInput

CANDIDATES = ("utf-8", "gb18030")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not a text export."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return len(sample) > 0 and controls / len(sample) > 0.05


# byte-order marks of the UTF-16/32 files Windows Notepad saves as "Unicode" (UTF-32 first:
# its little-endian mark begins with UTF-16's)
UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises UnreadableInput when no encoding fits."""
    for bom, enc in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise UnreadableInput(f"damaged {enc.upper()} text", path=path, hint="re-save the file as UTF-8") from None
    if looks_binary(data):
        raise UnreadableInput(
            "binary file, not a text export", path=path, hint="give a .txt export of the disclosure"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for enc in CANDIDATES:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(
        "text is neither UTF-8 nor GB18030/GBK", path=path, hint="re-save the file as UTF-8"
    )
