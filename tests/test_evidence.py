"""The evidence rule: an error stands only when every link it rests on is confirmed."""

from __future__ import annotations

import copy

from gouji.alignment.evidence import (
    CLAIM_PARSE,
    STRUCTURE,
    TABLE_READ,
    TableReads,
    confirmed,
    doubt,
    grade,
    table_reads,
)
from gouji.alignment.findings import Finding, fingerprint, fingerprints
from gouji.alignment.review import review_document
from gouji.ingest.text import parse_text


def _finding(check: str = "narrative.share", severity: str = "error", **kw) -> Finding:
    return Finding(check=check, severity=severity, message="占比不符。", span=(0, 3), quote="", **kw)


def _review(text: str):
    return review_document(parse_text(text, "t.txt"))


def test_unconfirmed_link_makes_a_warning_that_names_the_doubt():
    f = _finding(chain=[doubt(CLAIM_PARSE, "所指总额可能是另一金额")])
    held = grade([f], TableReads({}, {}, {}))
    assert (held, f.severity, f.held_back) == (1, "warning", True)
    assert f.message == "占比不符。（读取存疑：所指总额可能是另一金额）"


def test_confirmed_links_keep_the_error():
    f = _finding(chain=[confirmed(CLAIM_PARSE)])
    assert grade([f], TableReads({}, {}, {})) == 0
    assert (f.severity, f.held_back, f.message) == ("error", False, "占比不符。")


def test_a_warning_is_never_raised_to_an_error():
    f = _finding(severity="warning")
    grade([f], TableReads({}, {}, {}))
    assert (f.severity, f.held_back) == ("warning", False)


SUMMARY = (
    "# 某局2022年部门预算\n\n"
    "部门预算支出总表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t100.00\t60.00\t40.00\n"
    "210\t卫生健康支出\t100.00\t60.00\t40.00\n"
    "21001\t行政运行\t70.00\t60.00\t10.00\n"
    "21002\t一般行政管理事务\t20.00\t0.00\t20.00\n\n"
)


def test_table_read_is_doubtful_where_its_own_sum_fails():
    r = _review(SUMMARY)
    [t] = [t for t in r.tables if t.rows]
    # 210 = 21001 + 21002 fails in 合计 and 项目支出 (90 and 30 against 100 and 40)
    sums = [f for f in r.findings if f.check == "table.hierarchy_sum" and f.severity == "error"]
    assert sorted(f.actual for f in sums) == ["100.00", "40.00"]
    read = r.reads.tables[t.id]
    assert (read.confirmed, read.note) == (False, f"{t.id}自身合计不平（2处），可能读取有误")
    # the failure stands as an error on confirmed links: the document's own mistake, and its
    # cells are read as printed
    failing = next(e for e in sums[0].evidence if e["role"] == "total")
    assert r.reads.for_cell(failing).confirmed is True


def _cell(start: int, role: str = "total") -> dict:
    return {"table": "T1", "role": role, "location": {"start": start}}


def test_cells_of_a_held_back_sum_are_unconfirmed_evidence():
    reads = TableReads({"T1": doubt(TABLE_READ, "自身合计不平", "T1")}, {}, {})
    own = _finding(check="table.hierarchy_sum", evidence=[_cell(5), _cell(9, "part")])
    own.chain.append(doubt(STRUCTURE, "下级科目可能在下一页"))
    claim = _finding(check="narrative.amount_vs_table", evidence=[_cell(5, "compared")])
    other = _finding(check="narrative.amount_vs_table", evidence=[_cell(20, "compared")])
    assert grade([claim, other, own], reads) == 2
    assert (own.severity, claim.severity, other.severity) == ("warning", "warning", "error")
    assert claim.message == "占比不符。（读取存疑：T1中该数所在的合计不平且读取存疑）"


def test_own_sum_is_not_doubted_by_itself_but_by_the_readers_doubts():
    f = _finding(check="table.hierarchy_sum", evidence=[{"table": "T1", "role": "total", "location": {"start": 5}}])
    reads = table_reads([], [f])
    reads.tables["T1"] = doubt(TABLE_READ, "自身合计不平", "T1")
    grade([f], reads)
    assert f.severity == "error"
    g = _finding(check="table.hierarchy_sum", evidence=[{"table": "T1", "role": "total", "location": {"start": 5}}])
    reads.structural["T1"] = "科目名称与编码可能错位"
    grade([g], reads)
    assert (g.severity, g.message) == ("warning", "占比不符。（读取存疑：科目名称与编码可能错位）")


def _as_dict(review):
    from gouji.report.json_report import report_dict

    return report_dict(review)["findings"]


def test_fingerprint_ignores_ids_order_severity_and_wording():
    r = _review(SUMMARY)
    fs = _as_dict(r)
    base = [fingerprint(f) for f in fs]
    changed = copy.deepcopy(fs)
    for f in changed:
        f.update(id="X", severity="warning", message="另一种措辞")
    assert [fingerprint(f) for f in changed] == base
    assert fingerprints(list(reversed(fs))) == list(reversed(fingerprints(fs)))


def test_fingerprint_changes_with_the_figures_and_the_place():
    f = _as_dict(_review(SUMMARY))[0]
    other = copy.deepcopy(f)
    other["evidence"][0]["value"] = "101.00"
    moved = copy.deepcopy(f)
    moved["location"]["line"] += 1
    assert len({fingerprint(f), fingerprint(other), fingerprint(moved)}) == 3


def test_repeated_fingerprints_are_numbered_in_document_order():
    f = {"check": "c", "location": {"line": 1, "start": 0, "end": 1}, "span": "1", "evidence": []}
    g = {**f, "location": {"line": 1, "start": 5, "end": 6}}
    fp = fingerprint(f)
    assert fingerprints([g, f]) == [f"{fp}#2", fp]
