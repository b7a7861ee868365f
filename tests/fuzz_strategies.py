"""Generators of hostile budget disclosures in the text export format, for fuzzing.

One grammar, two drivers: every generator below takes a ``Chooser`` (``integer``, ``choice``,
``coin``, ``noise``) and builds text from the budget vocabulary, 科目 codes, numbers of every
shape, units and hostile characters. ``tests/test_fuzz.py`` drives it with Hypothesis (the
``documents()`` strategies, which shrink towards a small, plain document); ``benchmarks/fuzz.py``
drives it with ``random.Random`` for long runs without shrinking. The vocabulary lists and the
pipeline runners (``run_text``, ``run_path``) are shared by both.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# --- vocabulary --------------------------------------------------------------------------

SUBJECTS = [
    "收入", "支出", "收入合计", "支出合计", "收入总计", "支出总计", "本年收入", "本年支出", "一般公共预算",
    "一般公共预算财政拨款", "一般公共预算拨款收入", "财政拨款", "财政拨款收入", "财政拨款支出", "基本支出", "项目支出",
    "人员经费", "公用经费", '"三公"经费', "“三公”经费", "‘三公’经费", "因公出国（境）费", "公务用车购置及运行费",
    "公务用车购置费", "公务用车运行费", "公务接待费", "机关运行经费", "政府采购", "政府采购预算", "政府性基金预算",
    "国有资本经营预算", "上年结转", "年终结转", "事业收入", "其他收入", "工资福利支出", "商品和服务支出",
    "对个人和家庭的补助", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "一般公共服务支出", "医疗保障管理事务",
    "行政运行", "行政单位医疗", "住房公积金", "部门预算", "预算收支", "单位资金", "财政专户管理资金",
]  # fmt: skip
COMPARE = ["较上年", "比上年", "较2021年", "比2021年预算", "与上年相比", "同比", "较上年预算", "较", "比", "比去年"]
DIRECTIONS = ["增加", "减少", "增长", "下降", "持平", "上升", "降低", "增加了", "减少了", "多", "少", "减", "增", "不变"]
CUES = [
    "预算", "安排", "为", "共计", "合计", "总计", "其中", "其中：", "占", "占比", "主要原因", "主要原因是", "主要用于", "包括",
    "分别为", "约", "近", "超过", "不足", "左右", "以上", "下同", "预算数", "决算数", "年初预算", "全年", "拨款", "用于",
]  # fmt: skip
REASONS = [
    "主要原因是人员增加", "主要原因是项目减少", "主要是厉行节约", "原因为新增疫苗接种补助资金", "主要原因：",
    "主要原因是", "因机构改革", "由于退休人员增加", "无变化",
]  # fmt: skip
HEADINGS = [
    "一、收支预算总体情况", "二、收入预算情况", "三、支出预算情况", "四、财政拨款收支预算总体情况", "五、一般公共预算支出情况",
    "六、“三公”经费预算情况", "七、政府采购情况", "八、机关运行经费", "九、国有资产占用情况", "十、预算绩效管理情况",
    "部门预算公开", "目录", "第一部分 部门概况", "第二部分 2022年部门预算表", "第三部分 2022年部门预算情况说明",
    "（一）基本支出", "（二）项目支出", "1.工资福利支出", "表1", "附件", "名词解释", "某某市医疗保障局2022年部门预算",
]  # fmt: skip
TABLE_TITLES = [
    "2022年预算收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "一般公共预算基本支出表",
    "“三公”经费支出表", "政府性基金预算支出表", "国有资本经营预算支出表", "政府采购预算表", "项目支出表",
    "部门预算项目绩效目标表", "部门收支总表", "表1 收支总表", "附表3", "目录",
]  # fmt: skip
UNIT_LINES = ["单位：万元", "单位：元", "单位: 千元", "金额单位：亿元", "单位：万元、人", "单位：", "单位：万元 单位：元", "单位：人"]
HEADERS = [
    "项目", "科目编码", "功能科目编码", "功能科目名称", "经济科目编码", "经济科目名称", "科目名称", "合计", "本年收入合计",
    "本年支出合计", "一般公共预算", "政府性基金", "基本支出", "项目支出", "人员经费", "公用经费", "2022年", "2022年合计",
    "上年预算数", "预算数", "本年预算", "增减", "增长率", "增减%", "栏次", "金额", "支出", "收入", "当年预算安排",
    "上年结转安排", "单位名称", "序号", "备注", "是否空表", "数量", "<b>合计</b>", "",
]  # fmt: skip
ROW_NAMES = [
    "合计", "总计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "其中：", "其中", "一、一般公共预算",
    "二、政府性基金预算", "三、国有资本经营预算", "上年结转", "年终结转", "[208]社会保障和就业支出", "[20805]行政事业单位养老支出",
    "行政运行", "住房公积金", "机关事业单位基本养老保险缴费支出", "因公出国（境）费", "公务接待费", "公务用车购置及运行费",
    "  其中：公务用车运行费", "<b>合计</b>", "工资福利支出", "基本工资", "办公费", "差旅费", "“三公”经费", "机关运行经费",
    "栏次", "1", "表1", "收支总表",
]  # fmt: skip
CODES = [
    "201", "20101", "2010101", "208", "20805", "2080505", "210", "21011", "2101101", "221", "22102", "2210201",
    "301", "30101", "30102", "302", "30201", "303", "310", "2299999", "<b>208</b>", "[201]", "201 01 01", "201.01",
    "0", "999", "99999999", "20101 01", "类", "款", "项",
]  # fmt: skip
UNITS = ["元", "万元", "千元", "亿元", "万", "亿", "百万元", "", "", "%", "％", "个百分点", "人", "辆", "次", "万 元", "元元"]
YEARS = ["2022年", "2021年", "2023年", "上年", "本年", "去年", "0年", "99999年", "２０２２年", ""]
PUNCT = ["。", "，", "；", "：", "、", "！", "？", "…", "”", "“", "（", "）", "(", ")", "《", "》", ".", ",", ";", ""]
END_PUNCT = ["。", "。", "；", "", "，", "：", "！", "。。", "?"]

FULLWIDTH_DIGITS = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")
OTHER_DIGITS = [
    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),  # Arabic-Indic: isdigit() and int() accept them
    str.maketrans("0123456789", "०१२३४५६७८९"),  # Devanagari
    str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"),  # mathematical bold
    str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),  # superscripts: isdigit() but not int()
    str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"),  # subscripts
]
SPECIAL_NUMBERS = [
    "0", "0.00", "-0", "0.0000001", "-", "—", "——", "－", "/", "…", "*", "", " ", "　", "NaN", "nan", "inf", "-inf",
    "Infinity", "sNaN", "1e400", "1E-400", "9.9e+99999", "1e", "e5", "1e5", ".5", "5.", "1..2", "1.2.3", "1,2,3", ",",
    "1,,000", "000123", "+5", "--5", "5-", "(5)", "（5）", "(1,234.56)", "−5", "²", "³", "¹²", "2²", "①", "⑩", "⑳",
    "⒈", "Ⅲ", "ⅻ", "一百二十", "三千五百万", "两亿", "零", "十", "一点五", "壹佰贰拾", "百分之五", "〇", "一二三",
    "五十四万三千二百一十", "九千九百九十九亿", "１２３", "１２３．４５", "١٢٣", "५", "𝟓", "½", "⅓", "5/8", "1:2",
    "12.5%", "-3.2%", "100%", "1000%", "百分之一百", "5‰", "0x1F", "1_000", "5 000", "5\u00a0000", "5'000",
]  # fmt: skip
CN_DIGITS = "零一二三四五六七八九"
CN_UNITS = ["", "十", "百", "千", "万", "十万", "百万", "千万", "亿"]

CONTROL = [chr(i) for i in range(0x20)] + ["\x7f", "\x85"]
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc80", "\ud83d"]
ODD = [
    "\ufffd", "\uffff", "\ufffe", "\U0010ffff", "\u0301", "\u20dd", "\xa0", "\u3000", "\u2003", "\t", "\t\t",
    "#", "##", "######", "<b>", "</b>", "<", ">", "&", "&amp;", "\\", "{", "}", "{{", "%s", "'", '"', "`", "|",
    "\U0001f600", "𠀀", "⺁", "⽬", "丨", "〔", "〕", "【", "】",
]  # fmt: skip
NOISE = CONTROL + BREAKS + INVISIBLE + BIDI + SURROGATES + ODD
XML_ILLEGAL = {*(chr(i) for i in range(0x20) if chr(i) not in "\t\n\r"), "\ufffe", "\uffff"}

BOM = "\ufeff"
# GOUJI_FUZZ_SURROGATES=0: no lone surrogates (to look past a known surrogate crash)
WITH_SURROGATES = os.environ.get("GOUJI_FUZZ_SURROGATES", "1") != "0"
# weighted towards what gouji reads (UTF-8, GB18030); the others test its refusals
TEXT_ENCODINGS = [
    "utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-32",
    "latin-1", "shift_jis",
]  # fmt: skip


# --- choosers ------------------------------------------------------------------------------


class Chooser:
    """The decisions a generator makes; subclasses draw them from Hypothesis or ``random``.

    ``surrogates``: whether ``noise`` may give lone surrogates (``document`` decides once per
    document, so that the documents without them can still show the other bugs)."""

    surrogates = True

    def integer(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[self.integer(0, len(seq) - 1)]

    def coin(self, p: float) -> bool:
        """True with probability about ``p``; the shrinker prefers False (the plain case)."""
        return self.integer(0, 999) >= 1000 - round(p * 1000)

    def noise(self, max_size: int) -> str:
        """Arbitrary code points, surrogates included."""
        out = []
        for _ in range(self.integer(0, max_size)):
            if self.coin(0.5):
                out.append(self.choice(NOISE))
            else:
                hi = self.choice([0x7F, 0xFFFF, 0x10FFFF, 0x9FFF])
                out.append(chr(self.integer(0, hi)))
        text = "".join(out)
        return text if self.surrogates else _drop_surrogates(text)

    def raw_bytes(self, max_size: int) -> bytes:
        return bytes(self.integer(0, 255) for _ in range(self.integer(0, max_size)))


class RandomChooser(Chooser):
    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, seq: Sequence[Any]) -> Any:
        return self.rng.choice(seq)

    def coin(self, p: float) -> bool:
        return self.rng.random() < p

    def raw_bytes(self, max_size: int) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, max_size))


class DrawChooser(Chooser):
    """Decisions drawn from a Hypothesis ``draw`` (inside ``st.composite``): they shrink."""

    def __init__(self, draw: Callable):
        from hypothesis import strategies as st

        self.draw, self.st = draw, st

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(self.st.integers(lo, hi))

    def choice(self, seq: Sequence[Any]) -> Any:
        return self.draw(self.st.sampled_from(seq))

    def noise(self, max_size: int) -> str:
        st = self.st
        chars = st.characters(exclude_categories=()) if self.surrogates else st.characters()
        text = "".join(self.draw(st.lists(st.one_of(st.sampled_from(NOISE), chars), max_size=max_size)))
        return text if self.surrogates else _drop_surrogates(text)

    def raw_bytes(self, max_size: int) -> bytes:
        return self.draw(self.st.binary(max_size=max_size))


def _drop_surrogates(text: str) -> str:
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


# --- grammar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Upper bounds of a generated document. Hypothesis needs small ones (each decision costs
    it a draw); the long runs of ``benchmarks.fuzz`` can afford more."""

    blocks: int = 10
    rows: int = 14
    cols: int = 9
    wide_cols: int = 80  # the width of an occasional very wide row
    sentences: int = 5
    repeat: int = 60  # the times a sentence or row may be repeated (long lines, long tables)
    long_digits: int = 40
    mutations: int = 6
    max_chars: int = 12_000  # the text is cut here (repeats are sized to stay under it)


