"""The review checklist (``data/checklist.yaml``) evaluated on a JSON report.

Each item is decided by the findings of the checks it names: 合格 (the checks ran and found
nothing), 不合格 (a finding of a failing severity), 无法判断 (the checks could not run on this
document, a deciding check does not exist yet, a coverage check recorded that it found nothing
to evaluate, or only doubts were found). Works on the
``gouji.report/1`` dict, so a stored report can be re-evaluated without re-reading the document.

What a row counts and describes are problems (the report's ``problems``: findings that share a
root), not findings: one wrong word reported by two checks is one problem.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from functools import cache

from gouji.alignment.registry import catalogue
from gouji.data import load_yaml
from gouji.patterns import re_
from gouji.records import dataclass

PASS, FAIL, UNKNOWN = "合格", "不合格", "无法判断"
SHOWN_PROBLEMS = 3  # 问题描述 and 依据 name at most this many problems, then “等N项”
# an item's number on the form: a Chinese numeral (一 … 十一 … 九十九) or dotted digits (1, 1.1, 2.3.1)
CODE_RE = re_(r"[一二三四五六七八九十]{1,3}|[0-9]{1,3}(?:\.[0-9]{1,3}){0,3}")
REQUIREMENT_TEXT = {
    "tables": "文件中未识别出预算报表，报表类检查无法进行",
    "prose": "文件没有可核对的文字说明（未提取到金额陈述）",
}


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    item: str
    checks: tuple[str, ...]
    requires: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    match: str = "all"
    fields: tuple[tuple[str, str], ...] = ()  # (field, regex): only findings whose message fields match
    excess: bool = False  # only findings of a sum whose parts exceed its total count
    fail_on: tuple[str, ...] = ("error",)
    doubt_on: tuple[str, ...] = ("warning",)
    also: tuple[dict, ...] = ()  # {check, tables?, match?, fields?, quote?, subject?}: further deciding findings
    extra: dict = field(default_factory=dict, compare=False)
    code: str = ""  # its number on the inspection form: 一, 二 … or 1.1 …

    @property
    def label(self) -> str:
        """The item as the form shows it: “一、目录所列报表齐全”, “1.1 目录所列报表齐全”."""
        if not self.code:
            return self.item
        return f"{self.code}、{self.item}" if self.code[0] in "一二三四五六七八九十" else f"{self.code} {self.item}"


@cache
def checklist_items() -> tuple[ChecklistItem, ...]:
    """The items of ``data/checklist.yaml``, validated."""
    items = []
    codes: dict[str, str] = {}
    for raw in load_yaml("checklist.yaml")["items"]:
        code = _code(raw, codes)
        unknown_req = set(raw.get("requires", [])) - set(REQUIREMENT_TEXT)
        if unknown_req:
            raise ValueError(f"checklist.yaml: {raw['id']}: unknown requirement {sorted(unknown_req)}")
        if raw.get("match", "all") not in ("all", "any"):
            raise ValueError(f"checklist.yaml: {raw['id']}: match must be all or any")
        items.append(
            ChecklistItem(
                id=raw["id"],
                item=raw["item"],
                checks=tuple(raw["checks"]),
                requires=tuple(raw.get("requires", [])),
                tables=tuple(raw.get("tables", [])),
                match=raw.get("match", "all"),
                fields=_fields(raw),
                excess=bool(raw.get("excess", False)),
                fail_on=tuple(raw.get("fail_on", ["error"])),
                doubt_on=tuple(raw.get("doubt_on", ["warning"])),
                also=tuple(_also(raw)),
                code=code,
            )
        )
    return tuple(items)


def _code(raw: dict, seen: dict[str, str]) -> str:
    """The item's ``code``, checked: present, of the form's kind, not another item's."""
    code = raw.get("code")
    if isinstance(code, bool) or not isinstance(code, str | int) or not CODE_RE.fullmatch(str(code)):
        raise ValueError(
            f"checklist.yaml: {raw.get('id')}: code must be a Chinese numeral (一, 二 … 十一) or dotted digits "
            f"(1, 1.1; quote them: '1.10'), got {code!r}"
        )
    code = str(code)
    if code in seen:
        raise ValueError(f"checklist.yaml: {raw.get('id')}: code {code} is already {seen[code]}'s")
    seen[code] = raw.get("id", "")
    return code


