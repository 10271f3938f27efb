"""Collections fetched by recipe: a package pinned by sha256, documents whose sides are pages
inside it, stand-off layers tied to the cleaned text, a loader with splits by document.

The package here is built by the test with dpkg-deb from pages written for it (our own text),
so nothing is downloaded; tests/test_debian_handbook.py runs the real recipe.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bicorpus import cli
from bicorpus.sources.cleaners import clean_debian_docbook, docbook_blocks
from bicorpus.sources.capture import SourceFile
from bicorpus.schema import ParagraphKind

needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="navheader"><a accesskey="n" href="next.html">{nav}</a></div>
<div class="chapter"><h1 class="title">{title}</h1>
<div class="para">{p1}</div>
<pre class="screen">$ apt-get install demo</pre>
<div class="itemizedlist"><ul><li><div class="para">{item}</div></li></ul></div>
<p class="title">{sidebar}</p>
<div class="para">{p2}</div>
</div><div class="navfooter">{nav}</div></body></html>
"""

TEXTS = {
    "one": {
        "en": dict(title="Chapter 1. A Small Tool", nav="Next", p1="The tool was written in 2019. It may run on 3 systems.",
                   item="a simple interface;", sidebar="NOTE About the name", p2="This sentence is left in English."),
        "zh": dict(title="第 1 章 一个小工具", nav="下一页", p1="这个工具写于 2019 年。它也许能在 3 个系统上运行。",
                   item="简单的界面；", sidebar="提醒 关于名字", p2="This sentence is left in English."),
    },
    "two": {
        "en": dict(title="Chapter 2. Another Tool", nav="Next", p1="Another tool followed. It was faster.",
                   item="a faster start;", sidebar="TIP Speed", p2="Use it with care."),
        "zh": dict(title="第 2 章 另一个工具", nav="下一页", p1="另一个工具随后出现，它更快。",
                   item="更快的启动；", sidebar="提示 速度", p2="请小心使用。"),
    },
}