SMALL = Scale()
# documents written as DOCX / XLSX / PDF: python-docx's ``table.cell`` is quadratic, keep them small
OFFICE = Scale(rows=8, cols=6, wide_cols=16, repeat=10, long_digits=30, max_chars=4000)
LARGE = Scale(
    blocks=30, rows=60, cols=14, wide_cols=300, sentences=10, repeat=400, long_digits=400, mutations=20, max_chars=150_000
)


def digits(ch: Chooser, n: int) -> str:
    first = str(ch.integer(1, 9))
    return first + "".join(ch.choice("0123456789") for _ in range(n - 1))


def cn_numeral(ch: Chooser) -> str:
    return "".join(ch.choice(CN_DIGITS[1:]) + ch.choice(CN_UNITS) for _ in range(ch.integer(1, 3)))


def number(ch: Chooser, scale: Scale = SMALL) -> str:
    """An amount in any shape a disclosure (or a broken export) may write it."""
    kind = ch.integer(0, 13)
    if kind == 0:
        return str(ch.integer(0, 10**6))
    if kind == 1:
        return f"{ch.integer(0, 10**5)}.{ch.integer(0, 99):02}"
    if kind == 2:
        return f"{ch.integer(0, 10**9):,}.{ch.integer(0, 99):02}"
    if kind == 3:
        return ch.choice(["-", "−", "（", "("]) + number(ch, scale) + ch.choice(["", "）", ")"])
    if kind == 4:  # a number split by a line break, as a PDF wraps it: 5,293⏎.75
        whole = f"{ch.integer(1000, 10**7):,}"
        cut = ch.integer(1, len(whole))
        return whole[:cut] + ch.choice(BREAKS) + whole[cut:] + ch.choice(["", f".{ch.integer(0, 99):02}"])
    if kind == 5:  # very long digit strings
        s = digits(ch, ch.integer(20, scale.long_digits))
        return s + (f".{digits(ch, ch.integer(1, 30))}" if ch.coin(0.3) else "")
    if kind == 6:
        return f"{ch.integer(1, 9)}{ch.choice(['e', 'E'])}{ch.choice(['', '+', '-'])}{ch.integer(0, 100000)}"
    if kind == 7:
        return number(ch, scale).translate(FULLWIDTH_DIGITS)
    if kind == 8:
        return number(ch, scale).translate(ch.choice(OTHER_DIGITS))
    if kind == 9:
        return cn_numeral(ch) + ch.choice(["", "点" + ch.choice(CN_DIGITS), "余", "多"])
    if kind == 10:
        return ch.choice([f"{ch.integer(-200, 2000)}.{ch.integer(0, 99)}%", f"{ch.integer(0, 100)}%", "百分之" + cn_numeral(ch)])
    if kind == 11:
        return "9" * ch.integer(15, scale.long_digits) + ch.choice(["", ".99", ".9999999999"])
    return ch.choice(SPECIAL_NUMBERS)