def _fields(raw: dict) -> tuple[tuple[str, str], ...]:
    got = raw.get("fields") or {}
    if not isinstance(got, dict) or not all(isinstance(v, str) for v in got.values()):
        raise ValueError(f"checklist.yaml: {raw.get('id', raw.get('check'))}: fields: a mapping of a message field to a regular expression")
    return tuple(sorted(got.items()))


def _also(raw: dict) -> list[dict]:
    out = []
    for a in raw.get("also", []):
        if not isinstance(a, dict) or "check" not in a or set(a) - {"check", "tables", "match", "fields", "excess", "quote", "subject"}:
            raise ValueError(f"checklist.yaml: {raw['id']}: also: each entry is {{check, tables, match, fields, excess, quote, subject}}")
        if a.get("match", "all") not in ("all", "any"):
            raise ValueError(f"checklist.yaml: {raw['id']}: match must be all or any")
        out.append(a)
    return out


def _also_concerns(a: dict, f: dict, kind_of: dict, subject_of: dict) -> bool:
    """A finding of another check that decides the item too (checklist.yaml ``also``)."""
    if f["check"] != a["check"]:
        return False
    if a.get("quote") and not re_(a["quote"]).search(f.get("quote") or ""):
        return False
    if a.get("subject") and not re_(a["subject"]).search(subject_of.get(f.get("claim"), "")):
        return False
    spec = ChecklistItem(
        "", "", (), tables=tuple(a.get("tables", ())), match=a.get("match", "all"), fields=_fields(a),
        excess=bool(a.get("excess", False)),
    )  # fmt: skip
    return _concerns(spec, f, kind_of)


def _place(loc: dict | None) -> str:
    if not loc:
        return ""
    return f"第{loc['page']}页" if loc.get("page") is not None else f"第{loc['line']}行"


def _basis(f: dict) -> str:
    """Where a finding and its evidence are: ``F3 第120行（T5 第88行、T6 第140行）``."""
    tables = []
    for ev in f.get("evidence") or []:
        where = f"{ev.get('table') or ''} {_place(ev.get('location'))}".strip()
        if where and where not in tables:
            tables.append(where)
    more = f"（{'、'.join(tables[:4])}{'等' if len(tables) > 4 else ''}）" if tables else ""
    return f"{f.get('id', '')} {_place(f.get('location'))}{more}".strip()


def evaluate(report: dict) -> list[dict]:
    """One row per checklist item for a document's JSON report: status, 问题描述, 依据."""
    cat = catalogue()
    tables = report.get("tables", [])
    kind_of = {t["id"]: t["kind"] for t in tables}
    present = {t["kind"] for t in tables if t["rows"] and t["kind"] and t["kind"] != "目录"}
    have = {"tables": bool(present), "prose": bool(report.get("claims"))}
    subject_of = {c.get("id"): c.get("subject") or "" for c in report.get("claims", [])}
    problem_of = _problem_of(report)
    rows = []
    for it in checklist_items():
        known = [c for c in it.checks if c in cat]
        missing_checks = [c for c in it.checks if c not in cat]
        relevant = [
            f
            for f in report.get("findings", [])
            if (f["check"] in known and _concerns(it, f, kind_of)) or any(_also_concerns(a, f, kind_of, subject_of) for a in it.also)
        ]
        failing = [f for f in relevant if f["severity"] in it.fail_on]
        doubtful = [f for f in relevant if f["severity"] in it.doubt_on]
        unmet = [REQUIREMENT_TEXT[r] for r in it.requires if not have[r]]
        absent = [k for k in it.tables if k not in present]
        if absent:
            unmet.append("文件中未找到" + "、".join(absent))
        not_run, ran = _coverage(report, known, cat)
        unmet.extend(not_run)
        reasons = []
        if missing_checks:
            reasons.append(f"判断本项所需的检查尚未实现（{'、'.join(missing_checks)}）")
        reasons.extend(dict.fromkeys(unmet))
        if missing_checks and known and not unmet:
            reasons.append(f"已实现的检查（{'、'.join(known)}）未发现问题")
        if failing:
            shown = _problems(failing, problem_of)
            status, problem, basis = FAIL, _describe(shown), _bases(shown)
        elif reasons:
            status, problem, basis, shown = UNKNOWN, "；".join(reasons), "", []
        elif doubtful:
            shown = _problems(doubtful, problem_of)
            status, problem, basis = UNKNOWN, "存疑，需人工核对：" + _describe(shown), _bases(shown)
        else:
            status, problem, shown = PASS, "", []
            basis = f"已核对（{'、'.join(known)}），未发现问题" + "".join(f"；{r}" for r in ran)
        first = shown[0][1][0] if shown else None
        rows.append(
            {
                "id": it.id,
                "code": it.code,
                "item": it.item,
                "status": status,
                "problem": problem,
                "basis": basis,
                "problems": len(shown),
                # where the row's first problem is: its finding (the HTML report's #F3) and PDF page
                "finding": first.get("id", "") if first else "",
                "page": ((first.get("location") or {}).get("page") or "") if first else "",
            }
        )
    return rows


