"""Statistics charts and tables: well-formed, deterministic, equal to the data they show."""

import re
import xml.etree.ElementTree as ET

from bicorpus.cli import main
from bicorpus.publishing.stats import charts, tables


def test_charts_are_well_formed_and_byte_identical(built):
    first, second = charts(built), charts(built)
    assert first == second
    assert set(first) == {"claims_by_section.svg", "number_units.svg", "bead_types.svg", "length_ratio.svg"}
    for svg in first.values():
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")


def test_claims_chart_counts_every_claim_in_both_languages(built):
    svg = charts(built)["claims_by_section.svg"]
    values = [float(v) for v in re.findall(r"<title>[^<]*: ([0-9.]+)</title>", svg)]
    assert sum(values) == 2 * len(built.rows["claims"])


def test_bead_chart_matches_the_alignment(built):
    svg = charts(built)["bead_types.svg"]
    assert "<title>1-1 · sentence · beads: 113</title>" in svg and "<title>1-2 · sentence · beads: 1</title>" in svg
    assert "<title>1-1 · paragraph · beads: 54</title>" in svg


def test_tables_list_every_section(built):
    text = tables(built)
    assert "| Model size | 22 | 3 | 2 | 0 |" in text
    assert "| 54 | 2.09 | 2.95 | 5.00 |" in text  # the mean of the two middle ratios of 54 (2.96 was the upper one)


def test_length_ratios_leave_out_untranslated_copies():
    from types import SimpleNamespace

    from bicorpus.publishing.stats import _length_ratios

    doc = SimpleNamespace(doc_id="d", bead_lengths=(("d/pb0000", 10, 30, False), ("d/pb0001", 40, 40, True), ("d/pb0002", 0, 5, False)))
    assert _length_ratios(SimpleNamespace(documents=[doc])) == [("d", "d/pb0000", 3.0)]


def test_card_embeds_the_charts(root):
    card = (root / "loaders" / "gpt4_article" / "README.md").read_text(encoding="utf-8")
    for name in ("claims_by_section", "number_units", "bead_types", "length_ratio"):
        assert f"(plots/{name}.svg)" in card
        assert (root / "loaders" / "gpt4_article" / "plots" / f"{name}.svg").is_file()


def test_stats_command(root, tmp_path, capsys):
    assert main(["stats", "--root", str(root), "--doc", "gpt4_article", str(tmp_path)]) == 0
    assert (tmp_path / "gpt4_article" / "stats.md").is_file()
    assert (tmp_path / "gpt4_article" / "claims_by_section.svg").read_text() == charts_of(root)["claims_by_section.svg"]


def charts_of(root):
    from bicorpus.pipeline.build import load_inputs, process_document

    return charts(process_document(*load_inputs(root / "corpus", root / "annotations", "gpt4_article")))