def amount(ch: Chooser, scale: Scale = SMALL) -> str:
    return number(ch, scale) + ch.choice(UNITS)


def sentence(ch: Chooser, scale: Scale = SMALL) -> str:
    """A claim sentence of a 情况说明, or (sometimes) a word salad of the vocabulary."""
    if ch.coin(0.15):
        pools = [SUBJECTS, COMPARE, DIRECTIONS, CUES, REASONS, YEARS, PUNCT, UNITS]
        parts = []
        for _ in range(ch.integer(1, 16)):
            pool = ch.choice(pools)
            parts.append(number(ch, scale) if ch.coin(0.25) else ch.choice(pool))
        return "".join(parts) + ch.choice(END_PUNCT)
    s = ch.choice(YEARS) + ch.choice(SUBJECTS) + ch.choice(CUES) + amount(ch, scale)
    if ch.coin(0.5):
        s += ch.choice(["，", ",", "", "；"]) + ch.choice(COMPARE)
        if ch.coin(0.3):
            s += amount(ch, scale)
        s += ch.choice(DIRECTIONS) + amount(ch, scale)
        if ch.coin(0.5):
            s += ch.choice(["，", "，增长", "，下降", "，增幅", "，降幅", ""]) + number(ch, scale) + ch.choice(["%", "％", "个百分点", ""])
    if ch.coin(0.3):
        s += "，其中：" + "，".join(ch.choice(SUBJECTS) + amount(ch, scale) for _ in range(ch.integer(1, 4)))
    if ch.coin(0.25):
        s += "，占" + ch.choice(SUBJECTS) + ch.choice(["的", "", "总额的"]) + number(ch, scale) + ch.choice(["%", "％", ""])
    if ch.coin(0.3):
        s += "。" + ch.choice(REASONS) + ch.choice(["", "，"]) + ch.choice(SUBJECTS) + ch.choice(DIRECTIONS) + amount(ch, scale)
    return s + ch.choice(END_PUNCT)


