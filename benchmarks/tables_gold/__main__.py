"""Tables as gouji builds them against their hand transcriptions (``tests/data/tables_gold/``).

Usage: python -m benchmarks.tables_gold [--gold DIR] [--corpus DIR] [--pdf-reader NAME]
       [--only TEXT] [--json FILE] [--show N] [--check]

Each gold file is one printed table transcribed from its page image (see the directory's
README). The built table scored against it is the one, among those on the gold pages, that gets
most of its cells right. Printed per table and overall: cells right (all, and those not blank),
rows found / expected (and built rows that are none of them), header paths right, title and unit.
Printed rows without any text are counted apart and not scored (see ``score``).
``--check`` exits 1 below the targets: 99.5 % of cells, every row, every header path.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.precision.corpus import CORPUS, sha256  # noqa: E402
from benchmarks.tables_gold.score import Score, score  # noqa: E402
from gouji.errors import GoujiError  # noqa: E402
from gouji.ingest import read_document  # noqa: E402
from gouji.tables.build import build_tables  # noqa: E402

GOLD = ROOT / "tests" / "data" / "tables_gold"
CELL_TARGET = 0.995


def load_gold(directory: Path) -> list[tuple[Path, dict]]:
    """Every gold file of ``directory`` with its content, in name order."""
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(directory.glob("*.yaml"))]


def table_pages(table) -> set[int]:
    pages = {r.location.page for r in table.rows if r.location.page is not None}
    if table.location.page is not None:
        pages.add(table.location.page)
    return pages


def best_match(gold: dict, tables: list) -> tuple[object | None, Score | None]:
    """The built table on the gold pages scoring most right cells (ties: most rows found)."""
    pages = set(gold["pages"])
    best: tuple[object | None, Score | None] = (None, None)
    for table in tables:
        if not table.rows or not table_pages(table) & pages:
            continue
        s = score(gold, table)
        if best[1] is None or (s.cells_right, s.rows_found) > (best[1].cells_right, best[1].rows_found):
            best = (table, s)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--pdf-reader", default=None)
    ap.add_argument("--only", default=None, help="gold files whose name contains this")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--show", type=int, default=3, help="wrong cells shown per table")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)

    golds = [(p, g) for p, g in load_gold(args.gold) if not args.only or args.only in p.name]
    if not golds:
        print(f"no gold tables in {args.gold}")
        return 1
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}: nothing scored")
        return 0
    tables_of: dict[str, list | str] = {}
    results = []
    for path, gold in golds:
        pdf = args.corpus / gold["file"]
        row: dict = {"gold": path.name, "file": gold["file"], "pages": gold["pages"], "layout": gold.get("layout")}
        if not pdf.is_file():
            row["error"] = "file not in the corpus"
        elif gold["file"] not in tables_of and sha256(pdf) != gold["sha256"]:
            row["error"] = "file differs from the one transcribed (sha256)"
        else:
            if gold["file"] not in tables_of:
                try:
                    tables_of[gold["file"]] = build_tables(read_document(pdf, args.pdf_reader))
                except GoujiError as e:
                    tables_of[gold["file"]] = e.one_line()
            tables = tables_of[gold["file"]]
            if isinstance(tables, str):
                row["error"] = tables
            else:
                table, s = best_match(gold, tables)
                if s is None:
                    row["error"] = "no table built on these pages"
                    rows = [r for r in gold["rows"] if any(c.strip() for c in r)]
                    s = Score(
                        rows_expected=len(rows), rows_found=0, rows_extra=0,
                        cells=len(rows) * len(gold["columns"]), cells_right=0,
                        filled=sum(1 for r in rows for c in r if c.strip()), filled_right=0,
                        columns=len(gold["columns"]), paths_right=0, title_right=False, unit_right=False,
                        rows_blank=len(gold["rows"]) - len(rows),
                    )
                row["table"] = table.id if table is not None else None
                row["score"] = s
        results.append(row)

    total = {k: 0 for k in ("cells", "cells_right", "filled", "filled_right", "rows_expected",
                            "rows_found", "rows_extra", "rows_blank", "columns", "paths_right")}
    titles = units = perfect = scored = 0
    for row in results:
        s = row.get("score")
        head = f"{row['gold']:<44} p{','.join(map(str, row['pages'])):<7}"
        if s is None:
            print(f"{head} {row['error']}")
            continue
        scored += 1
        for k in total:
            total[k] += getattr(s, k)
        titles += s.title_right
        units += s.unit_right
        perfect += s.perfect
        print(
            f"{head} cells {s.cells_right}/{s.cells} ({100 * s.cells_right / max(s.cells, 1):5.1f} %)"
            f"  filled {s.filled_right}/{s.filled}  rows {s.rows_found}/{s.rows_expected}"
            f"{f' +{s.rows_extra}' if s.rows_extra else ''}  paths {s.paths_right}/{s.columns}"
            f"{'' if s.title_right else '  title ✗'}{'' if s.unit_right else '  unit ✗'}"
        )
        for gi, gc, want, got in s.wrong[: args.show]:
            print(f"      row {gi + 1} col {gc + 1}: gold {want!r} built {got!r}")
        if s.rows_missed[: args.show]:
            print(f"      rows missed: {', '.join(str(i + 1) for i in s.rows_missed[: args.show])}"
                  f"{' …' if len(s.rows_missed) > args.show else ''}")
        for gc, want, got in s.paths_wrong[: args.show]:
            print(f"      column {gc + 1}: gold path {want!r} built {got!r}")

    cell_share = total["cells_right"] / max(total["cells"], 1)
    print()
    print(f"tables scored {scored} of {len(results)}; every cell, row and path right: {perfect}")
    print(f"cells right      {total['cells_right']}/{total['cells']} ({100 * cell_share:.2f} %)")
    print(f"filled cells     {total['filled_right']}/{total['filled']} "
          f"({100 * total['filled_right'] / max(total['filled'], 1):.2f} %)")
    print(f"rows found       {total['rows_found']}/{total['rows_expected']} (built rows paired with none: {total['rows_extra']};"
          f" printed rows without text, not scored: {total['rows_blank']})")
    print(f"header paths     {total['paths_right']}/{total['columns']}")
    print(f"titles right     {titles}/{scored}   units right {units}/{scored}")
    if args.json:
        out = [{**{k: v for k, v in r.items() if k != "score"},
                **({"score": asdict(r["score"])} if r.get("score") else {})} for r in results]
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.check:
        met = (cell_share >= CELL_TARGET and total["rows_found"] == total["rows_expected"]
               and total["paths_right"] == total["columns"] and scored == len(results))
        print("targets met" if met else "targets not met")
        return 0 if met else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
