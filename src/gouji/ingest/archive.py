"""Zip-based formats (.docx, .xlsx) checked before they are inflated: a zip bomb is refused by
the sizes its directory declares (Python's zipfile never inflates a member past them)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gouji.errors import InputTooLarge, UnreadableInput
from gouji.limits import limits

MIB = 1 << 20
# below this size a member's ratio is not looked at: small XML parts compress very well
RATIO_FLOOR = 16 * MIB


def check_archive(path: str | Path, kind: str) -> None:
    """Raise ``InputTooLarge`` (G007) when the archive inflates past the declared limits."""
    p = str(path)
    lim = limits()
    try:
        with zipfile.ZipFile(p) as z:
            infos = z.infolist()
    except Exception as e:  # a damaged zip raises many kinds (BadZipFile, NotImplementedError for "zip file version 25.5", …)
        raise UnreadableInput(f"not a readable {kind} ({type(e).__name__})", path=p, hint=f"re-save it as {kind}") from None
    total = sum(i.file_size for i in infos)
    if total > lim.max_zip_uncompressed_mib * MIB:
        raise InputTooLarge(
            f"{kind} inflates to {total / MIB:,.0f} MiB, over the limit of {lim.max_zip_uncompressed_mib} MiB",
            path=p,
            hint="a disclosure is far smaller: check the file, or raise max_zip_uncompressed_mib in limits.yaml",
        )
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > lim.max_zip_ratio * max(i.compress_size, 1):
            raise InputTooLarge(
                f"{kind} member {i.filename} inflates {i.file_size // max(i.compress_size, 1):,} times, "
                f"over the limit of {lim.max_zip_ratio}",
                path=p,
                hint="the file looks like a zip bomb: check where it came from",
            )
