"""Is every stage linear in the size of the document? Doubling the input must about double the cost.

Usage: python -m benchmarks.linearity [--quick] [--check] [--profile] [--inputs disclosure,text,paragraph,xlsx,pdf]
       [--timeout 600] [--json FILE]

Inputs, each at five sizes that double four times:

  text       the examples concatenated (each copy under its own 第k部分 heading), cut at a line
             40 KB -> 640 KB (--quick: 10 KB -> 160 KB)
  paragraph  one single paragraph of claim sentences (distinct amounts), no line break
             10 K -> 160 K characters (--quick: 1,250 -> 20,000, under max_paragraph_chars)
  xlsx       a 科目 table (科目编码, 科目名称, 合计, 基本支出, 项目支出; sums that add up) written
             with openpyxl's write_only mode, 6,250 -> 100,000 rows (--quick: 1,250 -> 20,000)
  pdf        pages of a ruled 科目 table in the CID font STSong-Light (reportlab), 4 -> 64 pages
             (--quick: 2 -> 32)

Each size is measured in a fresh process (a warm-up document first loads the configuration;
gouji's bounded per-text caches are emptied before each stage but the checks, which reuse what
the tables and claims stages cached, as in a review) with ``time.process_time`` per stage: ``read`` (read_document), ``tables``
(build_tables), ``claims`` (extract_claims), ``checks`` (every registered check on a fresh
Context, as review_document runs them; ``check:<id>`` rows for the costly ones), ``review``
(review_document end to end), ``json`` (report_dict + dumps), ``html`` (to_html), ``text``
(to_text). The garbage collector runs between the stages, not in them (``--gc``: in them too;
its collections make single ratios jumpy). Prints the seconds per size, the cost ratio per
doubling and the fitted exponent (slope of log cost over log size: 1 linear, 2 quadratic); a
ratio above 2.2 where the smaller run took at least 50 ms is flagged (``--check``: exit 1 if
any is; ``--repeat N`` keeps the fastest of N runs per size, against noise). ``--profile``
profiles each flagged stage at its largest completed size and prints its top functions by
cumulative time (gouji's own) and by own time, as file:line.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
LIMIT = 2.2
MIN_SECONDS = 0.05
STAGES = ["read", "tables", "claims", "checks", "review", "json", "html", "text"]
CHECK_ROW_SECONDS = 0.05  # check:<id> rows are shown when the check takes this long at the largest size

SIZES = {  # input -> (normal, quick) base size; doubled four times
    "disclosure": (40_000, 10_000),
    "text": (40_000, 10_000),
    "paragraph": (10_000, 1_250),
    "xlsx": (6_250, 1_250),
    "pdf": (4, 2),
}
UNITS = {"disclosure": "chars", "text": "chars", "paragraph": "chars", "xlsx": "rows", "pdf": "pages"}


# --- inputs ------------------------------------------------------------------------------------


def make_text(chars: int, path: Path) -> Path:
    """The examples, cycled with a distinct section heading per copy, cut at a line ending."""
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    out, size, k = [], 0, 0
    while size < chars:
        part = f"# 第{k + 1}部分\n\n" + texts[k % len(texts)] + "\n"
        out.append(part)
        size += len(part)
        k += 1
    text = "".join(out)
    cut = text.rfind("\n", 0, chars)
    path.write_text(text[: cut + 1 if cut > 0 else chars], encoding="utf-8")
    return path


PARAGRAPH_SENTENCES = [
    "{y}年一般公共预算财政拨款支出{a}万元，较上年增加{b}万元，增长{p}%，主要原因是人员增加。",
    "其中：基本支出{a}万元，占{p}%；项目支出{b}万元，占{q}%。",
    "“三公”经费预算{a}万元，较上年减少{b}万元，下降{p}%，主要原因是厉行节约。",
    "机关运行经费{a}万元，比上年预算增加{b}万元。",
    "政府采购预算总额{a}万元，其中：货物{b}万元，服务{c}万元。",
    "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）{a}万元，主要用于缴纳养老保险。",
]


def make_paragraph(chars: int, path: Path) -> Path:
    rng = random.Random(chars)
    parts, size = ["2022年部门预算情况说明："], 0
    while size < chars:
        s = rng.choice(PARAGRAPH_SENTENCES).format(
            y=rng.choice([2021, 2022]), a=f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02}",
            b=f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02}", c=f"{rng.randint(1, 999)}.{rng.randint(0, 99):02}",
            p=f"{rng.randint(1, 99)}.{rng.randint(0, 9)}", q=f"{rng.randint(1, 99)}.{rng.randint(0, 9)}",
        )  # fmt: skip
        parts.append(s)
        size += len(s)
    path.write_text("".join(parts)[:chars] + "\n", encoding="utf-8")
    return path


NAMES = ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "行政运行", "一般行政管理事务", "事业运行", "其他支出"]


def subject_rows(n: int, seed: int = 0) -> list[tuple[str, str, int, int]]:
    """``n`` rows of a 科目 table (code, name, 基本支出 cents, 项目支出 cents), parents first,
    each 类 and 款 the sum of its children: 20 项 per 款, up to 99 款 per 类."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, int, int]] = []
    lei = 200
    while len(rows) < n:
        lei += 1
        if lei > 999:
            raise ValueError("too many rows")
        lei_at = len(rows)
        rows.append((str(lei), "", 0, 0))
        lb = lp = 0
        for kuan in range(1, 100):
            if len(rows) >= n:
                break
            kuan_at = len(rows)
            rows.append((f"{lei}{kuan:02}", "", 0, 0))
            kb = kp = 0
            for xiang in range(1, 21):
                if len(rows) >= n:
                    break
                b, p = rng.randint(0, 10**7), rng.randint(0, 10**6)
                rows.append((f"{lei}{kuan:02}{xiang:02}", rng.choice(NAMES), b, p))
                kb, kp = kb + b, kp + p
            rows[kuan_at] = (rows[kuan_at][0], rng.choice(NAMES), kb, kp)
            lb, lp = lb + kb, lp + kp
        rows[lei_at] = (rows[lei_at][0], rng.choice(NAMES), lb, lp)
    return rows[:n]


