"""A newcomer's path: `bicorpus new` from an HTML page and a Markdown translation, review
with `show`, `accept`, then `build` and `validate`, all in a throwaway project. The article
and its translation are our own, written for this test."""

import hashlib
import re
import shutil

import pytest

from bicorpus.cli import main
from bicorpus.sources.capture import list_documents, parse_metadata, read_source

ZH_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>城市屋顶上的蜜蜂</title>
</head>
<body>
<nav><a href="/">首页</a> | <a href="/about">关于我们</a></nav>
<article>
<h1>城市屋顶上的蜜蜂</h1>
<h2>蜂箱里的数字</h2>
<p>每个蜂箱大约住着 40000 只意大利蜂（Apis mellifera ligustica）。一个好年份里，一个蜂箱能产出 25 公斤蜂蜜。</p>
<p>去年夏天最热的时候，气温达到了 38 度。养蜂人每天给蜂箱旁的水盘加两次水。</p>
<h2>邻居们的看法</h2>
<p>起初，一些邻居担心被蜇。后来，他们开始在阳台上种薰衣草和百里香。</p>
<p>现在，这栋楼每年秋天都会举办一次品蜜会。去年共有 150 人参加。</p>
</article>
<footer>版权所有 © 示例网站</footer>
</body>
</html>
"""

EN_MD = """# Bees on the city's roofs

## The numbers in a hive

About 40,000 Italian bees (Apis mellifera ligustica) live in each hive. In a good year, one hive yields 25 kilograms of honey.

At the hottest point of last summer, the temperature reached 38 degrees. The beekeepers topped up the water trays beside the hives twice a day.

## What the neighbours think

At first, some neighbours worried about being stung. Later, they began to grow lavender and thyme on their balconies.

