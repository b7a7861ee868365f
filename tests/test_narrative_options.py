"""The switches of claim extraction: read from the environment when an extraction starts."""

from __future__ import annotations

import pytest

from gouji.ingest.text import parse_text
from gouji.narrative import options as options_module
from gouji.narrative.extract import Options, extract_claims, set_backend
from gouji.narrative.options import options_from_env

LIST = "本年支出预算100万元，主要包括：\n\n（1）基本支出60万元；\n\n（2）项目支出40万元。"


def doc(prose: str):
    return parse_text("# 某某局2022年部门预算\n\n" + prose + "\n", "<test>")


def parts_of(prose: str, options: Options | None = None) -> list[str | None]:
    return [c.part_of for c in extract_claims(doc(prose), options).claims]


def test_defaults(monkeypatch):
    monkeypatch.setattr(options_module, "_chosen_backend", None)  # set_backend's choice sticks
    assert options_from_env({}) == Options(join_lists=False, join_lines=True, backend="rules")
    assert options_from_env({"GOUJI_JOIN_LISTS": "1", "GOUJI_JOIN_LINES": "1", "GOUJI_NLP": "spacy"}) == Options(
        join_lists=True, join_lines=True, backend="spacy"
    )
    assert options_from_env({"GOUJI_JOIN_LISTS": "yes"}).join_lists is False  # only "1" turns it on
    assert options_from_env({"GOUJI_JOIN_LINES": "0"}).join_lines is False


def test_environment_read_when_extraction_starts(monkeypatch):
    monkeypatch.delenv("GOUJI_JOIN_LISTS", raising=False)
    assert parts_of(LIST) == [None, None, None]
    monkeypatch.setenv("GOUJI_JOIN_LISTS", "1")
    assert parts_of(LIST) == [None, "C1", "C1"]


def test_options_given_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("GOUJI_JOIN_LISTS", "1")
    assert parts_of(LIST, Options()) == [None, None, None]


def test_join_lines():
    prose = "本年度部门宣传经费安排的一般公共预算拨款总额为\n\n100万元。"
    assert [c.subject for c in extract_claims(doc(prose), Options(join_lines=False)).claims] == [""]
    joined = extract_claims(doc(prose)).claims
    assert [c.subject for c in joined] == ["宣传经费安排的一般公共预算拨款总额"]


def test_set_backend(monkeypatch):
    monkeypatch.setattr(options_module, "_chosen_backend", None)
    monkeypatch.setenv("GOUJI_NLP", "spacy")
    assert options_from_env().backend == "spacy"
    set_backend("rules")  # wins over GOUJI_NLP
    assert options_from_env().backend == "rules"
    with pytest.raises(ValueError, match="unknown narrative backend"):
        set_backend("bert")


def test_short_unit_from_the_data():
    claims = extract_claims(doc("宣传经费1,230万，服务5万人。")).claims
    assert [(c.amount.text, c.amount.unit) for c in claims] == [("1,230万", "万元")]
