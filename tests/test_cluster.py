"""``gouji review --scheduler``: a dask LocalCluster of two worker processes gives the outputs of
``--jobs 2``, survives a worker killed mid-run, and says which extra to install when dask is
missing; the Parquet files, split XLSX sheets and the dashboard past its document limit."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import gouji
from gouji.batch import run
from gouji.report.batch_tables import checklist_xlsx, safe_csv_cell, summary_xlsx
from gouji.report.dashboard import to_index_html
from tests.conftest import EXAMPLES, ROOT

distributed = pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")
from openpyxl import load_workbook  # noqa: E402

CSVS = ("summary.csv", "documents.csv", "reasons.csv", "checklist.csv")
HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"
SECONDS = "用时（秒）"  # the one column that differs between two runs


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    """The examples, a copy of one with a planted change (a direction word turned round), a copy
    differing only in a trailing newline, a byte-identical copy and an empty file."""
    root = tmp_path_factory.mktemp("cluster") / "docs"
    shutil.copytree(EXAMPLES, root)
    text = (EXAMPLES / HANDAN).read_text(encoding="utf-8")
    assert "增加" in text
    (root / "planted").mkdir()
    (root / "planted" / HANDAN).write_text(text.replace("增加", "减少", 1), encoding="utf-8")
    (root / "newline.txt").write_bytes((EXAMPLES / HANDAN).read_bytes() + b"\n")
    (root / "copy.txt").write_bytes((EXAMPLES / HANDAN).read_bytes())
    (root / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def local(docs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    run([docs], out, jobs=2, isolate=True, progress=False)
    return out


def read_csv(path: Path, drop: str = "") -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: v for k, v in row.items() if k != drop} for row in csv.DictReader(fh)]


def row_set(rows: list[dict]) -> set[tuple]:
    return {tuple(sorted(r.items())) for r in rows}


def as_csv_text(value: object) -> str:
    """A Parquet value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(safe_csv_cell(value))


def parquet_rows(path: Path) -> list[dict]:
    return [{k: as_csv_text(v) for k, v in row.items()} for row in pq.read_table(path).to_pylist()]


def assert_same_outputs(out: Path, local: Path) -> None:
    for name in CSVS:
        drop = SECONDS if name == "documents.csv" else ""
        assert row_set(read_csv(out / name, drop)) == row_set(read_csv(local / name, drop)), name
    reports = sorted(p.name for p in (local / "reports").iterdir())
    assert reports == sorted(p.name for p in (out / "reports").iterdir()) and len(reports) == 2 * 7
    for name in reports:
        assert (out / "reports" / name).read_bytes() == (local / "reports" / name).read_bytes(), name
    for stem in ("summary", "documents"):
        assert parquet_rows(out / f"{stem}.parquet") == read_csv(out / f"{stem}.csv"), stem
    assert not list(out.rglob("*.tmp"))


def test_cluster_outputs_equal_jobs_2(client, docs, local, tmp_path):
    out = tmp_path / "out"
    res = gouji.review(docs, out=out, client=client)
    assert_same_outputs(out, local)
    assert sorted(res.documents["status"]) == ["duplicate", "failed", *["ok"] * 7]
    failed = res.documents[res.documents["status"] == "failed"]
    assert failed["error"].tolist() == [f"error G003: {docs / 'empty.txt'}: file is empty (give the exported text of a disclosure)"]
    again = run([docs], out, client=client, resume=True, progress=False)  # nothing is sent: every document is up to date
    assert (again.reviewed, again.reused) == (0, 8)


def test_inputs_sent_as_bytes(client, docs, local, tmp_path):
    out = tmp_path / "out"
    run([docs], out, client=client, send_inputs=True, progress=False)
    assert_same_outputs(out, local)  # the reports name the client's files, not the workers' copies