def test_docbook_blocks_keep_text_and_drop_navigation_and_screens():
    html = PAGE.format(**TEXTS["one"]["en"])
    found = docbook_blocks(html)
    assert [s for s, _ in found] == ["h1.title", "div.para", "div.para", "p.title", "div.para"]
    assert all("apt-get install" not in t and "Next" != t for _, t in found)
    cleaned = clean_debian_docbook([SourceFile("a.html", html)])
    assert [b.kind for b in cleaned.blocks] == [ParagraphKind.TITLE, ParagraphKind.PARAGRAPH, ParagraphKind.PARAGRAPH,
                                                ParagraphKind.HEADING, ParagraphKind.PARAGRAPH]
    assert all(b.raw_start is None for b in cleaned.blocks)  # not slices of the HTML


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_collection(root: Path, cache: Path) -> str:
    """A project with a two-document collection `demo_books` read from a package built here."""
    shutil.copytree(Path(__file__).parent / "data" / "project", root)
    for name in ("entities.jsonl", "cue_lexicon.jsonl", "guidelines.md"):
        shutil.copy(Path(__file__).parent.parent / "annotations" / name, root / "annotations" / name)
    package = root.parent / "pkg"
    inside = "usr/share/doc/demo-books/html"
    for doc, sides in TEXTS.items():
        for lang, folder in (("en", "en-US"), ("zh", "zh-CN")):
            page = package / inside / folder / f"{doc}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(PAGE.format(**sides[lang]), encoding="utf-8")
    (package / "DEBIAN").mkdir()
    (package / "DEBIAN" / "control").write_text("Package: demo-books\nVersion: 1.0\nArchitecture: all\n"
                                                "Maintainer: bicorpus tests <tests@example.org>\nDescription: pages for tests\n")
    cache.mkdir(parents=True, exist_ok=True)
    deb = cache / "demo-books_1.0.deb"
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", str(package), str(deb)], check=True, capture_output=True)
    collection = root / "corpus" / "demo_books"
    collection.mkdir(parents=True)
    (collection / "recipe.yaml").write_text(yaml.safe_dump({
        "collection": "demo_books", "title": "Demo books",
        "packages": [{"manager": "apt", "name": "demo-books", "version": "1.0", "sha256": _sha(deb.read_bytes())}]}))
    for doc, split in (("one", "train"), ("two", "test")):
        sides = {}
        for lang, folder in (("en", "en-US"), ("zh", "zh-CN")):
            page = package / inside / folder / f"{doc}.html"
            blocks = clean_debian_docbook([SourceFile(str(page), page.read_text(encoding="utf-8"))]).blocks
            sides[lang] = {
                "role": "original" if lang == "en" else "translation", "cleaner": "debian_docbook", "package": "demo-books",
                "files": [{"path": f"{inside}/{folder}/{doc}.html", "sha256": _sha(page.read_bytes())}],
                "text_sha256": _sha("\n\n".join(b.text for b in blocks).encode("utf-8")),
                "publisher": "the tests", "licence": "CC0-1.0",
                **({"author": "the tests"} if lang == "en" else {"translator": "the tests"}),
            }
        meta = {"doc_id": f"demo_books/{doc}", "title_zh": TEXTS[doc]["zh"]["title"], "title_en": TEXTS[doc]["en"]["title"],
                "original_language": "en", "original_author": "the tests", "original_title": TEXTS[doc]["en"]["title"],
                "original_publication": "tests", "original_url": "https://example.org/demo", "zh": sides["zh"],
                "en": sides["en"], "split": split, "rights": "Written for the tests; CC0.", "card_rationale": "Tests.",
                "card_source_data": "Pages written for the tests.", "card_personal_information": "None.",
                "card_limitations": "- For tests only."}
        (collection / doc).mkdir()
        (collection / doc / "document.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        ann = root / "annotations" / "demo_books" / doc
        ann.mkdir(parents=True)
        (ann / "paragraphs.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n" + ("[4]:[4]\tuntranslated\n" if doc == "one" else "[4]:[4]\n"))
    return "demo_books"


def _sentence_beads(root: Path, cache: Path):
    """Sentence beads written as a reviewer would, after reading `bicorpus show`."""
    (root / "annotations/demo_books/one/sentences.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n[4]:[4]\n[5]:[5]\tuntranslated\n")
    (root / "annotations/demo_books/two/sentences.align").write_text("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[4]\n[4]:[5]\n")


@needs_dpkg
def test_fetch_builds_a_loader_with_splits_by_document(tmp_path, capsys):
    import datasets

    root, cache = tmp_path / "project", tmp_path / "cache"
    name = make_collection(root, cache)
    _sentence_beads(root, cache)
    out = tmp_path / "fetched"
    code = cli.main(["fetch", name, "--root", str(root), "--cache", str(cache), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "fetched, built and valid" in captured.out
    loader = out / name
    paragraphs = datasets.load_dataset(str(loader), "paragraphs")
    assert set(paragraphs) == {"train", "test"}
    assert {r["doc_id"] for r in paragraphs["train"]} == {"demo_books/one"}
    documents = datasets.load_dataset(str(loader), "documents", split="test")
    origin = documents.features["en_origin"].int2str(documents[0]["en_origin"])
    assert (origin, documents[0]["zh_licence"], documents[0]["split"]) == ("en_original", "CC0-1.0", "test")
    beads = datasets.load_dataset(str(loader), "paragraph_translation", split="train")
    assert beads.features["status"].int2str(beads[4]["status"]) == "untranslated"
    card = (loader / "README.md").read_text(encoding="utf-8")
    assert "| `demo_books/one` | train | en | original | the tests | the tests | CC0-1.0 |" in card
    # bead types count translation pairs: the untranslated bead of `one` only under its status
    assert "| paragraph | 10 | 9 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 9 | 0 | 1 |" in card
    assert "language_creators:\n- found\n" in card  # every text was published by others
    assert "- `demo_books/one`, `demo_books/two`: Written for the tests; CC0." in card  # a shared rights statement once
    assert "GPT-4" not in card  # nothing in a card is written for one article
    # `bicorpus build` leaves a fetched collection to `fetch`
    assert cli.main(["build", "--root", str(root), "--doc", "demo_books/one", "--quiet"]) == 0
    assert "build it with `bicorpus fetch demo_books`" in capsys.readouterr().err


@needs_dpkg
def test_fetch_refuses_a_package_or_page_that_changed(tmp_path, capsys):
    root, cache = tmp_path / "project", tmp_path / "cache"
    name = make_collection(root, cache)
    _sentence_beads(root, cache)
    recipe = root / "corpus" / name / "recipe.yaml"
    data = yaml.safe_load(recipe.read_text())
    data["packages"][0]["sha256"] = "0" * 64
    recipe.write_text(yaml.safe_dump(data))
    assert cli.main(["fetch", name, "--root", str(root), "--cache", str(cache), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "the recipe pins 000" in err and "Traceback" not in err


@needs_dpkg
def test_a_stand_off_file_may_not_carry_claim_text(tmp_path, capsys):
    root, cache = tmp_path / "project", tmp_path / "cache"
    name = make_collection(root, cache)
    _sentence_beads(root, cache)
    doc = root / "corpus" / name / "two" / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("claims: not_annotated", "") + "claims: annotated\n", encoding="utf-8")
    ann = root / "annotations" / name / "two"
    claim = {"id": "demo_books/two/p001-c01", "zh_sentence_id": "demo_books/two/zh-p001-s00", "zh_start": 0, "zh_end": 6,
             "zh_text": "另一个工具随", "en_sentence_id": "demo_books/two/en-p001-s00", "en_start": 0, "en_end": 21,
             "claim_type": "reported_fact", "source_chain": ["author"], "author_stance": "own", "hedge": "certain",
             "polarity": "positive", "note": ""}
    (ann / "claims.jsonl").write_text(json.dumps(claim, ensure_ascii=False, separators=(", ", ": ")) + "\n", encoding="utf-8")
    for empty in ("entity_mentions", "numbers", "cues", "non_mentions", "claim_free", "translation_notes", "outcomes"):
        (ann / f"{empty}.jsonl").write_text("")
    code = cli.main(["fetch", name, "--root", str(root), "--cache", str(cache), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "claims.jsonl:1: zh_text: a document fetched from a package keeps no text of its claims" in err


def test_a_fetched_document_without_its_package_names_the_command(tmp_path, capsys):
    from bicorpus.problems import CorpusError
    from bicorpus.sources.capture import read_document

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent.parent / "corpus" / "debian_handbook", root / "corpus" / "debian_handbook")
    shutil.copytree(Path(__file__).parent.parent / "annotations" / "debian_handbook", root / "annotations" / "debian_handbook")
    with pytest.raises(CorpusError) as err:
        read_document(root / "corpus", root / "annotations", "debian_handbook/foreword")
    assert "which is not fetched: run `bicorpus fetch`" in str(err.value)


def test_a_package_unpacked_by_two_processes_at_once_is_kept_whole(tmp_path, monkeypatch):
    # the other process's unpacking lands first, while this one unpacks: this one's copy is dropped, not nested in it
    from bicorpus.sources import recipes

    (tmp_path / "pkg_1.0.deb").write_bytes(b"deb")
    pin = recipes.PackagePin(manager="apt", name="pkg", version="1.0", sha256=hashlib.sha256(b"deb").hexdigest())
    target = tmp_path / "pkg_1.0"

    def unpack(command, check, capture_output):
        Path(command[-1], "book.html").write_text("ours")
        target.mkdir()
        (target / "book.html").write_text("theirs")
        (target / ".sha256").write_text(pin.sha256 + "\n")

    monkeypatch.setattr(recipes.subprocess, "run", unpack)
    assert recipes.unpacked(pin, tmp_path) == target
    assert (target / "book.html").read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg_1.0", "pkg_1.0.deb"]


@needs_dpkg
def test_exports_of_a_fetched_document_leave_out_what_their_format_cannot_hold_and_say_so(tmp_path, capsys):
    from translate.storage import tmx

    root, cache = tmp_path / "project", tmp_path / "cache"
    name = make_collection(root, cache)
    _sentence_beads(root, cache)
    assert cli.main(["fetch", name, "--root", str(root), "--cache", str(cache), "--out", str(tmp_path / "fetched"), "--quiet"]) == 0
    args = ["--root", str(root), "--cache", str(cache), "--doc", "demo_books/one"]
    out = tmp_path / "out"
    assert cli.main(["export", *args, "--format", "tmx", str(out)]) == 0
    assert "demo_books/one: 1 untranslated sentence beads" in capsys.readouterr().err
    store = tmx.tmxfile.parsestring((out / "demo_books" / "one.tmx").read_bytes())
    assert store.sourcelanguage == "en"  # the English is the original here
    assert [u.source for u in store.units][0] == "Chapter 1. A Small Tool"
    assert "This sentence is left in English." not in [u.target for u in store.units]
    assert cli.main(["export", *args, "--format", "moses", str(out)]) == 0
    capsys.readouterr()
    ids = (out / "demo_books" / "one.ids").read_text(encoding="utf-8").split()
    assert ids == [f"demo_books/one/sb{k:04d}" for k in range(5)]  # sb0005 is the untranslated one
    assert cli.main(["export", *args, "--format", "conll", str(out)]) == 0
    err = capsys.readouterr().err
    # no claim is annotated in this document yet: an all-O sentence would read as one with no span
    assert "demo_books/one: 12 sentences the gold annotation does not cover" in err
    assert (out / "demo_books" / "one.en.entity.conll").read_text(encoding="utf-8") == ""
