"""One gate: `build` refuses, writing nothing, on every corruption of an input that `validate`
rejects; every annotation and metadata file is corrupted in each way a careless edit or a
hostile input would (missing, a line given twice, a contradicting record, truncated, another
encoding), and the committed loader must come out of each refusal byte for byte untouched."""

import json
import re
from pathlib import Path

import pytest

from bicorpus.cli import main

DOC = "gpt4_article"
JSONL = {  # file -> (field, value) that makes a copy of its first record contradict it
    "annotations/entities.jsonl": ("name_en", "another name"),
    "annotations/cue_lexicon.jsonl": ("effect", "lowers"),
    f"annotations/{DOC}/entity_mentions.jsonl": ("entity_id", "concept:agi"),
    f"annotations/{DOC}/numbers.jsonl": ("value", 6.0),
    f"annotations/{DOC}/cues.jsonl": ("text", "rough"),
    f"annotations/{DOC}/non_mentions.jsonl": ("reason", "another reason"),
    f"annotations/{DOC}/claims.jsonl": ("claim_type", "evaluation"),
    f"annotations/{DOC}/claim_free.jsonl": ("reason", "transition"),
    f"annotations/{DOC}/translation_notes.jsonl": ("kind", "typo"),
    f"annotations/{DOC}/outcomes.jsonl": ("outcome", "did_not_come_true"),
}
OTHER = [f"annotations/{DOC}/paragraphs.align", f"annotations/{DOC}/sentences.align", "annotations/guidelines.md",
         f"corpus/{DOC}/document.yaml", f"corpus/{DOC}/capture.txt", f"corpus/{DOC}/en.txt", f"corpus/{DOC}/terms.txt"]
# A contradiction in a file that is not a list of records: a unit in two beads, a key whose
# value disagrees with the capture, a changed source text (its sha256 or the spans on it).
CONTRADICTIONS = {
    f"annotations/{DOC}/paragraphs.align": ("[7]:[7]\n", "[7]:[7]\n[7]:[8]\n"),
    f"annotations/{DOC}/sentences.align": ("[3]:[3]\n", "[3]:[3, 4]\n"),
    f"corpus/{DOC}/document.yaml": ("zh_word_count: 4316", "zh_word_count: 4316\nzh_word_count: 4000"),
    f"corpus/{DOC}/capture.txt": ("GPT-4", "GPT-5"),
    f"corpus/{DOC}/en.txt": ("GPT-4", "GPT-5"),
    f"corpus/{DOC}/terms.txt": ("GPT-4\n", "GPT-4\nGPT-3\n"),
}


def missing(path: Path):
    path.unlink()


def duplicated(path: Path):
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if i and text.strip() and not text.startswith("#"))
    lines.insert(line, lines[line])
    path.write_text("\n".join(lines), encoding="utf-8")


def contradicting(path: Path, relative: str):
    text = path.read_text(encoding="utf-8")
    if relative in JSONL:
        field, value = JSONL[relative]
        first, _, rest = text.partition("\n")
        other = json.loads(first)
        assert other[field] != value
        other[field] = value
        path.write_text(first + "\n" + json.dumps(other, ensure_ascii=False, separators=(", ", ": ")) + "\n" + rest,
                        encoding="utf-8")
        return
    old, new = CONTRADICTIONS[relative]
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def truncated(path: Path):
    data = path.read_bytes()
    cut = len(data) // 2
    while data[cut - 1:cut] == b"\n" or (data[cut] & 0xC0) == 0x80:  # mid-line, on a character boundary
        cut += 1
    path.write_bytes(data[:cut])


def wrong_encoding(path: Path):
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gbk", "replace") if not text.isascii() else text.encode("utf-16"))


