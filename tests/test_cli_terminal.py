"""What a reviewer sees at a terminal: ``gouji check`` one block per problem, wrapped to the
terminal's width (COLUMNS) by display width; the ``checks`` and ``claims`` tables; the end of
``gouji review``; a mistyped command. Run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest

from tests.conftest import EXAMPLES, ROOT

HANDAN = "examples/2022_邯郸市医疗保障局_部门预算.txt"
QINGSHAN = "examples/2022_青山区医疗保障局_部门预算.txt"
YULIN = "examples/2022_榆林市横山区医疗保障局_部门预算.txt"


def gouji(*args: str, columns: int | None = 80, cwd=ROOT, **env: str) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns is not None:
        e["COLUMNS"] = str(columns)
    e.update(env)
    return subprocess.run([sys.executable, "-m", "gouji", *args], capture_output=True, text=True, cwd=cwd, env=e, timeout=300)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_handan_is_one_problem_of_two_findings():
    p = gouji("check", HANDAN)
    assert p.returncode == 1, p.stderr
    assert p.stdout.splitlines() == [
        "examples/2022_邯郸市医疗保障局_部门预算.txt",
        "  邯郸市医疗保障局 · 2022年 · 预算 · 报表 10 张 · 金额陈述 21 条",
        "  P1 【错误】增减方向错误 · 第394行（含 2 条发现：F1 F2）",
        "      增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少",
        "      3176.66万元”。",
        "  共 1 个问题（2 条发现）：1 个错误，0 个警告，0 个提示",
    ]


def test_lines_wrap_to_the_terminal_width_with_a_hanging_indent():
    p = gouji("check", HANDAN, columns=40)
    assert p.stdout.splitlines() == [
        "examples/2022_邯郸市医疗保障局_部门预",
        "      算.txt",
        "  邯郸市医疗保障局 · 2022年 · 预算 · 报",
        "      表 10 张 · 金额陈述 21 条",
        "  P1 【错误】增减方向错误 · 第394行（含",
        "      2 条发现：F1 F2）",
        "      增减方向错误：5873.35 − 2696.69 =",
        "      +3176.66，应为增加，文字却写“减少",
        "      3176.66万元”。",
        "  共 1 个问题（2 条发现）：1 个错误，",
        "      0 个警告，0 个提示",
    ]
    for columns in (40, 80, 132):
        p = gouji("check", str(EXAMPLES), "--min-severity", "info", columns=columns)
        lines = p.stdout.splitlines()
        assert max(width(x) for x in lines) <= columns, columns
        assert max(width(x) for x in lines) >= columns - 8, columns  # the width is used
        assert not any(re.match(r"\s*[，。、；：）》”]", x) for x in lines)  # no line starts with closing punctuation


def test_not_a_terminal_is_80_columns():
    p = gouji("check", YULIN, columns=None)  # COLUMNS unset, standard output a pipe
    lines = p.stdout.splitlines()
    assert 76 <= max(width(x) for x in lines) <= 80


def test_rounding_hints_are_left_out_by_default():
    p = gouji("check", QINGSHAN)
    lines = p.stdout.splitlines()
    heads = [x for x in lines if x.startswith("  P")]
    assert heads == [
        "  P6 【错误】表间数额不一致 · 第236行",
        "  P8 【错误】金额单位错误 · 第505行",
        "  P7 【警告】空表未说明理由 · 第303行",
        "  P9 【警告】模板内容残留 · 第509行",
    ]  # worst first, then in document order; ids are the JSON report's
    assert lines[-2:] == [
        "  共 9 个问题（13 条发现）：2 个错误，2 个警告，5 个提示",
        "  另有 5 条舍入提示（--min-severity info 显示）",
    ]
    p = gouji("check", QINGSHAN, "--min-severity", "info")
    lines = p.stdout.splitlines()
    assert [x.split()[0] for x in lines if x.startswith("  P")] == ["P6", "P8", "P7", "P9", "P1", "P2", "P3", "P4", "P5"]
    assert "  P3 【提示】科目层级不平 · 第180行（含 3 条发现：F8 F9 F10）" in lines
    assert lines[-1] == "  共 9 个问题（13 条发现）：2 个错误，2 个警告，5 个提示"
    p = gouji("check", QINGSHAN, "--min-severity", "error", columns=200)
    assert p.stdout.splitlines()[-1] == "  另有 2 个警告（--min-severity warning 显示），5 条舍入提示（--min-severity info 显示）"


def test_other_hints_and_downgraded_warnings_are_counted_as_problems():
    p = gouji("check", YULIN, columns=200)
    assert p.stdout.splitlines()[-2:] == [
        "  共 17 个问题（17 条发现）：7 个错误，6 个警告（其中 2 个原为错误，因依据未能确认而降级），4 个提示",
        "  另有 4 条提示（--min-severity info 显示）",  # reasoned empty tables, not rounding
    ]


def test_json_keeps_every_finding_by_default_and_html_opens_on_warnings(tmp_path):
    p = gouji("check", QINGSHAN, "--format", "json")
    assert [f["severity"] for f in json.loads(p.stdout)["findings"]].count("info") == 9
    checked = r'class="f-sev" value="(\w+)" checked'
    assert gouji("check", QINGSHAN, "--format", "html", "--out", str(tmp_path / "a.html")).returncode == 1
    assert re.findall(checked, (tmp_path / "a.html").read_text(encoding="utf-8")) == ["error", "warning"]
    gouji("check", QINGSHAN, "--format", "html", "--min-severity", "info", "--out", str(tmp_path / "b.html"))
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert re.findall(checked, page) == ["error", "warning", "info"]
    assert page.count('class="f-sev"') == 3


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["chek", "x.txt"], "gouji: error: 'chek' is not a gouji command; did you mean 'check' or 'checks'? "
         "(commands: check, review, checks, models, claims; see 'gouji --help')"),
        (["reveiw"], "gouji: error: 'reveiw' is not a gouji command; did you mean 'review'? "
         "(commands: check, review, checks, models, claims; see 'gouji --help')"),
        (["zzz"], "gouji: error: 'zzz' is not a gouji command (commands: check, review, checks, models, claims; see 'gouji --help')"),
        (["models", "bild"], "gouji: error: 'bild' is not a gouji models command; did you mean 'build'? "
         "(commands: build, info; see 'gouji models --help')"),
        (["check", "x.txt", "--format", "jsn"], "gouji: error: argument --format: invalid choice: 'jsn'; did you mean 'json'? "
         "(choose from text, json, html, pdf) (see 'gouji --help')"),
    ],
)  # fmt: skip
def test_a_mistyped_command_gets_did_you_mean(args, line):
    p = gouji(*args)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.splitlines() == [line]


def _column_starts(line: str, cells: list[str]) -> list[int]:
    """Display columns where each of ``cells`` begins in ``line``."""
    out, at = [], 0
    for c in cells:
        i = line.index(c, at)
        out.append(width(line[:i]))
        at = i + len(c)
    return out


def test_checks_table_aligns_the_chinese_names():
    from gouji.alignment.registry import catalogue

    p = gouji("checks", columns=400)
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["id", "severity", "名称", "说明"]
    specs = list(catalogue().values())
    assert len(lines) == len(specs) + 1  # one line each at 400 columns
    starts = {tuple(_column_starts(line, [s.id, s.severity, s.name, s.description[:6]])) for line, s in zip(lines[1:], specs, strict=True)}
    assert len(starts) == 1, starts
    assert _column_starts(lines[0], ["id", "severity", "名称", "说明"]) == list(starts.pop())
    assert "narrative.direction                error     增减方向错误" in p.stdout
    p = gouji("checks", columns=80)  # too narrow beside the columns: the description under them
    lines = p.stdout.splitlines()
    assert max(width(x) for x in lines) <= 80
    i = lines.index("narrative.direction                error     增减方向错误")
    assert lines[i + 1] == "    增减方向与数字相反：所述“增加/减少”与本年数和上年数（或所述百分比）推出的方"


def _at(line: str, column: int) -> int | None:
    """Index of the character of ``line`` that begins at display ``column`` (None: none does)."""
    w = 0
    for i, ch in enumerate(line):
        if w == column:
            return i
        w += width(ch)
    return None


def test_claims_table_aligns_by_display_width():
    p = gouji("claims", HANDAN)
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    header = lines[1]
    columns = {name: width(header[: header.index(name)]) for name in ("line", "subject", "amount", "year")}
    rows = [x for x in lines[2:] if re.match(r"C\d+ ", x)]
    assert len(rows) == 21
    for row in rows:  # every claim has these cells: each begins where its header does
        for name, column in columns.items():
            i = _at(row, column)
            assert i is not None and row[i] != " " and row[i - 1] == " ", (name, row)
    c11 = next(x for x in rows if x.startswith("C11 "))
    assert c11.endswith("今年部门预算增加了新冠病毒疫苗及接种财政补助资… [增]")  # cut by width, marked


def test_review_names_failed_files_and_the_dashboard(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt", docs / "handan.txt")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    p = gouji("review", str(docs), "--out", str(out), "--jobs", "1", "--progress", LINES="24")
    assert p.returncode == 3, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("gouji review: 2 of 2 documents (1 ok, 1 failed, 0 up to date), 2 findings (2 errors) in ")
    assert lines[1:] == [
        f"dashboard: {out / 'index.html'} (summary.xlsx, checklist.xlsx, documents.csv and reports/ beside it)",
        f"failed: {docs / 'empty.txt'}: error G003: file is empty (give the exported text of a disclosure)",
    ]
    assert (out / "index.html").is_file()
    # the progress bar (tqdm reads COLUMNS and LINES when standard error is not a terminal): its
    # counts come first, so that the last state is readable whole at 80 columns
    states = [x for x in re.split(r"[\r\n]", p.stderr) if x.strip()]
    assert states and all(width(x) <= 80 for x in states), states
    assert states[-1].startswith("gouji review 2/2, findings 2, errors 2, failed 1 |"), states[-1]


def test_wrap_keeps_numbers_units_and_punctuation_together():
    from gouji.report.text_report import display_width, wrap

    text = "差 -111.84 万元；第394行的[21011]行政事业单位医疗“减少3176.66万元”。"
    for w in range(20, 60):
        lines = wrap(text, w, "  ", "    ")
        assert all(display_width(x) <= w for x in lines)
        assert lines[0].startswith("  差") and all(x.startswith("    ") for x in lines[1:])
        assert "".join(x.strip() for x in lines).replace(" ", "") == text.replace(" ", "")
        assert not any(x.lstrip().startswith(("；", "。", "”", "万", "元", "行")) for x in lines[1:]), lines
        assert any("3176.66万元”。" in x for x in lines) and any("-111.84 万元；" in x for x in lines)
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # longer than a line: cut
    assert wrap("一二三\n\t四五", 80) == ["一二三 四五"]
    assert display_width("5.56 元\u200b") == 7 and display_width("é") == 1
