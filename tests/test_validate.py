"""`bicorpus validate` passes on the committed project and fails, naming file, line and field,
on each kind of corruption of a copy."""

import json
import re

import pytest

from bicorpus.cli import main

DOC = "gpt4_article"


def run_validate(root, capsys):
    code = main(["validate", "--root", str(root)])
    return code, capsys.readouterr().err


def test_validate_passes_on_the_project(root, capsys):
    code = main(["validate", "--root", str(root)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "gpt4_article: valid" in out.out


def test_validate_skips_a_collection_whose_package_is_not_fetched(project_copy, tmp_path, capsys):
    """A fresh clone has no package in its cache: validate says so in one line and does not fail."""
    code = main(["validate", "--root", str(project_copy), "--doc", "debian_handbook/case_study",
                 "--cache", str(tmp_path / "empty-cache")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert re.fullmatch(r"skipped debian_handbook: package debian-handbook=\S+ is not fetched into \S+; "
                        r"run `bicorpus fetch debian_handbook` to validate it\n", out.err), out.err
    assert "valid" not in out.out


def edit_jsonl(root, config, line, change):
    path = root / "loaders" / DOC / "data" / f"{config}.jsonl"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = json.loads(lines[line - 1])
    change(row)
    lines[line - 1] = json.dumps(row, ensure_ascii=False, separators=(", ", ": "))
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_text(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def corrupt_sentence_text(root):
    edit_jsonl(root, "sentences", 5, lambda r: r.update(text=r["text"] + "X"))


def corrupt_duplicate_id(root):
    edit_jsonl(root, "paragraphs", 3, lambda r: r.update(id="gpt4_article/zh-p000"))


def corrupt_empty_text(root):
    edit_jsonl(root, "paragraphs", 9, lambda r: r.update(text=" "))


def corrupt_raw_offset(root):
    edit_jsonl(root, "sentences", 7, lambda r: r.update(raw_start=r["raw_start"] + 1))


def corrupt_token_offsets(root):
    edit_jsonl(root, "sentences", 4, lambda r: r.update(token_starts=[s + 1 for s in r["token_starts"]]))


def corrupt_aligned_ids(root):
    edit_jsonl(root, "sentences", 10, lambda r: r.update(aligned_ids=["gpt4_article/en-p000-s00"]))


def corrupt_type(root):
    edit_jsonl(root, "paragraphs", 2, lambda r: r.update(index="one"))


def corrupt_label(root):
    edit_jsonl(root, "paragraphs", 2, lambda r: r.update(kind="chapter"))


def corrupt_region_tiling(root):
    edit_jsonl(root, "capture_regions", 6, lambda r: r.update(raw_start=r["raw_start"] + 2))


def corrupt_chrome_leak(root):
    edit_jsonl(root, "paragraphs", 12, lambda r: r.update(text=r["text"] + "李冬梅 加V:busulishang4668"))


def corrupt_stale_card(root):
    edit_text(root / "loaders" / DOC / "README.md", "## Dataset Summary", "## Summary")


def corrupt_missing_config(root):
    (root / "loaders" / DOC / "data" / "translation.jsonl").unlink()


def corrupt_paragraph_alignment(root):
    edit_text(root / "annotations" / DOC / "paragraphs.align", "[7]:[7]\n", "")


def corrupt_sentence_order(root):
    edit_text(root / "annotations" / DOC / "sentences.align", "[10]:[10]\n[11]:[11]\n", "[11]:[10]\n[10]:[11]\n")


def corrupt_bead_syntax(root):
    edit_text(root / "annotations" / DOC / "sentences.align", "[3]:[3]\n", "[3]-[3]\n")


def corrupt_bead_crossing_paragraphs(root):
    edit_text(root / "annotations" / DOC / "sentences.align", "[13]:[13]\n[14]:[14]\n", "[13, 14]:[13, 14]\n")


def corrupt_capture(root):
    edit_text(root / "corpus" / DOC / "capture.txt", "GPE-3", "GPT-3")


def corrupt_metadata(root):
    edit_text(root / "corpus" / DOC / "document.yaml", "zh_word_count: 4316", "zh_word_count: 4317")


def corrupt_english_empty_line(root):
    edit_text(root / "corpus" / DOC / "en.txt", "Let us now look at the specific predictions about GPT-4.\n",
              "Let us now look at the specific predictions about GPT-4.\n\n")


def corrupt_terms_order(root):
    edit_text(root / "corpus" / DOC / "terms.txt", "DALL·E\n", "")
    path = root / "corpus" / DOC / "terms.txt"
    path.write_text(path.read_text(encoding="utf-8") + "DALL·E\n", encoding="utf-8")


CASES = [
    (corrupt_sentence_text, r"sentences\.jsonl:5: start: documents\.zh_text\[\d+:\d+\] does not equal text"),
    (corrupt_duplicate_id, r"paragraphs\.jsonl:3: id: duplicate id 'gpt4_article/zh-p000' \(first on line 1\)"),
    (corrupt_empty_text, r"paragraphs\.jsonl:9: text: empty text"),
    (corrupt_raw_offset, r"sentences\.jsonl:7: raw_start: the raw zh source\[\d+:\d+\] does not equal text"),
    (corrupt_token_offsets, r"sentences\.jsonl:4: token_starts: token 0"),
    (corrupt_aligned_ids, r"sentences\.jsonl:10: aligned_ids: .* differs from bead"),
    (corrupt_type, r"paragraphs\.jsonl:2: index: value 'one' does not fit type"),
    (corrupt_label, r"paragraphs\.jsonl:2: kind: value 'chapter' does not fit type"),
    (corrupt_region_tiling, r"capture_regions\.jsonl:6: raw_start: is \d+, expected \d+: regions must tile the capture"),
    (corrupt_chrome_leak, r"paragraphs\.jsonl:12: text: page chrome reached the data: '李冬梅 加V:busulishang4668'"),
    (corrupt_stale_card, r"README\.md:\d+: differs from a fresh build"),
    (corrupt_missing_config, r"translation\.jsonl: data file of config 'translation' is missing"),
    (corrupt_paragraph_alignment, r"paragraphs\.align:8: zh: expected paragraph 7, found 8"),
    (corrupt_sentence_order, r"sentences\.align:11: zh: expected sentence 10, found 11"),
    (corrupt_bead_syntax, r"sentences\.align:4: bead: expected '\[zh indices\]:\[en indices\]'"),
    (corrupt_bead_crossing_paragraphs, r"sentences\.align:14: bead: sentences from different paragraph beads"),
    (corrupt_capture, r"document\.yaml:\d+: zh\.files\.0\.sha256: .*capture\.txt has sha256"),
    (corrupt_metadata, r"document\.yaml:\d+: zh_word_count: is 4317 but the capture says 4316"),
    (corrupt_english_empty_line, r"en\.txt:7: text: empty paragraph"),
    (corrupt_terms_order, r"terms\.txt: term: terms must be sorted and unique"),
]


@pytest.mark.parametrize("corrupt, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_each_corruption_is_caught_with_file_line_and_field(project_copy, capsys, corrupt, expected):
    corrupt(project_copy)
    code, err = run_validate(project_copy, capsys)
    assert code == 1
    assert re.search(expected, err), err
