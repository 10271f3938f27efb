"""No raw traceback from any command: each subcommand run outside the project, and each
command that reads a file of the user's given a missing, empty, binary, non-UTF-8 or
oversized one, says what is wrong in one line and exits non-zero."""

import re
import subprocess
import sys

import pytest

from bicorpus.cli import main, make_parser

DOC = "gpt4_article"


def subcommands() -> list[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = []
    for name, command in sub.choices.items():
        actions = [a for a in command._actions if a.dest == "action"]
        names += [f"{name} {action}" for a in actions for action in a.choices] if actions else [name]
    return sorted(names)


# the least each subcommand needs to get past argparse
ARGUMENTS = {
    "accept": ["some_doc"], "align": ["{zh}", "{en}"], "align-many": ["{zh}", "{out}/aligned.jsonl"], "annotations fill": [], "annotations propose": [], "build": [],
    "evaluate": ["--pred", "{zh}"], "export": ["--format", "jsonl", "{out}"], "extract": ["--out", "{out}/p.jsonl"],
    "fetch": ["debian_handbook"], "ingest-original": ["{en}"], "new": ["some_doc", "--zh", "{zh}", "--en", "{en}"],
    "show": ["some_doc"], "stats": ["{out}"], "train": ["--out", "{out}/model"], "validate": [], "view": ["{out}"],
}


def one_line_error(capsys, argv) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    lines = err.strip().split("\n")
    assert code != 0 and len(lines) == 1 and "Traceback" not in err, (argv, code, err)
    return lines[0]


def test_every_subcommand_is_covered():
    assert set(subcommands()) == set(ARGUMENTS)


@pytest.mark.parametrize("command", sorted(set(ARGUMENTS) - {"align", "align-many", "new"}))
def test_outside_the_project_each_command_says_how_to_point_at_it(tmp_path, monkeypatch, capsys, command):
    (tmp_path / "zh.txt").write_text("中文。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("English.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = command.split() + [a.format(zh=tmp_path / "zh.txt", en=tmp_path / "en.txt", out=tmp_path / "out")
                              for a in ARGUMENTS[command]]
    line = one_line_error(capsys, argv)
    assert "no project folder (one holding corpus/ and annotations/) here or above" in line and "--root" in line


def test_inside_a_subfolder_of_the_project_the_root_is_found(root, monkeypatch, capsys):
    monkeypatch.chdir(root / "corpus" / DOC)
    assert main(["show", DOC, "--level", "paragraph"]) == 0
    assert "[0]:[0]" in capsys.readouterr().out


def bad_inputs(tmp_path) -> dict:
    inputs = {"missing": tmp_path / "missing.txt", "empty": tmp_path / "empty.txt", "binary": tmp_path / "binary.bin",
              "non_utf8": tmp_path / "gbk.txt", "oversized": tmp_path / "long.txt"}
    inputs["empty"].write_bytes(b"")
    inputs["binary"].write_bytes(bytes(range(256)) * 8)
    inputs["non_utf8"].write_bytes("这是一个用国标码写的中文段落，不是统一码。\n".encode("gbk") * 20)
    inputs["oversized"].write_text("a" * 2_000 + "\n", encoding="utf-8")
    return inputs


EXPECTED = {"missing": r"missing\.txt: (file is missing|No such file)", "empty": r"empty\.txt: file is empty",
            "binary": r"binary\.bin:2: not valid UTF-8 \(byte 0x80\): a binary file",
            "non_utf8": r"gbk\.txt:1: not valid UTF-8 \(byte 0x[0-9a-f]{2}: .*\); it reads as \w+",
            "oversized": r"long\.txt:1: line of 2,000 characters, more than the limit of 1,000 \(set BICORPUS_MAX_LINE_CHARS"}
# (command, the kinds of bad input it must refuse in one line) for commands that read a user's file
READERS = {
    "align": ("missing", "empty", "binary", "non_utf8", "oversized"),
    "align-many": ("missing", "binary", "non_utf8"),  # its line limit is on each unit (tests/test_align_many.py)
    "evaluate": ("missing", "binary", "non_utf8", "oversized"),
    "ingest-original": ("missing", "empty", "binary", "non_utf8", "oversized"),
    "new": ("missing", "empty", "binary", "non_utf8", "oversized"),
    "extract": ("missing", "binary", "non_utf8", "oversized"),
}


@pytest.mark.parametrize("command, kind", [(c, k) for c, kinds in READERS.items() for k in kinds])
def test_a_bad_input_file_is_one_line(root, tmp_path, capsys, command, kind):
    bad = bad_inputs(tmp_path)[kind]
    good = tmp_path / "good.txt"
    good.write_text("A line.\n", encoding="utf-8")
    argv = {"align": ["align", str(bad), str(good)],
            "align-many": ["align-many", str(bad), str(tmp_path / "out.jsonl")],
            "evaluate": ["evaluate", "--root", str(root), "--doc", DOC, "--pred", str(bad)],
            "ingest-original": ["ingest-original", "--root", str(root), "--doc", DOC, str(bad), "--out", str(tmp_path / "local")],
            "new": ["new", "--root", str(tmp_path / "project"), "some_doc", "--zh", str(bad), "--en", str(good)],
            "extract": ["extract", "--root", str(root), "--doc", DOC, "--text", str(bad), "--lang", "zh",
                        "--out", str(tmp_path / "p.jsonl")]}[command]
    line = one_line_error(capsys, ["--max-line-chars", "1000", *argv])
    assert re.search(EXPECTED[kind], line), line


def test_a_limit_must_be_positive(capsys):
    assert "--max-line-chars: must be positive, not 0" in one_line_error(capsys, ["--max-line-chars", "0", "validate"])
    assert "--max-file-mb: must be a finite number, not inf" in one_line_error(capsys, ["--max-file-mb", "inf", "validate"])


@pytest.mark.parametrize("variable, value, said", [
    ("BICORPUS_MAX_LINE_CHARS", "abc", "BICORPUS_MAX_LINE_CHARS: must be a whole number, not 'abc'"),
    ("BICORPUS_MAX_LINE_CHARS", "-5", "BICORPUS_MAX_LINE_CHARS: must be positive, not -5"),
    ("BICORPUS_MAX_FILE_MB", "0", "BICORPUS_MAX_FILE_MB: must be positive, not 0"),
    ("BICORPUS_MAX_FILE_MB", "nan", "BICORPUS_MAX_FILE_MB: must be a finite number, not nan"),
])
def test_a_limit_in_the_environment_is_checked_like_the_option(tmp_path, monkeypatch, capsys, variable, value, said):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("中文。\n", encoding="utf-8")
    en.write_text("English.\n", encoding="utf-8")
    monkeypatch.setenv(variable, value)
    assert one_line_error(capsys, ["align", str(zh), str(en)]) == said
    # the option, when given, is the limit: the variable is not read
    option = "--max-line-chars" if variable.endswith("CHARS") else "--max-file-mb"
    assert main([option, "1000", "align", str(zh), str(en)]) == 0


def test_the_process_prints_no_traceback(tmp_path):
    """The console script itself, outside the project: one line on stderr, exit 1."""
    done = subprocess.run([sys.executable, "-m", "bicorpus.cli", "validate"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1 and len(done.stderr.strip().split("\n")) == 1 and "Traceback" not in done.stderr, done.stderr


def test_a_limit_given_on_the_command_line_lasts_one_command(tmp_path, capsys):
    long_zh, long_en = tmp_path / "long.zh.txt", tmp_path / "long.en.txt"
    long_zh.write_text("中" * 2_000 + "\n", encoding="utf-8")
    long_en.write_text("a" * 2_000 + "\n", encoding="utf-8")
    assert main(["--max-line-chars", "1000", "align", str(long_zh), str(long_en)]) == 1
    capsys.readouterr()
    assert main(["align", str(long_zh), str(long_en)]) == 0


def test_view_onto_an_existing_file_is_one_line(root, tmp_path, capsys):
    target = tmp_path / "a_file"
    target.write_text("")
    assert "a_file: outdir: is a file, not a folder" in one_line_error(capsys, ["view", "--root", str(root), "--doc", DOC, str(target)])


def test_a_0xff_byte_in_a_loader_file_is_named(project_copy, capsys):
    with open(project_copy / "loaders" / DOC / "data" / "claims.jsonl", "ab") as data:
        data.write(b"\xff")
    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert "claims.jsonl: not valid UTF-8" in capsys.readouterr().err


def test_plainly_wrong_inputs_are_refused(root, tmp_path, capsys):
    """Sides swapped, one file or one language on both sides, an inventory folder without
    entities.jsonl, a Chinese page given as the English original: each named by the argument
    the usage calls it (align has no --lang)."""
    zh, en, other_zh = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "other.txt"
    zh.write_text("这是第一段。\n这是第二段。\n", encoding="utf-8")
    en.write_text("This is the first paragraph.\nThis is the second.\n", encoding="utf-8")
    other_zh.write_text("这是另一篇文章。\n", encoding="utf-8")
    assert f"{en}: ZH_FILE: has no Chinese while {zh} is mostly Chinese: the files look swapped" in one_line_error(capsys, ["align", str(en), str(zh)])
    assert f"{zh}: EN_FILE: the same text as {zh} (ZH_FILE)" in one_line_error(capsys, ["align", str(zh), str(zh)])
    assert f"{other_zh}: EN_FILE: the text is mostly Chinese" in one_line_error(capsys, ["align", str(zh), str(other_zh)])
    assert main(["align", str(zh), str(en), "--inventory", str(tmp_path)]) == 1
    assert "no entities.jsonl in this folder" in capsys.readouterr().err
    argv = ["ingest-original", "--root", str(root), "--doc", DOC, str(zh), "--out", str(tmp_path / "local")]
    assert f"{zh}: PATH: the text is mostly Chinese" in one_line_error(capsys, argv)
    commands = next(a for a in make_parser()._actions if a.dest == "command").choices
    assert commands["align"].format_usage().rstrip().endswith("ZH_FILE EN_FILE")
    assert commands["ingest-original"].format_usage().rstrip().endswith("PATH")


def test_a_page_without_an_article_is_refused(root, tmp_path, capsys):
    page = tmp_path / "menu.html"
    page.write_text("<html><head><title>Site</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
                    "<li><a href='/about'>About us</a></li><li><a href='/blog'>Blog</a></li></ul></nav>"
                    "<main><p>Subscribe now.</p><p>Follow us on social media.</p></main></body></html>", encoding="utf-8")
    assert main(["ingest-original", "--root", str(root), "--doc", DOC, str(page), "--out", str(tmp_path / "local")]) == 1
    error = capsys.readouterr().err
    assert "no article body" in error and error.count("\n") == 1


@pytest.mark.parametrize("command", ["export", "view", "stats"])
def test_an_output_folder_that_is_a_file_is_one_line_before_any_work(root, tmp_path, capsys, command):
    taken = tmp_path / "taken"
    taken.write_text("a file\n", encoding="utf-8")
    extra = ["--format", "tmx"] if command == "export" else []
    assert main([command, "--root", str(root), "--doc", DOC, *extra, str(taken)]) == 1
    err = capsys.readouterr().err
    assert err == f"{taken}: outdir: is a file, not a folder: give a folder to write into\n"
