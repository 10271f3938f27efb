"""The card and loader as a first user meets them: no warning on load, a licence link, a
citation with authors and addresses, every text field from the sources escaped, and raw
offsets that resolve from the loader folder alone."""

import dataclasses
import json
import re
import subprocess
import sys

import pytest
import yaml

DOC = "gpt4_article"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

LOAD_EVERY_CONFIG = """
import sys, tempfile, warnings
warnings.simplefilter("always")
import datasets
with tempfile.TemporaryDirectory() as cache:
    for name in datasets.get_dataset_config_names(sys.argv[1]):
        datasets.load_dataset(sys.argv[1], name, cache_dir=cache)
"""


def test_load_dataset_prints_no_warning(root):
    done = subprocess.run([sys.executable, "-c", LOAD_EVERY_CONFIG, str(root / "loaders" / DOC)], capture_output=True,
                          text=True, env={"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PATH": "/usr/bin:/bin",
                                          "HOME": str(root / ".cache" / "no-home"), "HF_HUB_DISABLE_PROGRESS_BARS": "1",
                                          "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"})
    assert done.returncode == 0, done.stderr
    noise = [line for line in done.stderr.splitlines() if line.strip() and not re.match(r"^(Generating|Map|Filter)\b", line)]
    assert noise == [], noise


def card_header(root) -> dict:
    text = (root / "loaders" / DOC / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_the_licence_link_points_at_a_file_that_ships(root):
    header = card_header(root)
    assert header["license"] == "other" and header["license_link"] == "LICENSE.md"
    licence = (root / "loaders" / DOC / header["license_link"]).read_text(encoding="utf-8")
    assert "CC-BY-4.0" in licence and "not licensed" in licence


def test_every_citation_entry_has_an_author_and_each_work_its_address(root):
    card = (root / "loaders" / DOC / "README.md").read_text(encoding="utf-8")
    bibtex = card.split("```bibtex\n")[1].split("```")[0]
    entries = re.findall(r"@misc\{(\w+),\n(.*?)\n\}", bibtex, re.S)
    assert [key for key, _ in entries] == [f"bicorpus_{DOC}", f"original_{DOC}", f"zh_translation_{DOC}"]
    assert all(re.search(r"^  author\s*= \{.+\}", body, re.M) for _, body in entries), bibtex
    assert re.search(r"^  url\s*= \{https://towardsdatascience\.com/", dict(entries)[f"original_{DOC}"], re.M)


def hostile(value):
    return value + HOSTILE if type(value) is str else value


def test_every_text_field_is_escaped_in_the_card(built):
    """Hostile HTML in any text field of the metadata or of any row (notes, outcomes, claims,
    headings, sources) reaches the card as text, never as markup."""
    from bicorpus.pipeline.collection import single
    from bicorpus.publishing.card import render_card
    from bicorpus.publishing.render import data_files

    meta = built.sources.metadata
    sides = {lang: getattr(meta, lang).model_copy(update={k: hostile(v) for k, v in getattr(meta, lang) if type(v) is str})
             for lang in ("zh", "en")}
    top = {k: hostile(v) for k, v in meta if type(v) is str and k != "doc_id"}
    sources = dataclasses.replace(built.sources, metadata=meta.model_copy(update={**top, **sides}))
    # ids are left alone: the rows refer to each other by them
    rows = {config: [dataclasses.replace(row, **{f.name: hostile(getattr(row, f.name)) for f in dataclasses.fields(row)
                                                  if type(getattr(row, f.name)) is str and not re.search(r"(^|_)id$", f.name)})
                     for row in config_rows] for config, config_rows in built.rows.items()}
    collection = single(dataclasses.replace(built, sources=sources, rows=rows))
    paths = data_files(collection)
    card = render_card(collection, {p: "0" * 64 for by_split in paths.values() for p in by_split.values()}, paths, "test")
    # code blocks and code spans show their text as it is
    body = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", card.split("\n---\n", 1)[1], flags=re.S))
    assert "&lt;script&gt;" in body
    leaks = re.findall(r".{0,80}<(?:script|img).{0,10}", body)
    assert leaks == [], leaks


def test_raw_offsets_resolve_from_the_loader_alone(root):
    loader = root / "loaders" / DOC
    card = (loader / "README.md").read_text(encoding="utf-8")
    shipped = re.findall(r"`(raw/[^`]+)`", card)
    assert shipped == [f"raw/{DOC}/capture.txt"]
    raw = (loader / shipped[0]).read_text(encoding="utf-8")
    checked = 0
    for config in ("paragraphs", "sentences"):
        for line in (loader / "data" / f"{config}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["raw_start"] is not None:
                assert raw[row["raw_start"]:row["raw_end"]] == row["text"], row["id"]
                checked += 1
    assert checked > 100


def _card_and_citation(root):
    from bicorpus.pipeline.build import load_inputs, process_document
    from bicorpus.pipeline.collection import single
    from bicorpus.publishing.card import citation, contact_text, published_address

    collection = single(process_document(*load_inputs(root / "corpus", root / "annotations", "gpt4_article")))
    return contact_text(published_address(collection)), citation(collection, "0")


def test_the_card_says_where_the_project_is_published_and_never_guesses(project_copy):
    contact, cite = _card_and_citation(project_copy)
    assert "no public address yet" in contact and "url    = {" not in cite.split("@misc{original")[0]
    (project_copy / "pyproject.toml").write_text('[project]\nname = "x"\n[project.urls]\nRepository = "https://example.org/bicorpus"\n',
                                                  encoding="utf-8")
    contact, cite = _card_and_citation(project_copy)
    assert "<https://example.org/bicorpus>" in contact
    assert "url    = {https://example.org/bicorpus}" in cite.split("@misc{original")[0]


def test_a_bad_project_address_is_one_named_error(project_copy):
    from bicorpus.problems import CorpusError

    (project_copy / "pyproject.toml").write_text('[project.urls]\nRepository = "example.org/no-scheme"\n', encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        _card_and_citation(project_copy)
    from bicorpus.problems import display_path

    problem = err.value.problems[0]
    assert problem.file == display_path(project_copy / "pyproject.toml") and problem.field == "project.urls.Repository"


def test_a_collection_card_states_each_limitation_once_and_names_whom_it_concerns():
    from bicorpus.publishing.card import merged_limitations

    shared, wrapped = "- Fetched, not shipped.", "- A long one\n  that wraps."
    merged = merged_limitations([("c/a", f"{shared}\n{wrapped}"), ("c/b", f"{shared}\n- Only b."), ("c/c", shared)])
    assert merged.splitlines() == ["- Fetched, not shipped.", "- A long one", "  that wraps. (`c/a`)", "- Only b. (`c/b`)"]
    # one document: its text as it is
    assert merged_limitations([("d", f"{shared}\n{wrapped}")]) == f"{shared}\n{wrapped}"


def test_a_text_several_documents_share_is_said_once_under_all_of_them():
    from types import SimpleNamespace

    from bicorpus.publishing.card import _per_document

    doc = lambda doc_id, text: SimpleNamespace(doc_id=doc_id, metadata=SimpleNamespace(title_en=doc_id.upper(), card_rationale=text))
    same = SimpleNamespace(documents=[doc("a", "Shared."), doc("b", "Shared.")])
    assert _per_document(same, "card_rationale") == "Shared."
    mixed = SimpleNamespace(documents=[doc("a", "Shared."), doc("b", "Own."), doc("c", "Shared.")])
    assert _per_document(mixed, "card_rationale") == "**`a`** (A), **`c`** (C)\n\nShared.\n\n**`b`** (B)\n\nOwn."