def _cents(c: int) -> str:
    return f"{c // 100}.{c % 100:02}"


def make_disclosure(chars: int, path: Path) -> Path:
    """One disclosure that grows as a larger department's does: a 支出总表 and a 基本支出表 with
    more 科目 rows, a sentence on each 项 of them in the prose (its amount and its change), and a
    项目绩效目标表 per project; totals and sums agree, every 科目 and project is distinct."""
    rng = random.Random(chars)
    n = max(8, chars // 120)  # about 120 characters per 科目 (table row, sentence, target table)
    rows = subject_rows(n)
    tops = [r for r in rows if len(r[0]) == 3]
    tb, tp = sum(r[2] for r in tops), sum(r[3] for r in tops)
    head = [
        "# 某某局2022年部门预算",
        "",
        "## 一、部门预算情况说明",
        "",
        f"2022年支出预算{_cents(tb + tp)}万元，其中：基本支出{_cents(tb)}万元，项目支出{_cents(tp)}万元。",
        "",
    ]
    prose = []
    for code, name, b, p in rows:
        if len(code) == 7:
            delta = rng.randint(1, 10**5)
            prose.append(f"{name}（{code}）{_cents(b + p)}万元，较上年增加{_cents(delta)}万元，主要原因是业务量增加。")
    table = ["", "支出总表", "", "单位：万元", "", "科目编码\t科目名称\t合计\t基本支出\t项目支出"]
    table.append(f"\t合计\t{_cents(tb + tp)}\t{_cents(tb)}\t{_cents(tp)}")
    table += [f"{c}\t{m}\t{_cents(b + p)}\t{_cents(b)}\t{_cents(p)}" for c, m, b, p in rows]
    targets = []
    for k, (code, _name, _b, p) in enumerate(r for r in rows if len(r[0]) == 7):
        targets += [
            "", f"项目绩效目标表{k + 1}", "", "单位：万元", "",
            "项目名称\t年度资金\t绩效目标",
            f"{code}专项业务经费\t{_cents(p)}\t完成年度工作任务",
        ]  # fmt: skip
    path.write_text("\n".join(head + ["\n\n".join(prose)] + table + targets) + "\n", encoding="utf-8")
    return path


def make_xlsx(n: int, path: Path) -> Path:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("支出表")
    rows = subject_rows(n)
    tops = [r for r in rows if len(r[0]) == 3]
    ws.append(["某某局2022年一般公共预算支出表"])
    ws.append(["单位：万元"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])

    def money(cents: int):
        c = WriteOnlyCell(ws, value=cents / 100)
        c.number_format = "0.00"
        return c

    tb, tp = sum(r[2] for r in tops), sum(r[3] for r in tops)
    ws.append(["", "合计", money(tb + tp), money(tb), money(tp)])
    for code, name, b, p in rows:
        ws.append([code, name, money(b + p), money(b), money(p)])
    wb.save(str(path))
    return path


def make_pdf(pages: int, path: Path) -> Path:
    """Ruled 科目 table pages (40 rows each) in STSong-Light, with a title and a unit line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    per_page = 40
    rows = subject_rows(pages * per_page)
    cols = [50, 120, 330, 410, 480, 550]
    c = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    for page in range(pages):
        top = height - 60
        c.setFont("STSong-Light", 14)
        if page == 0:
            c.drawString(150, top, "某某局2022年一般公共预算支出表")
            c.setFont("STSong-Light", 9)
            c.drawString(480, top - 20, "单位：万元")
        top -= 30
        body = [("科目编码", "科目名称", "合计", "基本支出", "项目支出")] + [
            (code, name, _cents(b + p), _cents(b), _cents(p)) for code, name, b, p in rows[page * per_page : (page + 1) * per_page]
        ]
        h = 17
        c.setFont("STSong-Light", 9)
        for k, cells in enumerate(body):
            y = top - k * h
            for x, text in zip(cols, cells, strict=False):
                c.drawString(x + 3, y - 12, text)
        bottom = top - len(body) * h
        for k in range(len(body) + 1):
            c.line(cols[0], top - k * h, cols[-1], top - k * h)
        for x in cols:
            c.line(x, top, x, bottom)
        c.setFont("STSong-Light", 9)
        c.drawCentredString(A4[0] / 2, 30, f"- {page + 1} -")
        c.showPage()
    c.save()
    return path


MAKERS = {"disclosure": (make_disclosure, ".txt"), "text": (make_text, ".txt"), "paragraph": (make_paragraph, ".txt"), "xlsx": (make_xlsx, ".xlsx"), "pdf": (make_pdf, ".pdf")}


# --- one measurement (child process) ------------------------------------------------------------


def _emit(**kw) -> None:
    print(json.dumps(kw, ensure_ascii=False), flush=True)


def _clear_text_caches() -> None:
    """Empty gouji's bounded per-text caches (lru_cache with a maxsize); configuration caches
    (functools.cache) stay loaded."""
    for name, mod in list(sys.modules.items()):
        if not name.startswith("gouji"):
            continue
        for obj in list(vars(mod).values()):
            params = getattr(obj, "cache_parameters", None)
            if params and params().get("maxsize") is not None:
                obj.cache_clear()


def child(path: str, profile_stage: str | None, top: int, keep_gc: bool) -> None:
    import pdfplumber  # noqa: F401

    import gouji.ingest.pdf  # noqa: F401  (imports outside the measured stages)
    import gouji.ingest.xlsx  # noqa: F401
    from gouji.alignment import checks as checks_mod
    from gouji.alignment.review import review_document
    from gouji.ingest import read_document
    from gouji.narrative.extract import extract_claims
    from gouji.report.html import to_html
    from gouji.report.json_report import dumps, report_dict
    from gouji.report.text_report import to_text
    from gouji.tables.build import build_tables

    warm = review_document(read_document(min(EXAMPLES, key=lambda p: p.stat().st_size)))
    to_html(warm), to_text(warm), dumps(report_dict(warm))
    _clear_text_caches()

    prof = cProfile.Profile() if profile_stage else None
    spent: dict[str, float] = {}

    def timed(stage: str, fn, cold: bool = True):
        if prof is None:
            _emit(begin=stage)
        if cold:  # as in a worker's first document; the checks reuse what tables and claims cached
            _clear_text_caches()
        if not keep_gc:
            if prof is None:
                gc.collect()
            gc.disable()
        t0 = time.process_time()
        result = prof.runcall(fn) if prof is not None and stage == profile_stage else fn()
        seconds = time.process_time() - t0
        gc.enable()
        spent[stage] = seconds
        if prof is None:
            _emit(stage=stage, seconds=seconds)
        return result

    doc = timed("read", lambda: read_document(path))
    tables = timed("tables", lambda: build_tables(doc))
    claims = timed("claims", lambda: extract_claims(doc))
    try:
        order = _check_order()
        ctx = checks_mod.Context(doc=doc, tables=tables, claims=claims, by_id=claims.by_id())
    except Exception as e:  # noqa: BLE001  (the review's internals changed: no per-check rows)
        _emit(stage="checks", error=f"{type(e).__name__}: {e}")
        order, ctx = [], None
    if ctx is not None:
        if profile_stage == "checks":
            prof.enable()
        for cid, run in order:
            timed(f"check:{cid}", lambda run=run: ctx.findings.extend(run(ctx)), cold=False)
        if profile_stage == "checks":
            prof.disable()
        if prof is None:  # the sum of the checks' own times (not the collections between them)
            _emit(stage="checks", seconds=sum(spent[f"check:{cid}"] for cid, _ in order))
    review = timed("review", lambda: review_document(doc))
    timed("json", lambda: dumps(report_dict(review)))
    timed("html", lambda: to_html(review))
    timed("text", lambda: to_text(review))
    if prof is not None:
        print_profile(prof, top)


def _check_order() -> list[tuple[str, object]]:
    """(id, function of the Context) of every check, in the order review_document runs them."""
    from gouji.alignment.registry import run_order

    return [(chk.id, chk.run) for chk in run_order()]


def _where(key) -> str:
    file, line, fn = key
    marker = "/src/gouji/"
    if marker in file:
        file = "gouji/" + file.split(marker, 1)[1]
    elif "site-packages/" in file:
        file = file.split("site-packages/", 1)[1]
    return f"{file}:{line} {fn}"


def print_profile(prof: cProfile.Profile, top: int) -> None:
    st = pstats.Stats(prof, stream=io.StringIO())
    total = max((v[3] for v in st.stats.values()), default=0.0)
    gouji = [(k, v) for k, v in st.stats.items() if "/src/gouji/" in k[0]]
    print(f"    total {total:.2f}s; top {top} gouji functions by cumulative time:")
    ranked = sorted(gouji, key=lambda kv: -kv[1][3])
    # the stage's entry point (called once, cumulative = the whole stage) says nothing
    ranked = [kv for kv in ranked if not (kv[1][1] == 1 and kv[1][3] >= 0.98 * total)] or ranked
    for k, (_cc, nc, tt, ct, _) in ranked[:top]:
        print(f"      {ct:8.2f}s cum {tt:7.2f}s own {nc:>9} calls  {_where(k)}")
    print(f"    top {top} functions by own time:")
    for k, (_cc, nc, tt, ct, _) in sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"      {tt:8.2f}s own {ct:7.2f}s cum {nc:>9} calls  {_where(k)}")


# --- driver -------------------------------------------------------------------------------------


def run_child(path: Path, timeout: float, profile_stage: str | None = None, top: int = 5, keep_gc: bool = False) -> tuple[dict, str, bool]:
    """Stage seconds of one measurement (the stages finished before a timeout), its output, timed out."""
    cmd = [sys.executable, "-m", "benchmarks.linearity", "--child", str(path), "--top", str(top)]
    if keep_gc:
        cmd.append("--gc")
    if profile_stage:
        cmd += ["--profile-stage", profile_stage]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        out, timed_out = p.stdout, False
        if p.returncode != 0:
            print(p.stderr[-2000:], file=sys.stderr)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        timed_out = True
    times: dict = {}
    running = None
    for line in out.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            if "begin" in d:
                running = d["begin"]
            elif "seconds" in d:
                times[d["stage"]] = d["seconds"]
                running = None
    if timed_out and running:  # the stage that was running: at least the rest of the time limit
        times[running] = None
        times["_running"] = (running, timeout - sum(v for k, v in times.items() if v and k != "checks" and not k.startswith("check:")))
    return times, out, timed_out


def _slope(sizes: list[int], ts: list) -> float | None:
    """The exponent k of cost ~ size**k, fitted (least squares, log-log) over the sizes at
    which the stage took at least MIN_SECONDS: about 1 when linear, 2 when quadratic."""
    pts = [(math.log(n), math.log(t)) for n, t in zip(sizes, ts, strict=True) if t is not None and t >= MIN_SECONDS]
    if len(pts) < 2:
        return None
    mx, my = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--check", action="store_true", help="exit 1 when a ratio is above 2.2")
    ap.add_argument("--profile", action="store_true", help="profile the flagged stages")
    ap.add_argument("--inputs", default="disclosure,text,paragraph,xlsx,pdf")
    ap.add_argument("--doublings", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=600, help="seconds for one size of one input")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--json", help="write the measurements to this file")
    ap.add_argument("--repeat", type=int, default=1, help="measure each size this many times, keep the fastest")
    ap.add_argument("--gc", action="store_true", help="leave the garbage collector on during the stages (noisier)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--profile-stage", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.profile_stage, args.top, args.gc)
        return 0

    results: dict = {}
    flagged: list[tuple[str, str, int, float]] = []  # input, stage, size index, ratio
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.inputs.split(","):
            make, suffix = MAKERS[name]
            base = SIZES[name][1 if args.quick else 0]
            sizes = [base * 2**k for k in range(args.doublings + 1)]
            runs, paths = [], []
            t_make = time.perf_counter()
            for n in sizes:
                paths.append(make(n, Path(tmp) / f"{name}-{n}{suffix}"))
            print(f"\n{name}: {', '.join(f'{n:,}' for n in sizes)} {UNITS[name]} "
                  f"({', '.join(f'{p.stat().st_size / 1e3:,.0f} KB' for p in paths)}; written in {time.perf_counter() - t_make:.0f}s)", flush=True)  # fmt: skip
            stopped = False
            for path in paths:
                if stopped:
                    runs.append(({}, True))
                    continue
                times, _, timed_out = run_child(path, args.timeout, keep_gc=args.gc)
                for _ in range(args.repeat - 1):
                    if timed_out:
                        break
                    again, _, _ = run_child(path, args.timeout, keep_gc=args.gc)
                    times = {k: min(v, again.get(k, v)) if isinstance(v, float) else v for k, v in times.items()}
                runs.append((times, timed_out))
                stopped = timed_out  # the next size would time out too
            stages = list(STAGES) + sorted(
                {s for t, _ in runs for s in t if s.startswith("check:") and (t[s] is None or t[s] >= CHECK_ROW_SECONDS)}
            )
            results[name] = {"sizes": sizes, "unit": UNITS[name], "stages": {}}
            header = f"  {'stage':34}" + "".join(f"{n:>10,}" for n in sizes) + "   ratios per doubling         slope"
            print(header)
            for stage in stages:
                ts = [t.get(stage) for t, _ in runs]
                if all(x is None for x in ts):
                    continue
                cells = "".join(
                    f"{x:10.3f}" if x is not None else f"{'>' + format(runs[k][0]['_running'][1], '.0f') if runs[k][0].get('_running', ('',))[0] == stage else ('timeout' if runs[k][1] else '-'):>10}"
                    for k, x in enumerate(ts)
                )
                ratios: list = []
                marks = []
                for k in range(len(ts) - 1):
                    a, b = ts[k], ts[k + 1]
                    if a is None:
                        ratios.append(None)
                        continue
                    running = runs[k + 1][0].get("_running")
                    if b is None and running and running[0] == stage:  # timed out in this stage
                        r = running[1] / max(a, 1e-9)
                        ratios.append(r)
                        if a >= MIN_SECONDS and r > LIMIT:
                            marks.append(k)
                            flagged.append((name, stage, k, r))
                        continue
                    if b is None:
                        ratios.append(None)
                        continue
                    r = b / a if a > 0 else float("inf")
                    ratios.append(r)
                    if a >= MIN_SECONDS and r > LIMIT:
                        marks.append(k)
                        flagged.append((name, stage, k, r))
                rtext = " ".join(
                    ("    -" if r is None else f"{r:5.2f}") + ("!" if k in marks else " ") for k, r in enumerate(ratios)
                )
                slope = _slope(sizes, ts)
                stext = f"{slope:5.2f}" if slope is not None else "    -"
                print(f"  {stage:34}{cells}   {rtext}  {stext}", flush=True)
                results[name]["stages"][stage] = {"seconds": ts, "ratios": ratios, "slope": slope}
            if args.profile:
                for stage in dict.fromkeys(s for n_, s, _, _ in flagged if n_ == name):
                    done = [k for k, (t, _) in enumerate(runs) if t.get(stage) is not None]
                    if not done:
                        continue
                    k = done[-1]
                    print(f"\n  profile of {name} / {stage} at {sizes[k]:,} {UNITS[name]}:")
                    _, out, _ = run_child(paths[k], args.timeout * 3, profile_stage=stage, top=args.top)
                    print("\n".join(line for line in out.splitlines() if not line.startswith("{")), flush=True)
                    results[name]["stages"][stage]["profile"] = out
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{len(flagged)} ratio(s) above {LIMIT} (where the smaller run took >= {MIN_SECONDS * 1000:.0f} ms)")
    for name, stage, k, r in flagged:
        print(f"  {name:10} {stage:34} x{r:.2f} from {results[name]['sizes'][k]:,} to {results[name]['sizes'][k + 1]:,} {UNITS[name]}")
    return 1 if args.check and flagged else 0


if __name__ == "__main__":
    sys.exit(main())
