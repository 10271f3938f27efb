"""The number normalizer: expected values read off the article's own forms (and the cases
the issue records as failing in cn2an, chinese2digits and quantulum3), then properties."""

import math

import pytest
from hypothesis import assume, given, settings, strategies as st

from bicorpus.annotation.numbers import NumberKind, UnitHint, find_numbers, parse_number

E = NumberKind.EXACT
R = NumberKind.RANGE


@pytest.mark.parametrize("text, value, low, high, kind, approx, hint", [
    # Chinese: Arabic digits with magnitude words, with and without a space
    ("1750 亿", 1.75e11, None, None, E, False, UnitHint.NONE),
    ("1750亿", 1.75e11, None, None, E, False, UnitHint.NONE),
    ("1.4 万亿", 1.4e12, None, None, E, False, UnitHint.NONE),
    ("100 万亿", 1e14, None, None, E, False, UnitHint.NONE),
    ("一百万亿", 1e14, None, None, E, False, UnitHint.NONE),  # chinese2digits: 1e10
    ("67 亿", 6.7e9, None, None, E, False, UnitHint.NONE),
    ("１７５０ 亿", 1.75e11, None, None, E, False, UnitHint.NONE),  # full-width digits
    ("两万", 2e4, None, None, E, False, UnitHint.NONE),
    ("七个月", 7, None, None, E, False, UnitHint.MONTHS),
    ("四分之一", 0.25, None, None, E, False, UnitHint.FRACTION),
    ("百分之五十", 0.5, None, None, E, False, UnitHint.PERCENT),
    ("3 倍", 3, None, None, E, False, UnitHint.MULTIPLIER),
    ("2020 年", 2020, None, None, E, False, UnitHint.YEAR),
    ("5 月", 5, None, None, E, False, UnitHint.MONTH),
    ("两年", 2, None, None, E, False, UnitHint.YEARS),
    ("1750 亿到 2800 亿", None, 1.75e11, 2.8e11, R, False, UnitHint.NONE),
    ("10 至 20 倍", None, 10, 20, R, False, UnitHint.MULTIPLIER),
    ("约 10 至 20 倍", None, 10, 20, R, True, UnitHint.MULTIPLIER),
    ("10 至 20 亿", None, 1e9, 2e9, R, False, UnitHint.NONE),  # the magnitude is shared
    ("7 月到 8 月左右", None, 7, 8, R, True, UnitHint.MONTH),
    ("5 万亿左右", 5e12, None, None, E, True, UnitHint.NONE),
    ("大约两年", 2, None, None, E, True, UnitHint.YEARS),
    ("超万亿", 1e12, None, None, NumberKind.LOWER_BOUND, False, UnitHint.NONE),
    ("几乎零", 0, None, None, E, True, UnitHint.NONE),
    ("数百万", None, None, None, NumberKind.VAGUE, True, UnitHint.NONE),
    ("千百万", None, None, None, NumberKind.VAGUE, True, UnitHint.NONE),
    ("数以百万", 1e6, None, None, NumberKind.LOWER_BOUND, True, UnitHint.NONE),  # a floor (guidelines): was read as exactly 1e6
    ("数以千", 1e3, None, None, NumberKind.LOWER_BOUND, True, UnitHint.NONE),
    ("几周", None, None, None, NumberKind.VAGUE, True, UnitHint.WEEKS),
    ("几个月", None, None, None, NumberKind.VAGUE, True, UnitHint.MONTHS),
    # English: scale words, suffixes, ranges, multipliers
    ("175 billion", 1.75e11, None, None, E, False, UnitHint.NONE),
    ("1.4 trillion", 1.4e12, None, None, E, False, UnitHint.NONE),
    ("175B", 1.75e11, None, None, E, False, UnitHint.NONE),  # quantulum3: bytes
    ("1.4T", 1.4e12, None, None, E, False, UnitHint.NONE),
    ("6.7-billion", 6.7e9, None, None, E, False, UnitHint.NONE),
    ("175B-280B", None, 1.75e11, 2.8e11, R, False, UnitHint.NONE),
    ("175-280B", None, 1.75e11, 2.8e11, R, False, UnitHint.NONE),
    ("between 175 and 280 billion", None, 1.75e11, 2.8e11, R, False, UnitHint.NONE),
    ("175 billion to 280 billion", None, 1.75e11, 2.8e11, R, False, UnitHint.NONE),
    ("10-20X", None, 10, 20, R, False, UnitHint.MULTIPLIER),
    ("about 10 to 20 times", None, 10, 20, R, True, UnitHint.MULTIPLIER),
    ("three times", 3, None, None, E, False, UnitHint.MULTIPLIER),
    ("twice", 2, None, None, E, False, UnitHint.MULTIPLIER),
    ("a quarter", 0.25, None, None, E, False, UnitHint.FRACTION),
    ("around 5 trillion", 5e12, None, None, E, True, UnitHint.NONE),
    ("beyond a trillion", 1e12, None, None, NumberKind.LOWER_BOUND, False, UnitHint.NONE),
    ("an order of magnitude", 1, None, None, E, False, UnitHint.ORDERS_OF_MAGNITUDE),
    ("July to August", None, 7, 8, R, False, UnitHint.MONTH),
    ("20%", 0.2, None, None, E, False, UnitHint.PERCENT),
    ("1,000,000", 1e6, None, None, E, False, UnitHint.NONE),
])
def test_table(text, value, low, high, kind, approx, hint):
    language = "en" if text.isascii() else "zh"
    match = parse_number(text, language)
    assert match is not None, find_numbers(text, language)
    for got, want in ((match.value, value), (match.low, low), (match.high, high)):
        assert (got is None and want is None) or math.isclose(got, want, rel_tol=1e-12)
    assert (match.kind, match.approx, match.unit_hint) == (kind, approx, hint)


