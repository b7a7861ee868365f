"""Where reports go: long input names still give writable report names; an unwritable --out is G008."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gouji.batch.discover import MAX_NAME_BYTES, fit_name, output_names

DOCUMENT = "# 某某局2022年部门预算\n\n单位：万元\n\n项目\t金额\n收入合计\t100.00\n\n2022年预算收入100万元。\n"


def gouji(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gouji", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def nbytes(name: str) -> int:
    return len(name.encode("utf-8"))


def long_document(folder: Path) -> Path:
    """A document named with 100 Chinese characters (300 bytes), or as many as the file system allows."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(100, 0, -1):
        path = folder / ("预" * n + ".txt")
        try:
            path.write_text(DOCUMENT, encoding="utf-8")
        except OSError:  # Linux allows 255 bytes a name: 83 characters and ".txt"
            continue
        return path
    raise AssertionError("no long name can be made here")


def test_fit_name_keeps_short_names_and_shortens_long_ones():
    assert fit_name("2022_邯郸市医疗保障局_部门预算") == "2022_邯郸市医疗保障局_部门预算"
    name = "预" * 100
    short = fit_name(name)
    assert nbytes(short) <= MAX_NAME_BYTES and short.startswith("预" * 60)
    assert short == fit_name(name)  # stable
    assert fit_name("预" * 99 + "算") != short  # names sharing a start stay apart
    assert fit_name(name, 20) == "预" * 3 + short[-9:]  # cut between characters: 9 bytes and "_" + 8 of hash
    assert nbytes(fit_name("a" * 300, 20)) == 20


def test_output_names_of_300_byte_names(tmp_path):
    files = [tmp_path / ("预" * 100 + ".txt"), tmp_path / ("预" * 99 + "算.txt"), tmp_path / "短.txt"]
    names = output_names(files)
    assert names[2] == "短"
    assert len(set(names)) == 3 and all(nbytes(n) <= MAX_NAME_BYTES for n in names)
    assert names == output_names(files)


def test_review_of_a_long_file_name(tmp_path):
    doc = long_document(tmp_path / "docs")
    out = tmp_path / "out"
    p = gouji("review", str(doc.parent), "--out", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    (row,) = csv.DictReader((out / "documents.csv").read_text(encoding="utf-8-sig").splitlines())
    assert row["状态"] == "完成"
    assert nbytes(row["文件"]) <= MAX_NAME_BYTES and row["文件"].startswith("预" * 50)
    assert (out / row["JSON报告"]).is_file() and (out / row["HTML报告"]).is_file()
    assert not list(out.rglob("*.tmp"))
    again = gouji("review", str(doc.parent), "--out", str(out), "--resume")
    assert "1 up to date" in again.stdout, again.stdout + again.stderr  # the same name again


def test_check_html_of_a_long_file_name(tmp_path):
    doc = long_document(tmp_path / "docs")
    other = tmp_path / "docs" / "other.txt"
    other.write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "html"
    p = gouji("check", str(doc), str(other), "--format", "html", "--out", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    pages = sorted(x.name for x in out.iterdir())
    assert len(pages) == 2 and "other.html" in pages
    assert all(nbytes(x) <= MAX_NAME_BYTES + len(".html") for x in pages)
    single = tmp_path / "single"
    single.mkdir()
    p = gouji("check", str(doc), "--format", "html", "--out", str(single))  # one document into a folder
    assert p.returncode == 0, p.stderr
    (page,) = single.iterdir()
    assert page.name == fit_name(doc.stem) + ".html"
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")


def _refused(p: subprocess.CompletedProcess, path: str, why: str) -> None:
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr
    (line,) = p.stderr.strip().splitlines()
    assert line.startswith("gouji: error G008: ") and path in line and why in line and "choose another --out" in line, line


@pytest.fixture
def doc(tmp_path) -> Path:
    path = tmp_path / "ok.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "somefile.txt").write_text("a file, not a folder", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
@pytest.mark.parametrize(
    ("out", "why"),
    [("somefile.txt/out.json", "Not a directory"), ("missing/out.json", "No such file or directory"), ("/proc/x.json", "")],
)
def test_check_out_that_cannot_be_written(tmp_path, doc, fmt, out, why):
    p = gouji("check", str(doc), "--format", fmt, "--out", out, cwd=tmp_path)
    _refused(p, out, why)
    assert not Path(out).exists() and not (tmp_path / out).exists()
    assert not list(tmp_path.rglob("*.tmp")) and not Path("/proc/x.json.tmp").exists()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["ok.txt", "somefile.txt"]


def test_check_out_is_a_folder(tmp_path, doc):
    (tmp_path / "folder").mkdir()
    _refused(gouji("check", str(doc), "--format", "json", "--out", "folder", cwd=tmp_path), "folder", "Is a directory")
    assert list((tmp_path / "folder").iterdir()) == [] and not list(tmp_path.rglob("*.tmp"))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_check_out_in_a_read_only_folder(tmp_path, doc):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        _refused(gouji("check", str(doc), "--format", "json", "--out", "locked/r.json", cwd=tmp_path), "locked/r.json", "Permission denied")
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize(("out", "why"), [("somefile.txt/html", "Not a directory"), ("somefile.txt", "not a folder")])
def test_check_html_folder_that_cannot_be_made(tmp_path, doc, out, why):
    other = tmp_path / "other.txt"
    other.write_text(DOCUMENT, encoding="utf-8")
    _refused(gouji("check", str(doc), str(other), "--format", "html", "--out", out, cwd=tmp_path), out, why)
    assert (tmp_path / "somefile.txt").read_text(encoding="utf-8") == "a file, not a folder"
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob("*.html"))


def test_undecodable_file_name_is_shown_and_resumed(tmp_path):
    """A GBK file name (from a Chinese Windows archive) is not UTF-8: reports show it decoded,
    the state file keeps it exactly, and --resume finds the document done."""
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/" + "邯郸".encode("gbk") + b".txt"
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write(DOCUMENT)
    out = tmp_path / "out"
    first = gouji("review", str(folder), "--out", str(out))
    assert first.returncode == 0 and "Traceback" not in first.stderr
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["邯郸.html", "邯郸.json"]
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert (row["文件"], row["文件路径"], row["状态"]) == ("邯郸", str(folder / "邯郸.txt"), "完成")
    again = gouji("review", str(folder), "--out", str(out), "--resume")
    assert "(1 ok, 0 failed, 1 up to date)" in again.stdout
    shown = gouji("check", "--format", "json", str(folder))
    assert f'"path": "{folder / "邯郸.txt"}"' in shown.stdout