def paragraph(ch: Chooser, scale: Scale = SMALL) -> str:
    lead = ch.choice(["", "", "（一）", "1.", "一、", "- ", "其中：", "注：", "表1", "  "])
    body = "".join(sentence(ch, scale) for _ in range(ch.integer(1, scale.sentences)))
    if ch.coin(0.08):  # a very long line
        body *= ch.integer(2, max(2, min(scale.repeat, scale.max_chars // max(1, len(body)))))
    return lead + body


def heading(ch: Chooser) -> str:
    title = ch.choice(HEADINGS + TABLE_TITLES) if ch.coin(0.8) else ch.choice(SUBJECTS) + ch.noise(4)
    style = ch.integer(0, 3)
    if style == 0:
        return title
    if style == 1:
        return "#" * ch.integer(1, 7) + ch.choice([" ", "", "  "]) + title + ch.choice(["", " #", " ##"])
    if style == 2:
        return ch.choice(YEARS) + title
    return "#" * ch.integer(1, 6)  # a heading without a title


def cell(ch: Chooser, scale: Scale = SMALL) -> str:
    kind = ch.integer(0, 9)
    if kind <= 3:
        return number(ch, scale)
    if kind == 4:
        return ch.choice(CODES)
    if kind == 5:
        return ch.choice(ROW_NAMES)
    if kind == 6:
        return ""
    if kind == 7:
        return ch.choice(HEADERS)
    if kind == 8:
        return ch.noise(3)
    return ch.choice(CODES) + ch.choice(ROW_NAMES)


def table(ch: Chooser, scale: Scale = SMALL) -> str:
    """Tab-separated rows: an optional title and unit line, header rows, then 科目 rows."""
    lines = []
    if ch.coin(0.5):
        lines.append(ch.choice(TABLE_TITLES))
    if ch.coin(0.5):
        lines.append(ch.choice(UNIT_LINES))
    width = ch.integer(1, scale.cols)
    for _ in range(ch.integer(0, 2)):
        lines.append("\t".join(ch.choice(HEADERS) for _ in range(width)))
    rows = []
    for _ in range(ch.integer(0, scale.rows)):
        w = width if ch.coin(0.8) else ch.integer(0, scale.wide_cols if ch.coin(0.2) else scale.cols)  # ragged
        style = ch.integer(0, 3)
        if style == 0 and w >= 2:  # 科目编码 | 科目名称 | amounts
            cells = [ch.choice(CODES), ch.choice(ROW_NAMES), *(number(ch, scale) for _ in range(w - 2))]
        elif style == 1 and w >= 1:  # 项目 | amounts
            cells = [ch.choice(ROW_NAMES), *(number(ch, scale) for _ in range(w - 1))]
        else:
            cells = [cell(ch, scale) for _ in range(w)]
        if ch.coin(0.15):
            cells = [""] * ch.integer(1, 4) + cells  # leading empty cells
        row = "\t".join(cells)
        if w <= 1:
            row += "\t"  # a one-column row is still a row
        rows.append(row)
        if ch.coin(0.03):
            rows.extend([row] * ch.integer(1, max(1, min(scale.repeat, scale.max_chars // max(1, len(row))))))  # a long table
    if rows and ch.coin(0.5):
        rows.append("\t".join(["合计", *(number(ch, scale) for _ in range(max(0, width - 1)))]))
    return "\n".join(lines + rows)


def block(ch: Chooser, scale: Scale = SMALL) -> str:
    kind = ch.integer(0, 9)
    if kind <= 2:
        return paragraph(ch, scale)
    if kind <= 4:
        return table(ch, scale)
    if kind <= 6:
        return heading(ch)
    if kind == 7:
        return ch.choice(UNIT_LINES + ["", " ", "\t", "\t\t\t", "目录", "- 1 -", "第 1 页"])
    if kind == 8:
        return ch.noise(30)
    return "\t".join(ch.choice(HEADINGS + TABLE_TITLES) for _ in range(ch.integer(1, 3)))  # a 目录 line


def mutate(ch: Chooser, text: str, scale: Scale = SMALL) -> str:
    """Insert hostile characters, tabs and line breaks; cut and duplicate spans."""
    for _ in range(ch.integer(0, scale.mutations)):
        pos = ch.integer(0, len(text))
        op = ch.integer(0, 5)
        if op == 0:
            text = text[:pos] + ch.noise(1) + text[pos:]
        elif op == 1:
            text = text[:pos] + ch.choice(["\t", "\n", "\r\n", "\t\t", "\n\n"]) + text[pos:]
        elif op == 2:
            text = text[:pos] + text[pos + ch.integer(1, 20) :]
        elif op == 3:
            end = min(len(text), pos + ch.integer(1, 200))
            text = text[:end] + text[pos:end] * ch.integer(1, 5) + text[end:]
        elif op == 4:
            text = text[:pos] + number(ch, scale) + text[pos:]
        else:
            text = text[:pos] + ch.noise(5) + text[pos:]
    return text


def document(ch: Chooser, scale: Scale = SMALL) -> str:
    """A whole text export: blocks joined by line breaks, perhaps a BOM, then mutations."""
    ch.surrogates = ch.coin(0.15) and WITH_SURROGATES
    sep = ch.choice(["\n", "\n", "\n\n", "\r\n", "\r"])
    parts: list[str] = []
    size = 0
    for _ in range(ch.integer(1, scale.blocks)):
        parts.append(block(ch, scale))
        size += len(parts[-1]) + len(sep)
        if size >= scale.max_chars:
            break
    text = sep.join(parts)[: scale.max_chars]
    if ch.coin(0.05):
        text = BOM + text
    if ch.coin(0.4):
        text = mutate(ch, text, scale)
    if ch.surrogates:
        pos = ch.integer(0, len(text))
        text = text[:pos] + ch.choice(SURROGATES) + text[pos:]
    return text[: scale.max_chars + 2000]


def xml_safe(text: str) -> str:
    """Text that an XML writer (python-docx, openpyxl) accepts: no control chars nor surrogates."""
    return "".join(
        c for c in text if c not in XML_ILLEGAL and not 0xD800 <= ord(c) <= 0xDFFF
    )


def encode(ch: Chooser, text: str) -> bytes:
    """The document as a file's bytes: some encoding (lone surrogates pass), maybe damaged."""
    enc = ch.choice(TEXT_ENCODINGS)
    errors = "surrogatepass" if enc.startswith("utf") else ch.choice(["replace", "ignore", "xmlcharrefreplace"])
    try:
        data = text.encode(enc, errors)
    except UnicodeError:  # a surrogate pair's halves in a codec that refuses them
        data = text.encode("utf-8", "surrogatepass")
    if ch.coin(0.3):
        b = bytearray(data)
        for _ in range(ch.integer(1, 8)):
            if not b:
                break
            op = ch.integer(0, 2)
            pos = ch.integer(0, len(b) - 1)
            if op == 0:
                b[pos] = ch.integer(0, 255)
            elif op == 1:
                del b[pos : pos + ch.integer(1, 4)]
            else:
                b[pos:pos] = ch.raw_bytes(4)
        data = bytes(b)
    return data


def mutate_bytes(ch: Chooser, data: bytes, max_edits: int = 6) -> bytes:
    """A damaged copy of a file (for zip containers: torn entries, wrong sizes, bad CRCs)."""
    b = bytearray(data)
    for _ in range(ch.integer(1, max_edits)):
        if not b:
            break
        pos = ch.integer(0, len(b) - 1)
        op = ch.integer(0, 3)
        if op == 0:
            b[pos] = ch.integer(0, 255)
        elif op == 1:
            b[pos : pos + 4] = ch.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff\xff\x7f", b"\x01\x00\x00\x80"])
        elif op == 2:
            del b[pos:]
        else:
            del b[pos : pos + ch.integer(1, 64)]
    return bytes(b)


# --- Hypothesis strategies -----------------------------------------------------------------


def documents(scale: Scale = SMALL):
    """Hypothesis strategy: the text of a document (a ``str``: lone surrogates included)."""
    from hypothesis import strategies as st

    return st.composite(lambda draw: document(DrawChooser(draw), scale))()


def document_bytes(scale: Scale = SMALL):
    """Hypothesis strategy: a document's file bytes in some encoding, perhaps damaged."""
    from hypothesis import strategies as st

    @st.composite
    def strat(draw):
        ch = DrawChooser(draw)
        return encode(ch, document(ch, scale))

    return strat()


def office_documents(scale: Scale = OFFICE):
    """Hypothesis strategy: a document's text that XML writers accept (for DOCX, XLSX)."""
    return documents(scale).map(xml_safe)


def random_document(rng: random.Random, scale: Scale = LARGE) -> str:
    return document(RandomChooser(rng), scale)


# --- running the pipeline ------------------------------------------------------------------


class Hang(BaseException):  # noqa: N818  (BaseException: no ``except Exception`` in the code swallows it)
    """An example that ran past its wall-clock limit."""


@contextmanager
def wall_clock_limit(seconds: float):
    """Interrupt the block (``Hang``) once it has run ``seconds`` of wall-clock time.

    SIGALRM in the main thread; elsewhere (or if the code under test never returns to the
    interpreter in time) the elapsed time is still checked on the way out."""
    t0 = time.monotonic()
    armed = False
    try:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        armed = True
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - t0
    if elapsed > seconds:
        raise Hang(f"took {elapsed:.1f}s (limit {seconds:g}s)")


def _on_alarm(signum, frame):
    raise Hang("wall-clock limit reached")


def run_document(doc) -> dict:
    """Review ``doc`` and render every report: what ``gouji check`` does for each format."""
    from gouji.alignment.review import review_document
    from gouji.report.html import to_html
    from gouji.report.json_report import dumps, report_dict
    from gouji.report.text_report import to_text

    review = review_document(doc)
    report = report_dict(review)
    dumps(report)
    assert isinstance(to_html(review), str)
    assert isinstance(to_text(review), str)
    return report


def run_text(text: str, path: str = "<fuzz>.txt") -> dict | None:
    """The text path on a ``str`` (no encoding: lone surrogates reach the reader). ``None`` when
    gouji refused the document with a ``GoujiError``; any other exception propagates."""
    from gouji.errors import GoujiError
    from gouji.ingest.text import parse_text

    try:
        return run_document(parse_text(text, path))
    except GoujiError as e:
        assert "\n" not in e.one_line()
        return None


def run_path(path: str | Path) -> dict | None:
    """``read_document`` on a file, then the review and reports (``None``: a ``GoujiError``)."""
    from gouji.errors import GoujiError
    from gouji.ingest import read_document

    try:
        return run_document(read_document(path))
    except GoujiError as e:
        assert "\n" not in e.one_line()
        return None


def run_bytes(data: bytes, suffix: str) -> dict | None:
    """``run_path`` on a temporary file holding ``data``."""
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="gouji-fuzz-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return run_path(name)
    finally:
        os.unlink(name)


def render(kind: str, text: str, folder: str | Path) -> Path:
    """Write ``text`` as a ``kind`` file (txt: UTF-8 with surrogates passed; docx, xlsx, pdf:
    with the writers of ``tests/formats.py``) in ``folder``."""
    from tests.formats import write_docx, write_pdf, write_xlsx

    path = Path(folder) / f"doc.{kind}"
    if kind == "txt":
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    elif kind == "docx":
        write_docx(xml_safe(text), path)
    elif kind == "xlsx":
        write_xlsx(xml_safe(text), path)
    elif kind == "pdf":
        write_pdf(xml_safe(text), path)
    else:
        raise ValueError(kind)
    return path
