"""align-many: one pure function applied by datasets.map (num_proc) or by Ray Data."""

import json
import random

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