Now the building holds a honey tasting every autumn. Last year 150 people came.
"""

TODO_KEYS = ["original_author", "original_publication", "original_url", "zh.author", "zh.publisher", "zh.licence",
             "en.translator", "en.publisher", "en.licence", "rights", "card_rationale", "card_source_data",
             "card_personal_information", "card_limitations"]


@pytest.fixture()
def project(tmp_path, root):
    project = tmp_path / "project"
    (project / "annotations").mkdir(parents=True)
    for name in ("guidelines.md", "entities.jsonl", "cue_lexicon.jsonl"):
        shutil.copy(root / "annotations" / name, project / "annotations" / name)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "bees.html").write_text(ZH_HTML, encoding="utf-8")
    (inputs / "bees.md").write_text(EN_MD, encoding="utf-8")
    return project


def new(project, *extra, doc="bees", zh=None, en=None):
    inputs = project.parent / "inputs"
    return main(["new", "--root", str(project), doc, "--zh", str(zh or inputs / "bees.html"), "--en", str(en or inputs / "bees.md"),
                 "--original", "zh", "--en-role", "project_translation", *extra])


def fill_placeholders(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"TODO:[^"]*"', '"Written by the bicorpus developers for a test; CC0-1.0"', text)
    path.write_text(text.replace("https://example.org/TODO", "https://example.org/bees"), encoding="utf-8")


def test_newcomer_path_from_two_files_to_a_loader(project, capsys):
    import datasets

    inputs = project.parent / "inputs"
    assert new(project) == 0
    out = capsys.readouterr().out
    doc_dir, ann_dir = project / "corpus" / "bees", project / "annotations" / "bees"

    # the inputs, verbatim, and metadata that records them
    assert (doc_dir / "zh.html").read_bytes() == (inputs / "bees.html").read_bytes()
    assert (doc_dir / "en.md").read_bytes() == (inputs / "bees.md").read_bytes()
    meta, lines = parse_metadata(read_source(doc_dir / "document.yaml"))
    assert meta.doc_id == "bees" and meta.split == "train" and meta.claims == "not_annotated"
    assert (meta.title_zh, meta.title_en, meta.original_title) == ("城市屋顶上的蜜蜂", "Bees on the city's roofs", "城市屋顶上的蜜蜂")
    assert (meta.zh.role.value, meta.zh.cleaner, meta.en.role.value, meta.en.cleaner) == ("original", "html", "project_translation", "markdown")
    assert meta.zh.files[0].path == "zh.html" and meta.en.files[0].path == "en.md"
    assert meta.zh.files[0].sha256 == hashlib.sha256(ZH_HTML.encode("utf-8")).hexdigest()
    assert meta.en.files[0].sha256 == hashlib.sha256(EN_MD.encode("utf-8")).hexdigest()
    yaml_text = (doc_dir / "document.yaml").read_text(encoding="utf-8")
    assert yaml_text.count(': "TODO:') == len(TODO_KEYS) - 1  # the address is a placeholder URL
    assert "# The author or authors of the original work" in yaml_text

    # every bead proposed: title, 2 headings and 4 paragraphs a side; 11 sentences a side, 1-1
    paragraphs = (ann_dir / "paragraphs.align").read_text(encoding="utf-8").splitlines()
    sentences = (ann_dir / "sentences.align").read_text(encoding="utf-8").splitlines()
    assert paragraphs == [f"[{i}]:[{i}]\tproposed" for i in range(7)]
    assert sentences == [f"[{i}]:[{i}]\tproposed" for i in range(11)]
    assert "7 paragraph beads proposed" in out and "11 sentence beads proposed" in out
    for key in TODO_KEYS:
        assert f": {key}\n" in out
    for command in ("bicorpus show", "bicorpus accept", "bicorpus build", "bicorpus validate"):
        assert command in out

    # validate names the proposed beads and every placeholder
    assert main(["validate", "--root", str(project), "--doc", "bees"]) == 1
    err = capsys.readouterr().err
    assert "paragraphs.align:1: bead: proposed by the aligner, not reviewed yet; 7 beads" in err
    assert "sentences.align:1: bead: proposed by the aligner, not reviewed yet; 11 beads" in err
    for key in TODO_KEYS:
        assert f"document.yaml:{lines[key]}: {key}: still a placeholder" in err

    # show: numbered units under the bead line they belong to, without counting
    assert main(["show", "--root", str(project), "bees", "--level", "sentence"]) == 0
    shown = capsys.readouterr().out
    assert re.search(r"paragraph +3  \[2\]:\[2\]  1-1  proposed\n  sentence +3  \[2\]:\[2\]  1-1  proposed\n"
                     r" +zh s2: 每个蜂箱大约住着 40000 只意大利蜂（Apis mellifera ligustica）。\n"
                     r" +en s2: About 40,000 Italian bees \(Apis mellifera ligustica\) live in each hive\.\n", shown)
    assert main(["show", "--root", str(project), "bees"]) == 0
    assert "en p4: What the neighbours think" in capsys.readouterr().out

    # the review: fill the placeholders, accept two beads, then the rest
    fill_placeholders(doc_dir / "document.yaml")
    assert main(["accept", "--root", str(project), "bees", "--level", "paragraph", "--beads", "1,2"]) == 0
    assert "accepted 2 bead(s), 5 still proposed" in capsys.readouterr().out
    assert (ann_dir / "paragraphs.align").read_text(encoding="utf-8").startswith("[0]:[0]\n[1]:[1]\n[2]:[2]\tproposed\n")
    assert main(["accept", "--root", str(project), "bees"]) == 0
    out = capsys.readouterr().out
    assert "paragraphs.align: accepted 5 bead(s), 0 still proposed" in out
    assert "sentences.align: accepted 11 bead(s), 0 still proposed" in out
    assert "proposed" not in (ann_dir / "paragraphs.align").read_text(encoding="utf-8") + (ann_dir / "sentences.align").read_text(encoding="utf-8")

    assert main(["build", "--root", str(project), "--doc", "bees", "--out", str(project / "loaders"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["validate", "--root", str(project), "--doc", "bees"]) == 0, capsys.readouterr().err
    rows = datasets.load_dataset(str(project / "loaders" / "bees"), "paragraphs", split="train")
    assert rows.num_rows == 14
    english = rows.features["language"].str2int("en")
    assert [r["text"] for r in rows if r["language"] == english][2].startswith("About 40,000 Italian bees")


def test_a_byte_order_mark_stays_in_the_copy_and_out_of_the_text(project, capsys):
    """An editor's UTF-8 byte order mark: the copy is verbatim (and its sha256 that of the file),
    but no paragraph of the built document starts with it, and the Markdown title is a title."""
    from bicorpus.pipeline.build import load_inputs, process_document
    from bicorpus.schema import ParagraphKind

    inputs = project.parent / "inputs"
    for name in ("bees.html", "bees.md"):
        (inputs / name).write_bytes(b"\xef\xbb\xbf" + (inputs / name).read_bytes())
    assert new(project) == 0, capsys.readouterr().err
    doc_dir = project / "corpus" / "bees"
    assert (doc_dir / "en.md").read_bytes() == (inputs / "bees.md").read_bytes()
    meta, _ = parse_metadata(read_source(doc_dir / "document.yaml"))
    assert (meta.title_zh, meta.title_en) == ("城市屋顶上的蜜蜂", "Bees on the city's roofs")
    assert meta.en.files[0].sha256 == hashlib.sha256((inputs / "bees.md").read_bytes()).hexdigest()
    built = process_document(*load_inputs(project / "corpus", project / "annotations", "bees"))
    paragraphs = built.rows["paragraphs"]
    assert not [p.text for p in paragraphs if "\ufeff" in p.text]
    firsts = {p.language.value: p for p in paragraphs if p.index == 0}
    assert firsts["en"].text == "Bees on the city's roofs" and firsts["en"].kind is ParagraphKind.TITLE
    assert firsts["zh"].kind is ParagraphKind.TITLE


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("side, content, expected", [
    ("zh", None, "file is missing"),
    ("zh", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid UTF-8"),
    ("en", b"\x00\x01\x02\x03", "a NUL byte: this is a binary file, not text"),
    ("zh", b"", "file is empty"),
    ("en", b" \n\n", "file is empty"),
    ("zh", b"<html><body><script>var x = 1;</script></body></html>\n", "html cleaner: trafilatura found no article body"),
    ("en", b"![a picture](bees.png)\n", "markdown cleaner: no text found"),
])
def test_new_refuses_a_bad_input_file(project, capsys, side, content, expected):
    name = "bad." + ("html" if side == "zh" else "md")
    path = project.parent / "inputs" / name
    if content is not None:
        path.write_bytes(content)
    assert new(project, **{side: path}) == 1
    line = one_error_line(capsys)
    assert name in line and expected in line
    assert not (project / "corpus").exists() and not (project / "annotations" / "bees").exists()


def test_new_refuses_an_existing_document_unless_forced(project, capsys):
    assert new(project) == 0
    capsys.readouterr()
    assert new(project) == 1
    line = one_error_line(capsys)
    assert "corpus/bees" in line and "already exists" in line and "--force" in line
    assert new(project, "--force") == 0


@pytest.mark.parametrize("zh, en, expected", [
    ("bees.md", "bees.html", "bees.md: --zh: has no Chinese while {inputs}/bees.html is mostly Chinese: the files look swapped"),
    ("bees.html", "bees.html", "bees.html: --en: the same text as {inputs}/bees.html (--zh)"),
    ("bees.html", "other.zh.md", "other.zh.md: --en: the text is mostly Chinese"),
    ("other.en.md", "bees.md", "other.en.md: --zh: the text has no Chinese characters, not zh"),
])
def test_new_refuses_files_in_the_wrong_language(project, capsys, zh, en, expected):
    """The check of `bicorpus align`, on the cleaned text (an HTML page's markup is Latin
    letters whatever its language), before anything is written."""
    inputs = project.parent / "inputs"
    (inputs / "other.zh.md").write_text("# 另一篇文章\n\n这是另一篇中文文章的第一段。\n", encoding="utf-8")
    (inputs / "other.en.md").write_text("# Another article\n\nThe first paragraph of another English article.\n", encoding="utf-8")
    assert new(project, zh=inputs / zh, en=inputs / en) == 1
    assert expected.format(inputs=inputs) in one_error_line(capsys)
    assert not (project / "corpus").exists() and not (project / "annotations" / "bees").exists()


def tree(folder) -> dict:
    """Every file below a folder (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def other_pair(project):
    """Another pair of files, of other types than bees.html and bees.md."""
    inputs = project.parent / "inputs"
    (inputs / "hive.zh.txt").write_text("蜂箱\n\n蜂箱里住着很多蜜蜂。\n", encoding="utf-8")
    (inputs / "hive.en.txt").write_text("The hive\n\nMany bees live in the hive.\n", encoding="utf-8")
    return {"zh": inputs / "hive.zh.txt", "en": inputs / "hive.en.txt"}


def test_force_replaces_the_document_whole(project, capsys):
    """No input, document.yaml or terms.txt of the replaced document is left beside the new ones,
    and what goes is named."""
    assert new(project) == 0
    doc_dir, ann_dir = project / "corpus" / "bees", project / "annotations" / "bees"
    (doc_dir / "terms.txt").write_text("Apis mellifera\n", encoding="utf-8")
    capsys.readouterr()
    assert new(project, "--force", **other_pair(project)) == 0
    out = capsys.readouterr().out
    assert sorted(tree(doc_dir)) == ["document.yaml", "en.txt", "zh.txt"]
    assert sorted(tree(ann_dir)) == ["paragraphs.align", "sentences.align"]
    removed = next(line for line in out.splitlines() if line.startswith("removed "))
    assert all(name in removed for name in ("bees/zh.html", "bees/en.md", "bees/terms.txt")), out
    meta, _ = parse_metadata(read_source(doc_dir / "document.yaml"))
    assert (meta.zh.files[0].path, meta.en.files[0].path, meta.title_en) == ("zh.txt", "en.txt", "The hive")
    # the staging folders were swapped in, none is left beside the document
    assert [p.name for p in (project / "corpus").iterdir()] == ["bees"]
    assert sorted(p.name for p in (project / "annotations").iterdir() if p.is_dir()) == ["bees"]


@pytest.mark.parametrize("work, expected", [
    ("accept", "paragraphs.align (1 reviewed bead(s))"),
    ("claims", "claims.jsonl"),
    ("folder", "agreement/"),
])
def test_force_refuses_to_destroy_reviewed_work(project, capsys, work, expected):
    assert new(project) == 0
    if work == "accept":
        assert main(["accept", "--root", str(project), "bees", "--level", "paragraph", "--beads", "2"]) == 0
    elif work == "claims":
        (project / "annotations" / "bees" / "claims.jsonl").write_text("", encoding="utf-8")
    else:
        (project / "annotations" / "bees" / "agreement").mkdir()
    capsys.readouterr()
    before = {folder: tree(project / folder / "bees") for folder in ("corpus", "annotations")}
    assert new(project, "--force", **other_pair(project)) == 1
    line = one_error_line(capsys)
    assert "bees: --force: `bicorpus new` replaces only what it wrote and nobody reviewed since" in line
    assert f"annotations/bees/: {expected}" in line and "Nothing was written" in line
    assert {folder: tree(project / folder / "bees") for folder in ("corpus", "annotations")} == before


@pytest.mark.parametrize("doc, expected", [
    ("gpt4_article", ["annotations/gpt4_article/: agreement/, claim_free.jsonl, claims.jsonl", "paragraphs.align (54 reviewed",
                      "sentences.align (114 reviewed"]),
    ("debian_handbook", ["corpus/debian_handbook/: case_study/", "recipe.yaml (in no document"]),
])
def test_force_leaves_the_corpus_documents_alone(project_copy, capsys, doc, expected):
    """The corpus' own document and collection: gold beads, annotations, other documents and a recipe."""
    inputs = project_copy / "inputs"
    inputs.mkdir()
    (inputs / "zh.txt").write_text("标题\n\n第一段。\n", encoding="utf-8")
    (inputs / "en.txt").write_text("Title\n\nThe first paragraph.\n", encoding="utf-8")
    before = {folder: tree(project_copy / folder / doc) for folder in ("corpus", "annotations")}
    assert main(["new", "--root", str(project_copy), doc, "--zh", str(inputs / "zh.txt"), "--en", str(inputs / "en.txt"),
                 "--force"]) == 1
    line = one_error_line(capsys)
    assert all(part in line for part in expected), line
    assert {folder: tree(project_copy / folder / doc) for folder in ("corpus", "annotations")} == before


def test_a_write_failing_midway_leaves_the_replaced_document_whole(project, capsys, monkeypatch):
    from bicorpus.pipeline import new_document

    assert new(project) == 0
    before = {folder: tree(project / folder) for folder in ("corpus", "annotations")}
    written = []

    def failing(path, data, **options):
        if written:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        return write_atomic(path, data, **options)

    write_atomic = new_document.write_atomic
    monkeypatch.setattr(new_document, "write_atomic", failing)
    assert new(project, "--force", **other_pair(project)) == 1
    assert "No space left on device" in one_error_line(capsys)
    assert {folder: tree(project / folder) for folder in ("corpus", "annotations")} == before


def test_a_staging_folder_left_by_an_interrupted_run_is_removed(project, capsys):
    left = project / "corpus" / ".bees.bicorpus-new-x1"
    left.mkdir(parents=True)
    (left / "document.yaml").write_text("doc_id: bees\n", encoding="utf-8")
    assert list_documents(project / "corpus") == []  # not taken for a document meanwhile
    assert new(project) == 0
    assert not left.exists() and f"removed {left}, left by an interrupted `bicorpus new`" in capsys.readouterr().err


@pytest.mark.parametrize("doc, extra, expected", [
    ("Bees", [], "DOC_ID: must be `name` or `collection/name`"),
    ("bees", ["--en-role", "translation", "--original", "en"], "the side in the original language cannot be a translation"),
])
def test_new_refuses_a_bad_id_or_roles(project, capsys, doc, extra, expected):
    assert new(project, *extra, doc=doc) == 1
    assert expected in one_error_line(capsys)
    assert not (project / "corpus").exists()


@pytest.mark.parametrize("argv, expected", [
    (["show", "nobody"], "corpus/nobody/document.yaml: no document 'nobody' here"),
    (["accept", "nobody"], "corpus/nobody/document.yaml: no document 'nobody' here"),
    (["accept", "bees", "--level", "paragraph", "--beads", "0"], "--beads: expected bead line numbers like 1,4,5"),
    (["accept", "bees", "--level", "paragraph", "--beads", "1,x"], "--beads: expected bead line numbers like 1,4,5"),
    (["accept", "bees", "--level", "sentence", "--beads", "3,12"], "sentences.align: --beads: no bead on line 12: the file has 11"),
    (["accept", "bees", "--beads", "1"], "--beads: bead numbers are lines of one file: give --level paragraph or sentence"),
])
def test_show_and_accept_refuse_unknown_documents_and_bead_numbers(project, capsys, argv, expected):
    assert new(project) == 0
    capsys.readouterr()
    before = (project / "annotations" / "bees" / "sentences.align").read_bytes()
    assert main([argv[0], "--root", str(project), *argv[1:]]) == 1
    assert expected in one_error_line(capsys)
    assert (project / "annotations" / "bees" / "sentences.align").read_bytes() == before