def cases():
    for relative in list(JSONL) + OTHER:
        modes = ["missing", "duplicated", "contradicting", "truncated", "wrong_encoding"]
        if relative.endswith("guidelines.md"):
            modes = ["missing", "truncated", "wrong_encoding"]  # prose: a line given twice is no error
        if relative.endswith("terms.txt"):
            modes.remove("missing")  # optional: a document without names kept whole has none
        for mode in modes:
            yield pytest.param(relative, mode, id=f"{mode}-{relative.rsplit('/', 1)[-1]}")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("relative, mode", list(cases()))
def test_build_refuses_a_corrupt_input_and_leaves_the_loader_untouched(project_copy, capsys, relative, mode):
    loaders = project_copy / "loaders"
    before, folders = snapshot(loaders), sorted(p.name for p in loaders.iterdir())
    path = project_copy / relative
    corrupt = {"missing": missing, "duplicated": duplicated, "truncated": truncated, "wrong_encoding": wrong_encoding,
               "contradicting": lambda p: contradicting(p, relative)}[mode]
    corrupt(path)
    code = main(["build", "--root", str(project_copy), "--doc", DOC, "--quiet"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "nothing written" in err and "Traceback" not in err
    assert snapshot(loaders) == before and sorted(p.name for p in loaders.iterdir()) == folders
    name = re.escape(path.name)
    if relative in JSONL and mode in ("duplicated", "contradicting"):
        assert re.search(rf"{name}:\d+: (\w+: )?(duplicate|contradicts line)", err), err
    elif mode == "missing":
        assert re.search(rf"{name}(:\d+)?: .*missing", err), err
    elif mode == "wrong_encoding":
        assert re.search(rf"{name}:\d+: not valid UTF-8", err), err
        if not path.read_bytes().startswith(b"\xff\xfe"):  # GBK, not UTF-16: a few bytes may read as big5 too
            assert re.search(r"it reads as (gb18030|gbk|gb2312|big5)", err), err


def test_an_empty_rejection_reason_is_refused(project_copy, capsys):
    path = project_copy / "annotations" / DOC / "non_mentions.jsonl"
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    record = json.loads(first)
    record["reason"] = "  "
    path.write_text(json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n" + rest, encoding="utf-8")
    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert re.search(r"non_mentions\.jsonl:1: reason: empty", capsys.readouterr().err)


def test_an_impossible_outcome_date_is_refused(project_copy, capsys):
    path = project_copy / "annotations" / DOC / "outcomes.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"as_of": "2023-03-15"', '"as_of": "2023-13-45"', 1), encoding="utf-8")
    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert re.search(r"outcomes\.jsonl:1: as_of: '2023-13-45' is not a calendar date", capsys.readouterr().err)


def test_a_file_in_another_encoding_is_named_with_its_encoding(project_copy, capsys):
    path = project_copy / "corpus" / DOC / "capture.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert re.search(r"capture\.txt:\d+: not valid UTF-8 \(byte 0x[0-9a-f]{2}: .*\); it reads as (gb2312|gbk|gb18030)",
                     capsys.readouterr().err)


def test_an_oversized_line_is_refused_naming_file_and_line(project_copy, capsys):
    """spaCy refuses a text past 1,000,000 characters with a traceback; the limit comes first."""
    path = project_copy / "corpus" / DOC / "en.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = "word " * 30_000
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["build", "--root", str(project_copy), "--doc", DOC, "--quiet"]) == 1
    assert re.search(r"en\.txt:4: line of 150,000 characters, more than the limit of 100,000", capsys.readouterr().err)
    assert main(["--max-line-chars", "200000", "build", "--root", str(project_copy), "--doc", DOC, "--quiet"]) == 1
    assert "line of 150,000" not in capsys.readouterr().err  # the limit is configurable; the beads no longer fit


def test_an_address_that_is_no_url_is_refused(project_copy, capsys):
    path = project_copy / "corpus" / DOC / "document.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"original_url: \S+", "original_url: https:/towardsdatascience.com", text), encoding="utf-8")
    assert main(["build", "--root", str(project_copy), "--doc", DOC, "--quiet"]) == 1
    assert re.search(r"document\.yaml:\d+: original_url: an http\(s\) address", capsys.readouterr().err)