class KillFirstTask(distributed.WorkerPlugin):
    """Kills its worker process as the first task of the run starts executing (once in all: a
    marker file, made exclusively, says it was done)."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing":
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_run_loses_no_document(client, docs, local, tmp_path):
    marker = tmp_path / "killed"
    client.register_plugin(KillFirstTask(str(marker)), name="kill-first-task")
    try:
        res = run([docs], tmp_path / "out", client=client, progress=False)
    finally:
        client.unregister_worker_plugin("kill-first-task")
    assert marker.exists()  # a worker did die
    assert (res.reviewed, res.failed, res.duplicates) == (8, 1, 1)  # the empty file fails as it should, alone
    assert_same_outputs(tmp_path / "out", local)


def test_the_command_line_on_a_local_cluster(tmp_path):
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, "-m", "gouji", "review", str(EXAMPLES / HANDAN), "--out", str(out), "--scheduler", "local:1", "--send-inputs"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert p.returncode == 1, p.stderr  # error findings
    assert "1 of 1 documents (1 ok, 0 failed, 0 up to date), 2 findings (2 errors)" in p.stdout
    assert (out / "summary.parquet").is_file() and (out / "reports" / HANDAN.replace(".txt", ".html")).is_file()


def test_missing_extra_is_one_coded_line(tmp_path):
    hide = "import sys; sys.modules['distributed'] = sys.modules['dask'] = None; from gouji.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["review", str(EXAMPLES), "--out", str(tmp_path / "out"), "--scheduler", "local:2"]
    p = subprocess.run([sys.executable, "-c", hide, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2
    assert p.stderr == "gouji: error G011: --scheduler needs dask.distributed, which is not installed (pip install 'gouji[cluster]')\n"
    assert p.stdout == "" and not (tmp_path / "out").exists()


def test_bad_scheduler_and_send_inputs_alone_are_usage_errors(tmp_path):
    for extra in (["--scheduler", "local:0"], ["--scheduler", "example.org"], ["--send-inputs"]):
        p = subprocess.run([sys.executable, "-m", "gouji", "review", str(EXAMPLES), "--out", str(tmp_path), *extra], capture_output=True, text=True)
        assert p.returncode == 2 and p.stderr.startswith("gouji: error: ") and p.stderr.count("\n") == 1, p.stderr


def test_parquet_beside_the_csvs_of_a_jobs_1_review(tmp_path):
    run([EXAMPLES], tmp_path, jobs=1, progress=False)
    for stem in ("summary", "documents"):
        table = pq.read_table(tmp_path / f"{stem}.parquet")
        assert parquet_rows(tmp_path / f"{stem}.parquet") == read_csv(tmp_path / f"{stem}.csv")
        assert table.schema.field("年度").type == "int64"
    docs = pq.read_table(tmp_path / "documents.parquet").schema
    assert (docs.field("错误数").type, docs.field("用时（秒）").type, docs.field("沿用上次结果").type) == ("int64", "double", "bool")
    assert docs.field("文件").metadata == {b"column": b"document"}
    assert docs.field("页数").type == "int64" and pq.read_table(tmp_path / "documents.parquet").column("页数").null_count == 5
    summary = pq.read_table(tmp_path / "summary.parquet")
    assert (summary.schema.field("差额（万元）").type, summary.schema.field("页码").type) == ("double", "int64")
    assert summary.num_rows == 55 and summary.column("页码").null_count == 55  # text inputs have no pages


def sheets(data: bytes, path: Path) -> dict[str, list[tuple]]:
    path.write_bytes(data)
    wb = load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_xlsx_sheets_split_past_the_row_limit(local, tmp_path):
    records = _records(local)
    whole = sheets(summary_xlsx(records), tmp_path / "whole.xlsx")["检查发现"]
    parts = sheets(summary_xlsx(records, max_rows=20), tmp_path / "split.xlsx")
    n = len(whole) - 1  # findings
    assert list(parts) == ["检查发现", *(f"检查发现 {k}" for k in range(2, -(-n // 19) + 1))]
    assert all(len(rows) <= 20 and rows[0] == whole[0] for rows in parts.values())
    assert [r for rows in parts.values() for r in rows[1:]] == whole[1:]

    form = sheets(checklist_xlsx(records, max_rows=25), tmp_path / "form.xlsx")
    items = sum(len(r["checklist"]) for r in records)
    assert list(form) == ["检查表", *(f"检查表 {k}" for k in range(2, -(-items // 24) + 1)), "汇总"]
    assert [r[0] for title, rows in form.items() if title != "汇总" for r in rows[1:]] == list(range(1, items + 1))  # 序号


def _records(out: Path) -> list[dict]:
    """The records of a finished output folder, as its resume state holds them."""
    from gouji.batch.state import State

    return [e["record"] for e in State(out).load().entries.values()]


def test_dashboard_lists_the_first_documents_past_its_limit(local):
    records = _records(local)
    full, short = to_index_html(records), to_index_html(records, max_documents=3)
    listed = re.compile(r'<tr class="st-(?:ok|failed)" data-document=')
    assert len(listed.findall(full)) == len(records) and 'id="unlisted"' not in full
    assert len(listed.findall(short)) == 3
    assert re.search(r'另有 <b>(\d+)</b> 份未列出', short).group(1) == str(len(records) - 3)
    total = re.compile(r'id="n-error">(\d+)<')
    assert total.search(short).group(1) == total.search(full).group(1)  # totals and charts count every document


def test_write_outputs_passes_the_limits_on(local, tmp_path):
    from gouji.batch.outputs import write_outputs

    write_outputs(tmp_path, _records(local), max_sheet_rows=10, max_dashboard_documents=2)
    assert "检查发现 2" in load_workbook(tmp_path / "summary.xlsx", read_only=True).sheetnames
    assert 'id="unlisted"' in (tmp_path / "index.html").read_text(encoding="utf-8")
