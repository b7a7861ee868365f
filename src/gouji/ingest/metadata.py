"""Document metadata read from the title area: unit name, year, 预算 or 决算."""

from __future__ import annotations

from collections import Counter

import regex

from gouji.ingest.document import Block, DocumentMeta, Heading, Paragraph
from gouji.patterns import re_

UNIT_SUFFIX = r"(?:局|委员会|委|办公室|办|院|中心|厅|部|馆|会|所|站|队|处|署|政府)"
OWN_LEVEL = r"(?:[（(]本级[)）]|本级)?"
UNIT_YEAR_RE = re_(
    rf"(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX}){OWN_LEVEL}\s*(?P<year>20\d\d)\s*年\s*(?:度)?\s*(?:部门|单位)?(?:综合)?(?:预算|决算)"
)
# a title with the year first: "2026年度苏州市交通运输局部门预算公开"
YEAR_UNIT_RE = re_(rf"20\d\d年(?:度)?(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX}){OWN_LEVEL}(?:部门|单位)(?:综合)?(?:预算|决算)")
NAMED_UNIT_RE = re_(rf"(?:部门(?:（单位）)?名称|预算单位)[:：]\s*(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX})")
# the title: the lines before the 目录 on the first page
TITLE_RE = re_(r"^(?P<title>[^目]{0,200}?)目\s*录")
SPACES_RE = re_(r"\s+")
UNIT_WINDOW = 45
YEAR_KIND_RE = re_(r"(?P<year>20\d\d)\s*年\s*(?:度)?\s*(?:部门|单位)?(?:综合)?(?P<kind>预算|决算)")


def read_metadata(text: str, blocks: list[Block], path: str) -> DocumentMeta:
    """Best-effort metadata; fields stay None when the document does not say."""
    meta = DocumentMeta()
    head_texts = [b.text for b in blocks[:60] if isinstance(b, Heading | Paragraph)]
    head = "\n".join(t.replace(" ", "") for t in head_texts)
    compact = text.replace(" ", "")
    units: Counter[str] = Counter()
    title = _title_unit(text)
    if title:
        units[title] += 1000  # a document's title names its unit; mentions elsewhere may be others'
    for m in _unit_years(compact):
        units[_trim_unit(m.group("unit"))] += 1
    for m in NAMED_UNIT_RE.finditer(compact):
        units[_trim_unit(m.group("unit"))] += 1
    if units:
        meta.unit_name = units.most_common(1)[0][0]
    m = YEAR_KIND_RE.search(head) or YEAR_KIND_RE.search(compact)
    if m:
        meta.year = int(m.group("year"))
        meta.doc_kind = m.group("kind")
    return meta


def _unit_years(text: str) -> list[regex.Match]:
    """``UNIT_YEAR_RE.finditer(text)``, searched only just before each "2022年预算".

    A unit name is at most 40 characters (plus 本级), so a window of 45 characters before
    the year holds every match; scanning the whole text from every Chinese character is slow.
    """
    found = []
    done = 0
    for ym in YEAR_KIND_RE.finditer(text):
        if ym.end() <= done:
            continue
        m = UNIT_YEAR_RE.search(text, max(done, ym.start() - UNIT_WINDOW), ym.end())
        if m:
            found.append(m)
            done = m.end()
    return found


def _title_unit(text: str) -> str | None:
    """The unit the title before the 目录 names, its lines joined ("2026年\\n广州市交通运输局部门预算")."""
    m = TITLE_RE.match(text[:400])
    if not m:
        return None
    title = SPACES_RE.sub("", m.group("title"))
    for pattern in (YEAR_UNIT_RE, UNIT_YEAR_RE, NAMED_UNIT_RE):
        if um := pattern.search(title):
            return _trim_unit(um.group("unit"))
    return None


def _trim_unit(name: str) -> str:
    # "第三部分青山区医疗保障局" -> "青山区医疗保障局"
    name = re_(r"^(?:第[一二三四五六七八九十]+部分|附件|关于|现将|纳入)").sub("", name)
    return name
