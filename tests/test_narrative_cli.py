"""`gouji claims PATH`: the claims of a document as a table (or JSON)."""

from __future__ import annotations

import json

from gouji.cli import main
from tests.conftest import EXAMPLES

HANDAN = str(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt")


def test_claims_table(capsys):
    assert main(["claims", HANDAN]) == 0
    out = capsys.readouterr().out
    assert "预算收支" in out and "减少 3176.66万元 (上年 2696.69万元)" in out and "[增]" in out
    assert "sentences with amounts" in out


def test_claims_json(capsys):
    assert main(["claims", "--format", "json", HANDAN]) == 0
    data = json.loads(capsys.readouterr().out)
    c = next(c for c in data["claims"] if c["reason"] and c["reason"]["amounts"] == ["3000万元"])
    assert c["comparison"]["direction"] == "decrease" and c["reason"]["direction"] == "increase"
