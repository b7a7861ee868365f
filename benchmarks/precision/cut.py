"""Cut a fixture for the precision guard from pages of a corpus PDF.

Usage:
    python -m benchmarks.precision.cut FILE PAGE [PAGE ...] --out tests/data/precision/NAME.txt
    python -m benchmarks.precision.cut FILE PAGE [PAGE ...] --out tests/data/precision/NAME.pdf

``.txt``: the reader's text export of those pages (headings, one line per paragraph, tab-joined
table rows), for classes of false alarm that are not about reading the PDF; trim it to the
lines the class needs. ``.pdf``: the pages themselves (PDFium copies them with their fonts),
for classes that are. Pages are the PDF's, 1-based, in the order given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.precision.corpus import CORPUS


def cut_text(path: Path, pages: list[int]) -> str:
    from gouji.ingest.pdf import pages_to_export, read_pages

    by_number = {p.number: p for p in read_pages(path)}
    export = pages_to_export([by_number[n] for n in pages])
    return "\n".join(export.lines) + "\n"


def cut_pdf(path: Path, pages: list[int], out: Path) -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(path))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [p - 1 for p in pages])
    new.save(str(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.precision.cut", description=__doc__.split("\n")[0])
    ap.add_argument("file", help="a corpus file name (or a path)")
    ap.add_argument("pages", type=int, nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    path = Path(args.file) if Path(args.file).is_file() else CORPUS / args.file
    if args.out.suffix == ".pdf":
        cut_pdf(path, args.pages, args.out)
    else:
        args.out.write_text(cut_text(path, args.pages), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