def _problem_of(report: dict) -> dict[str, tuple[str, str]]:
    """Finding id → (problem id, the problem's one-line message), from the report's ``problems``."""
    message = {f.get("id", ""): f["message"] for f in reversed(report.get("findings", []))}
    out = {}
    for p in report.get("problems") or []:
        members = p.get("findings") or []
        lead = p.get("message") or (message.get(members[0], "") if members else "")  # the lead finding's
        for fid in members:
            out[fid] = (p["id"], lead)
    return out


def _problems(findings: list[dict], problem_of: dict) -> list[tuple[str, list[dict]]]:
    """The problems ``findings`` belong to, in the order of their first finding: (message, its
    findings here). A finding of no problem (a report written before they were grouped) is a
    problem of its own."""
    grouped: dict[object, tuple[str, list[dict]]] = {}
    for i, f in enumerate(findings):
        key, message = problem_of.get(f.get("id", ""), ((None, i), f["message"]))
        grouped.setdefault(key, (message, []))[1].append(f)
    return list(grouped.values())


def _listed(parts: list[str], n: int) -> str:
    """At most three parts, numbered （1）（2）… when there are several (a message may hold a “；”
    of its own), then “等N项”."""
    if n == 1:
        return parts[0]
    text = "；".join(f"（{i}）{p}" for i, p in enumerate(parts[:SHOWN_PROBLEMS], 1))
    return text + (f"等{n}项" if n > SHOWN_PROBLEMS else "")


def _describe(shown: list[tuple[str, list[dict]]]) -> str:
    """问题描述: the one-line messages of at most three problems, then “等N项”."""
    return _listed([message.rstrip("。；; ") for message, _ in shown], len(shown))


def _bases(shown: list[tuple[str, list[dict]]]) -> str:
    """依据: where the first finding of each problem described is, then “等N项”."""
    return _listed([_basis(fs[0]) for _, fs in shown], len(shown))


def _coverage(report: dict, known: list[str], cat: dict) -> tuple[list[str], list[str]]:
    """Of the coverage checks (checks.yaml ``coverage: true``) among ``known``: why those that
    found nothing to evaluate did not run, and what those that ran evaluated."""
    recorded = report.get("coverage") or {}
    not_run, ran = [], []
    for cid in known:
        if not cat[cid].coverage:
            continue
        cov = recorded.get(cid)
        if cov is None:
            not_run.append(f"报告未记录{cid}是否核对（报告早于该检查）")
        elif cov.get("status") != "evaluated":
            not_run.append(cov.get("reason") or f"{cid}无可核对的内容")
        elif cov.get("reason"):
            ran.append(cov["reason"])
    return not_run, ran


def failed_rows(error: str) -> list[dict]:
    """Checklist rows of a document that could not be reviewed at all."""
    return [
        {
            "id": it.id, "code": it.code, "item": it.item, "status": UNKNOWN, "problem": f"文件未能审阅：{error}",
            "basis": "", "problems": 0, "finding": "", "page": "",
        }
        for it in checklist_items()
    ]  # fmt: skip


def _concerns(it: ChecklistItem, f: dict, kind_of: dict) -> bool:
    if any(not re_(pattern).search((f.get("fields") or {}).get(name, "")) for name, pattern in it.fields):
        return False
    if it.excess and not (f.get("difference") and Decimal(f["difference"]) > 0):
        return False
    if not it.tables:
        return True
    kinds = {kind_of.get(ev.get("table")) for ev in f.get("evidence") or [] if ev.get("table")}
    if not kinds:
        return False
    return kinds <= set(it.tables) if it.match == "all" else bool(kinds & set(it.tables))
