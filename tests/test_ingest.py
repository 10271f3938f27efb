"""bicorpus ingest-original on fixtures written for these tests (never the real original)."""


import datasets
import pytest

from bicorpus.cli import main
from bicorpus.pipeline.ingest import ingest, read_original
from conftest import DATA

FIXTURE = DATA / "original" / "article.html"


def test_html_extraction_drops_site_chrome():
    paragraphs = read_original(FIXTURE)
    text = "\n".join(paragraphs)
    assert paragraphs[0].startswith("GPT-4 is about to make its debut")
    for chrome in ("Sign in", "By A. Writer", "newsletter", "Ten tips", "Privacy", "tracking"):
        assert chrome not in text


def test_markdown_and_plain_text(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("# Title\n\nA paragraph with a [link](http://x.org) and `code`.\n\n- an item\n\n![img](p.png)\n\n```\nskip me\n```\n",
                  encoding="utf-8")
    assert read_original(md) == ["Title", "A paragraph with a link and code.", "an item"]
    txt = tmp_path / "a.txt"
    txt.write_text("First paragraph\nwrapped.\n\nSecond.\n", encoding="utf-8")
    assert read_original(txt) == ["First paragraph wrapped.", "Second."]


@pytest.fixture(scope="module")
def result(built):
    return ingest(built, read_original(FIXTURE))


def test_structure_differences_are_recovered(result):
    beads = {(tuple(p.zh_ids), p.index) for p in result.rows["original_paragraphs"]}
    zh = lambda i: f"gpt4_article/zh-p{i:03d}"
    assert ((zh(10), zh(11)), 9) in beads          # two Chinese paragraphs merged in the original
    assert ((zh(12),), 10) in beads and ((zh(12),), 11) in beads  # one split in two
    assert ((), 23) in beads                        # an added paragraph: a 0-1 bead
    aligned = {z for p in result.rows["original_paragraphs"] for z in p.zh_ids}
    assert zh(8) not in aligned                     # a dropped paragraph: a 1-0 bead


def test_claims_are_projected_and_gaps_reported(result):
    projections = {p.claim_id: p for p in result.rows["claim_projections"]}
    claim = projections["gpt4_article/p009-c01"]
    assert {f.label for f in claim.found if f.layer.value == "entity"} >= {"model:megatron-turing-nlg", "org:nvidia", "org:microsoft"}
    assert {f.text for f in claim.found if f.layer.value == "number"} >= {"530 billion", "3 times"}
    assert claim.missing == ()
    report = "\n".join(result.report)
    assert "original paragraph 23 has no Chinese counterpart" in report
    assert "gpt4_article/zh-p008 has no counterpart" in report


def test_projected_spans_index_the_original(result):
    text_of = {s.id: s for s in result.rows["original_sentences"]}
    joined = "\n\n".join(p.text for p in sorted(result.rows["original_paragraphs"], key=lambda p: p.index))
    for projection in result.rows["claim_projections"]:
        for span in projection.found:
            assert joined[span.start:span.end] == span.text
    for s in text_of.values():
        assert joined[s.start:s.end] == s.text


def test_command_writes_a_loadable_local_variant(root, tmp_path, capsys):
    out = tmp_path / "local"
    assert main(["ingest-original", "--root", str(root), "--doc", "gpt4_article", str(FIXTURE), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "review report" in printed and "never commit" in printed
    card = (out / "gpt4_article" / "README.md").read_text(encoding="utf-8")
    assert "Local variant — do not redistribute" in card
    for name in ("paragraphs", "claims", "original_paragraphs", "original_sentences", "claim_projections"):
        rows = datasets.load_dataset(str(out / "gpt4_article"), name, split="train", cache_dir=str(tmp_path / "cache"))
        assert rows.num_rows > 0
    assert not (root / "loaders" / "gpt4_article" / "data" / "original_paragraphs.jsonl").exists()


def test_missing_copy_is_reported(root, tmp_path, capsys):
    assert main(["ingest-original", "--root", str(root), "--doc", "gpt4_article", str(tmp_path / "nope.html"), "--out", str(tmp_path)]) == 1
    assert "nope.html: file is missing" in capsys.readouterr().err


def test_cues_that_could_not_be_projected_are_reported(built, result):
    projected = {(p.claim_id, f.text) for p in result.rows["claim_projections"] for f in p.found if f.layer.value == "cue"}
    claims = {c.id: c for c in built.rows["claims"]}
    unprojected = [(p.claim_id, cue.text) for p in result.rows["claim_projections"] if p.original_sentence_ids
                   for cue in claims[p.claim_id].en_cues if (p.claim_id, cue.text) not in projected]
    total = sum(len(c.en_cues) for c in claims.values())
    report = "\n".join(result.report)
    if unprojected:
        claim_id, cue = unprojected[0]
        assert f"claim {claim_id}: cues not found in the original" in report and repr(cue) in report
    lost = total - len(projected)
    assert (f"{lost} of {total} cues could not be projected onto the original" in report) == (lost > 0)


def test_the_readme_call_without_doc_takes_the_document_whose_english_is_ours(root, tmp_path, capsys):
    # the corpus also holds the handbook's chapters, shipped with their originals: nothing to bring in there
    assert main(["ingest-original", "--root", str(root), str(FIXTURE), "--out", str(tmp_path / "local")]) == 0
    assert (tmp_path / "local" / "gpt4_article" / "data" / "original_paragraphs.jsonl").is_file()
    capsys.readouterr()


def test_a_document_without_claims_gets_a_variant_without_projections(demo_project, tmp_path, capsys):
    copy = tmp_path / "original.txt"
    copy.write_text((demo_project / "corpus" / "demo_article" / "en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "local"
    assert main(["ingest-original", "--root", str(demo_project), str(copy), "--out", str(out)]) == 0, capsys.readouterr().err
    data = out / "demo_article" / "data"
    assert (data / "original_sentences.jsonl").is_file() and not (data / "claim_projections.jsonl").exists()


def test_a_failed_ingest_leaves_no_half_written_variant(root, tmp_path, capsys, monkeypatch):
    import bicorpus.publishing.loader as loader

    def fails(*_):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(loader, "load_all", fails)
    out = tmp_path / "local"
    assert main(["ingest-original", "--root", str(root), "--doc", "gpt4_article", str(FIXTURE), "--out", str(out)]) == 1
    assert "interrupted" in capsys.readouterr().err
    assert list(out.iterdir()) == []  # neither the variant nor its staging folder


def test_the_review_report_lists_paragraph_gaps_in_text_order(result):
    gaps = [line for line in result.report if line.startswith(("original paragraph", "Chinese paragraph", "low-confidence"))]
    assert gaps == result.report[:len(gaps)]
    numbers = [int(line.split()[2]) for line in gaps if line.startswith("original paragraph")]
    assert numbers == sorted(numbers)
