"""Command line: ``gouji check`` and ``gouji checks``. Thin: the work is in the packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gouji import __version__
from gouji.errors import GoujiError, NoDocuments

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every input error
        print(f"gouji: error: {message} (see 'gouji --help')", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gouji", description="Check a budget disclosure: prose claims against tables.")
    p.add_argument("--version", action="version", version=f"gouji {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="check documents and print their findings")
    c.add_argument("paths", nargs="+", metavar="PATH", help="document files or folders")
    c.add_argument("--format", choices=["text", "json", "html"], default="text")
    c.add_argument("--min-severity", choices=["error", "warning", "info"], default="info")
    c.add_argument(
        "--out", help="write the report to this file instead of standard output (html, several documents: a folder)"
    )
    sub.add_parser("checks", help="list the check catalogue")
    cl = sub.add_parser("claims", help="print the monetary claims of documents as a table")
    cl.add_argument("paths", nargs="+", metavar="PATH", help="document files or folders")
    cl.add_argument("--format", choices=["text", "json"], default="text")
    return p


def _expand(paths: list[str]) -> list[Path]:
    from gouji.errors import InputNotFound
    from gouji.ingest import is_document_file

    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputNotFound("no such file or directory", path=raw, hint="check the path")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if is_document_file(f))
            if not found:
                raise NoDocuments("folder holds no documents (.txt)", path=raw, hint="point at a folder of text exports")
            files.extend(found)
        else:
            files.append(p)
    return files


def _check(args: argparse.Namespace) -> int:
    import json

    from gouji.alignment.review import review_document
    from gouji.ingest import read_document
    from gouji.report.json_report import report_dict
    from gouji.report.text_report import to_text

    files = _expand(args.paths)
    if args.format == "html" and len(files) > 1 and not args.out:
        print("gouji: error: --format html with several documents needs --out FOLDER (see 'gouji --help')", file=sys.stderr)
        return EXIT_USAGE
    reviews = []
    for f in files:
        reviews.append(review_document(read_document(f)))
    if args.format == "html":
        _write_html(reviews, args.out, args.min_severity)
        return _exit_code(reviews)
    if args.format == "json":
        from gouji.alignment.registry import severity_rank

        dicts = []
        for r in reviews:
            d = report_dict(r)
            d["findings"] = [x for x in d["findings"] if severity_rank(x["severity"]) <= severity_rank(args.min_severity)]
            dicts.append(d)
        out = json.dumps(dicts[0] if len(dicts) == 1 else dicts, ensure_ascii=False, indent=2)
    else:
        out = "\n\n".join(to_text(r, args.min_severity) for r in reviews)
    if args.out:
        tmp = Path(args.out + ".tmp")
        tmp.write_text(out + "\n", encoding="utf-8")
        tmp.replace(args.out)
    else:
        sys.stdout.write(out + "\n")
    return _exit_code(reviews)


def _exit_code(reviews: list) -> int:
    has_error = any(f.severity == "error" for r in reviews for f in r.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _write_html(reviews: list, out: str | None, min_severity: str) -> None:
    """One self-contained page per document: to --out (a folder when there are several)."""
    from gouji.report.html import to_html

    if len(reviews) == 1 and not (out and Path(out).is_dir()):
        page = to_html(reviews[0], min_severity)
        if out:
            _atomic_write(Path(out), page)
        else:
            sys.stdout.write(page)
        return
    folder = Path(out or ".")
    folder.mkdir(parents=True, exist_ok=True)
    for r in reviews:
        _atomic_write(folder / (Path(r.document.path).stem + ".html"), to_html(r, min_severity))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _checks() -> int:
    from gouji.alignment.registry import catalogue

    for spec in catalogue().values():
        print(f"{spec.id:30} {spec.severity:8} {spec.description}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "claims":
            from gouji.narrative.serialize import claims_command

            return claims_command(_expand(args.paths), args.format)
        return _checks()
    except GoujiError as e:
        print(e.one_line(), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gouji: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
