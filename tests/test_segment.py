import pytest
from hypothesis import given, settings, strategies as st

from bicorpus.schema import Language, ParagraphKind, PARAGRAPH_SEPARATOR
from bicorpus.pipeline.segment import segment, term_occurrences

P = ParagraphKind.PARAGRAPH
TERMS = ["DALL·E", "GPT-3", "GPT-4", "InstructGPT", "MT-NLG", "Megatron-Turing NLG", "μP"]


def sentences(language, text, terms=()):
    return [s.text for s in segment(language, [text], [P], list(terms)).sentences]


@pytest.mark.parametrize("text, expected", [
    ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
    # closing quotes and brackets stay with the sentence they close
    ("他说：“越大越好。”事实证明不是。", ["他说：“越大越好。”", "事实证明不是。"]),
    ("前一句。（括号里的一句。）后一句。", ["前一句。", "（括号里的一句。）", "后一句。"]),
    # an ASCII full stop inside Chinese text is part of a Latin abbreviation or a number
    ("作者认为 e.g. 这种写法约 1.4 万亿。下一句", ["作者认为 e.g. 这种写法约 1.4 万亿。", "下一句"]),
    ("没有句末标点的标题", ["没有句末标点的标题"]),
    # found by hypothesis: two spaces after 。 made a whitespace token open the next sentence
    ("结束。  模型", ["结束。", "模型"]),
])
def test_chinese_sentence_ends(text, expected):
    assert sentences(Language.ZH, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("It used 1.4 trillion tokens. Then it stopped.", ["It used 1.4 trillion tokens.", "Then it stopped."]),
    ("Names, e.g. GPT-3, stay. Next!", ["Names, e.g. GPT-3, stay.", "Next!"]),
    ('He said "no." Then left.', ['He said "no."', "Then left."]),
    ("One (a bracket.) Two? Yes!", ["One (a bracket.)", "Two?", "Yes!"]),
    # spaCy cuts the dot off "etc." and "No.": they end a sentence only before what could start one
    # (sentences of the Debian handbook that were cut in two)
    ("This is Rule No. 1. Next.", ["This is Rule No. 1.", "Next."]),
    ("The network (routers, firewalls, etc.) followed by the users.", ["The network (routers, firewalls, etc.) followed by the users."]),
    ("Teams (Policy, installer, etc.), with more. Done.", ["Teams (Policy, installer, etc.), with more.", "Done."]),
    ("More repairs, etc. Everything else.", ["More repairs, etc.", "Everything else."]),
    ("Tools (apt, etc.). then more.", ["Tools (apt, etc.).", "then more."]),
    ("Kaplan et al. (2020) showed it. Next.", ["Kaplan et al. (2020) showed it.", "Next."]),
    ("Tools, etc.; then more. Next.", ["Tools, etc.; then more.", "Next."]),
    ("Tools, etc. [1] then more.", ["Tools, etc. [1] then more."]),
    ('Tools, etc. "Quoted" more.', ["Tools, etc.", '"Quoted" more.']),
    # a dot after a space is no abbreviation's
    ("We list etc . then more.", ["We list etc .", "then more."]),
    # these lead into what follows whatever its case
    ("See the manual (cf. Chapter 6) for details.", ["See the manual (cf. Chapter 6) for details."]),
    ("See Fig. S3 for details. Next.", ["See Fig. S3 for details.", "Next."]),
    # "No" is an abbreviation only before a number
    ("Is it allowed? No. (It is forbidden.) Next.", ["Is it allowed?", "No.", "(It is forbidden.)", "Next."]),
    ("See No. #4 here.", ["See No. #4 here."]),
    # the known trade-off after "etc.": a lowercase word goes on with the sentence
    ("It installs apt, dpkg, etc. dpkg is the base.", ["It installs apt, dpkg, etc. dpkg is the base."]),
    # after any other word a lowercase start is a new sentence: technical English starts sentences with commands
    ("Run apt. dpkg comes next.", ["Run apt.", "dpkg comes next."]),
])
def test_english_sentence_ends(text, expected):
    assert sentences(Language.EN, text) == expected


@pytest.mark.parametrize("language, text", [
    (Language.ZH, "不会是像 DALL·E 或者 LaMDA 那样,μP 与 Megatron-Turing NLG 和 MT-NLG、GPT-4 以及 InstructGPT。"),
    (Language.EN, "Not like DALL·E, μP, Megatron-Turing NLG, MT-NLG, GPT-4 or InstructGPT."),
])
def test_listed_names_are_one_token(language, text):
    side = segment(language, [text], [P], TERMS)
    tokens = [t for s in side.sentences for t in s.tokens]
    for term in TERMS:
        if term in text:
            assert term in tokens, (term, tokens)
    assert side.split_terms == ()


def test_whole_article_keeps_every_listed_name_whole(built):
    assert built.zh.split_terms == () and built.en.split_terms == ()


def test_term_occurrences_prefer_the_longest():
    assert term_occurrences("InstructGPT and GPT", ["GPT", "InstructGPT"]) == [(0, 11), (16, 19)]


def test_sections_follow_headings(built):
    paragraphs = built.zh.paragraphs
    assert paragraphs[5].section_index == 0 and paragraphs[5].section_heading_index is None
    heading = next(p for p in paragraphs if p.kind is ParagraphKind.HEADING)
    after = paragraphs[heading.index + 1]
    assert (after.section_index, after.section_heading_index) == (1, heading.index)


# Text made of Chinese, Latin, digits, spaces and sentence punctuation.
_pieces = st.sampled_from(["模型", "参数", "GPT-4", " ", "1.4", "万亿", "。", "！", "？", "“", "”", "（", "）",
                           "e.g.", "It", "is", ".", ",", "DALL·E", "μP", "a", "!", "\""])
_paragraph = st.lists(_pieces, min_size=1, max_size=30).map("".join).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(_paragraph, min_size=1, max_size=4), language=st.sampled_from(list(Language)))
def test_offsets_index_the_text_exactly(paragraphs, language):
    side = segment(language, paragraphs, [P] * len(paragraphs), TERMS, raw_starts=None)
    assert side.text == PARAGRAPH_SEPARATOR.join(paragraphs)
    for p in side.paragraphs:
        assert side.text[p.start:p.end] == p.text == paragraphs[p.index]
    for index, s in enumerate(side.sentences):
        assert s.index == index and s.text and s.text == s.text.strip()
        assert side.text[s.start:s.end] == s.text
        for token, start, end in zip(s.tokens, s.token_starts, s.token_ends):
            assert s.text[start:end] == token
    # sentences cover every non-space character of each paragraph, in order
    for p in side.paragraphs:
        inside = [s for s in side.sentences if s.paragraph_index == p.index]
        assert "".join(s.text for s in inside).replace(" ", "") == p.text.replace(" ", "")


@settings(max_examples=30, deadline=None)
@given(prefix=st.text(alphabet="ab 。", max_size=8), offset=st.integers(0, 50))
def test_raw_offsets_shift_with_the_paragraph(prefix, offset):
    text = (prefix + "句子。另一句").strip() or "句子"
    side = segment(Language.ZH, [text], [P], [], raw_starts=[offset])
    raw = "x" * offset + text
    for s in side.sentences:
        assert raw[s.raw_start:s.raw_end] == s.text
