"""The benchmark's gold for real document pairs: derived from shared structure, and refusing
pairs whose structure or content does not match. Pages written for this test (our own text)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
debian_pairs = pytest.importorskip("debian_pairs")
real_pairs = pytest.importorskip("real_pairs")


def page(title_tag, title, paragraphs, next_page=None, nav=True):
    navigation = (f'<div class="navheader"><a accesskey="n" href="{next_page}">Next</a></div>' if next_page and nav else "")
    body = "".join(f'<div class="para">{p}</div>' for p in paragraphs)
    code = "<pre class=\"screen\">$ apt-get update</pre>"
    return f"<html><body>{navigation}<{title_tag} class=\"title\">{title}</{title_tag}>{body}{code}</body></html>"


def write_book(root, language, pages):
    folder = root / language
    folder.mkdir(parents=True)
    for name, html in pages.items():
        (folder / name).write_text(html, encoding="utf-8")


@pytest.fixture()
def book(tmp_path):
    en = {
        "index.html": page("h1", "Chapter 1. Packages", ["APT installs packages from repositories.",
                                                          "This paragraph was never translated.",
                                                          "Version 12 came out in 2023."], "two.html"),
        "two.html": page("h2", "1.1. Mirrors", ["A mirror copies the archive every 6 hours."], "three.html"),
        "three.html": page("h1", "Chapter 2. Networks", ["The network needs a gateway.", "It also needs DNS."]),
    }
    zh = {
        "index.html": page("h1", "第 1 章 软件包", ["APT 从仓库安装软件包。",
                                                   "This paragraph was never translated.",
                                                   "第 11 版发布于 2021 年。"], "two.html"),  # numbers disagree
        "two.html": page("h2", "1.1. 镜像", ["镜像每 6 小时复制一次归档。", "多出的一段。"], "three.html"),  # shape differs
        "three.html": page("h1", "第 2 章 网络", ["网络需要一个网关。", "它还需要 DNS。"]),
    }
    write_book(tmp_path, "en", en)
    write_book(tmp_path, "zh", zh)
    return tmp_path


def test_blocks_leave_out_navigation_and_screens(book):
    texts = [b.text for b in debian_pairs.blocks(book / "en" / "index.html")]
    assert texts == ["Chapter 1. Packages", "APT installs packages from repositories.", "This paragraph was never translated.",
                     "Version 12 came out in 2023."]


def test_gold_pairs_only_matching_structure_and_content(book):
    chapters, stats = debian_pairs.derive_gold(book, "zh", "en")
    assert [(page, list(zip(zh, en))) for page, zh, en in chapters] == [
        ("index.html", [("第 1 章 软件包", "Chapter 1. Packages"), ("APT 从仓库安装软件包。", "APT installs packages from repositories.")]),
        ("three.html", [("第 2 章 网络", "Chapter 2. Networks"), ("网络需要一个网关。", "The network needs a gateway."),
                        ("它还需要 DNS。", "It also needs DNS.")]),
    ]
    assert stats["pages"] == 3 and stats["pages_kept"] == 2  # two.html: one more paragraph in Chinese
    assert stats["untranslated_or_identical"] == 1 and stats["unverified"] == 1


def test_readme_gold_rejects_same_shape_with_different_content():
    zh = "# 特性\n\n- 支持 React\n- 支持 Vue\n\n# 安装\n\n运行 npm install x6。\n"
    en = "# Features\n\n- Fast rendering\n- Small bundle\n\n# Install\n\nRun npm install x6.\n"
    zh_units, en_units, pairs, *_ = real_pairs.derive_gold(zh, en)
    assert list(zip(zh_units, en_units)) == [("安装", "Install"), ("运行 npm install x6。", "Run npm install x6.")]