@pytest.mark.parametrize("text, language, span", [
    ("Millions of users find it easy", "en", "Millions"),  # a sentence's first word was no number at all
    ("millions of dollars", "en", "millions"),
    ("数百万用户", "zh", "数百万"),
])
def test_vague_scales_are_found_whatever_their_case(text, language, span):
    assert [(n.text, n.kind) for n in find_numbers(text, language)] == [(span, NumberKind.VAGUE)]


def test_a_floor_keeps_its_lead_word():
    match, = find_numbers("有数以万计的人", "zh")
    assert (match.text, match.value, match.kind, match.approx) == ("数以万", 1e4, NumberKind.LOWER_BOUND, True)


@pytest.mark.parametrize("text, language", [
    ("GPT-4 与 GPT-3", "zh"),  # chinese2digits reads GPT-4 as -4
    ("GPT-4 and MT-NLG", "en"),
    ("一切都在这里,统一的方法,唯一的办法", "zh"),
    ("a model", "en"),
    ("May we begin?", "en"),
    ("参数倍增的性能提升", "zh"),  # 参数 + 倍增, no 数倍
    ("", "zh"),
    ("", "en"),
])
def test_not_numbers(text, language):
    assert find_numbers(text, language) == []


def test_spans_index_the_text():
    text = "GPT-3 首度亮相于大约两年之前的 2020 年 5 月,参数为 1750 亿到 2800 亿。"
    found = find_numbers(text, "zh")
    assert [n.text for n in found] == ["大约两年", "2020 年", "5 月", "1750 亿到 2800 亿"]
    assert all(text[n.start:n.end] == n.text for n in found)


ZH_MAGNITUDES = {"万": 1e4, "亿": 1e8, "万亿": 1e12}
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
EN_SUFFIXES = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
mantissas = st.decimals(min_value=1, max_value=9999, places=2, allow_nan=False, allow_infinity=False)


def _digits(mantissa) -> str:
    return format(mantissa.normalize(), "f")


@given(mantissa=mantissas, magnitude=st.sampled_from(sorted(ZH_MAGNITUDES)), space=st.sampled_from(["", " "]),
       full_width=st.booleans())
def test_zh_mantissa_times_magnitude_round_trips(mantissa, magnitude, space, full_width):
    digits = _digits(mantissa)
    if full_width:
        digits = digits.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    match = parse_number(f"{digits}{space}{magnitude}", "zh")
    assert match is not None and math.isclose(match.value, float(mantissa) * ZH_MAGNITUDES[magnitude], rel_tol=1e-9)


@settings(max_examples=200, deadline=2000)  # 200 ms failed on a loaded 2-core machine
@given(n=st.integers(min_value=1, max_value=99_999_999))
def test_zh_chinese_numerals_round_trip(n):
    import cn2an

    text = cn2an.an2cn(n)
    assume(not any(w in text for w in ("十分",)))
    match = parse_number(text, "zh")
    assert match is not None and match.value == n


@given(a=st.integers(1, 999), b=st.integers(1, 999), magnitude=st.sampled_from(sorted(ZH_MAGNITUDES)),
       sep=st.sampled_from(["到", " 到 ", "至", " 至 ", "-"]))
def test_zh_ranges_round_trip(a, b, magnitude, sep):
    match = parse_number(f"{a}{magnitude}{sep}{b}{magnitude}", "zh")
    assert match is not None and match.kind is R
    assert (match.low, match.high) == (a * ZH_MAGNITUDES[magnitude], b * ZH_MAGNITUDES[magnitude])


@given(mantissa=mantissas, scale=st.sampled_from(sorted(EN_SCALES)), joiner=st.sampled_from([" ", "-"]))
def test_en_scale_words_round_trip(mantissa, scale, joiner):
    match = parse_number(f"{_digits(mantissa)}{joiner}{scale}", "en")
    assert match is not None and math.isclose(match.value, float(mantissa) * EN_SCALES[scale], rel_tol=1e-9)


@given(mantissa=mantissas, suffix=st.sampled_from(sorted(EN_SUFFIXES)))
def test_en_suffixes_round_trip(mantissa, suffix):
    match = parse_number(f"{_digits(mantissa)}{suffix}", "en")
    assert match is not None and math.isclose(match.value, float(mantissa) * EN_SUFFIXES[suffix], rel_tol=1e-9)


@given(a=st.integers(1, 999), b=st.integers(1, 999), form=st.sampled_from(["{a}-{b}X", "{a} to {b} times", "{a}–{b}×"]))
def test_en_multiplier_ranges_round_trip(a, b, form):
    match = parse_number(form.format(a=a, b=b), "en")
    assert match is not None and (match.low, match.high, match.unit_hint) == (a, b, UnitHint.MULTIPLIER)


@given(st.text(max_size=60))
def test_any_text_gives_in_bounds_non_overlapping_spans(text):
    for language in ("zh", "en"):
        found = find_numbers(text, language)
        for n in found:
            assert text[n.start:n.end] == n.text and n.text == n.text.strip() and n.text
        assert all(a.end <= b.start for a, b in zip(found, found[1:]))
