"""Find and normalize every number in Chinese or English text, as spans with values.

Off-the-shelf tools fail on this article's forms (cn2an rejects "1750 亿" with a space,
decimals with 万亿, 倍 and ranges; chinese2digits reads 一百万亿 as 1e10 and GPT-4 as -4;
quantulum3 reads 175B as bytes), so values are built here as mantissa × magnitude
(万 = 1e4, 亿 = 1e8, 万亿 = 1e12; thousand, million, billion, trillion; K, M, B, T).
Chinese integer numerals are read by `cn_int`: cn2an 0.5.24 was meant for them, but it
raises KeyError on its own output for 10011 (an2cn gives 一万零十一), so it only serves
the tests, to write numerals in every form.

`find_numbers(text, language)` returns every match, left to right, non-overlapping:
points, ranges (low/high), multipliers (3 倍, 10-20X, three times), fractions (四分之一,
a quarter), calendar years and months, vague quantities (几个月, 数百万, millions) and
floors (数以百万: at least a million), each with its approximation and bound flags. Digits that belong to a name (the 4 of GPT-4)
are not numbers and are never returned.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Optional

from ..schema import NumberKind, UnitHint


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int
    text: str
    value: Optional[float]  # a point value; None for ranges and vague quantities
    low: Optional[float]
    high: Optional[float]
    kind: NumberKind
    approx: bool
    unit_hint: UnitHint
    scale_word: Optional[str]


ZH_MAGNITUDES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4}
# 数以百万(计) "numbering in the millions": a floor of the magnitude it names (guidelines, vague numbers)
ZH_FLOORS = {**{word: value for word, value in ZH_MAGNITUDES.items() if value <= 1e8}, "十万": 1e5, "千": 1e3, "百": 1e2}
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
EN_SUFFIXES = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                 "hundred": 100, "a hundred": 100})
EN_FRACTIONS = {"half": 0.5, "a half": 0.5, "a quarter": 0.25, "one quarter": 0.25, "a third": 1 / 3, "one third": 1 / 3,
                "three quarters": 0.75}
EN_MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), start=1)}
FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

# Words in which a Chinese numeral is no number (一切 "all", 统一 "unify", 之一 "one of").
ZH_LEXICALIZED = ("一切", "一直", "一定", "一致", "一概", "一些", "一般", "一样", "一起", "一旦", "一边", "一同", "一度",
                  "统一", "唯一", "之一", "万一", "十分", "一心", "一面", "三思", "一举", "万千")

_ZH_DIGITS = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_ZH_NUMERAL = r"[零〇一二两三四五六七八九十百千]+"
_ZH_FULL_NUMERAL = r"[零〇一二两三四五六七八九十百千万亿]+"
_ZH_MAG = "|".join(sorted(ZH_MAGNITUDES, key=len, reverse=True))
_ZH_TERM = rf"(?:(?P<d#>{_ZH_DIGITS})\s?(?P<m#>{_ZH_MAG})?|(?P<c#>{_ZH_FULL_NUMERAL}))"
_ZH_RANGE_SEP = r"\s?(?:到|至|-|~|～|—|－)\s?"
_ZH_SUFFIX = r"(?P<suffix>\s?(?:倍|个月|年|月|周|%|％))?"
_ZH_NUMBER = re.compile(
    rf"(?P<pre>约|大约|大概|几乎|接近|将近|近|超过|超|不到|至少|最多)?\s?"
    rf"(?:(?P<fden>{_ZH_NUMERAL})分之(?P<fnum>{_ZH_NUMERAL})"
    rf"|数以(?P<floor>{'|'.join(sorted(ZH_FLOORS, key=len, reverse=True))})"
    rf"|(?P<vague>[几数]|千(?=百万))(?P<vmag>百万|千万|十|百|千|万|亿)?"
    rf"|(?<=[超近约])(?P<bare>万亿|千亿|百亿|亿)"
    rf"|{_ZH_TERM.replace('#', '1')}(?:(?P<rsuffix>\s?(?:倍|月))?{_ZH_RANGE_SEP}{_ZH_TERM.replace('#', '2')})?)"
    rf"{_ZH_SUFFIX}(?P<post>\s?(?:左右|上下|多|余))?"
)

_EN_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN_WORD = "|".join(sorted((w for w in EN_WORDS if " " not in w), key=len, reverse=True))
_EN_SCALE = "|".join(EN_SCALES)
_EN_TERM = (rf"(?:(?P<d#>{_EN_NUM})(?P<x#>[KMBT](?![A-Za-z]))?|(?P<w#>(?:a|an|{_EN_WORD})))"
            rf"(?:[\s-](?P<s#>{_EN_SCALE})s?)?")
_EN_NUMBER = re.compile(
    rf"(?<![\w.-])(?P<pre>(?:about|around|roughly|approximately|nearly|almost|closer to|close to|some|over|more than|"
    rf"beyond|at least|under|less than|up to|at most)\s|~)?"
    rf"(?:(?P<frac>half|a half|a quarter|one quarter|a third|one third|three quarters)"
    rf"|(?P<few>[Aa] few|[Ss]everal)(?=\s(?:years?|months?|weeks?)\b)"
    rf"|(?P<once>once)|(?P<doubling>doubling|doubled)"
    rf"|(?P<order>an order of magnitude|orders of magnitude)"
    rf"|(?P<vaguescale>(?:[Mm]illions|[Bb]illions|[Tt]rillions|[Tt]housands|[Hh]undreds)(?= of))"
    rf"|(?P<twice>twice)"
    rf"|(?P<between>between)\s{_EN_TERM.replace('#', '1')}\sand\s{_EN_TERM.replace('#', '2')}"
    rf"|{_EN_TERM.replace('#', '3')}(?:\s?(?:-|–|to)\s?{_EN_TERM.replace('#', '4')})?)"
    rf"(?P<mult>\s?(?:times|-fold|x|X|×)(?![A-Za-z]))?(?P<pct>\s?(?:%|percent))?"
    rf"(?P<tunit>\s(?:years?|months?|weeks?))?(?![\w])"
)
_EN_MONTH = re.compile(r"(?<![\w])(?P<m1>" + "|".join(EN_MONTHS) + r")(?:(?:\s(?:to|-|–)\s|[-–])(?P<m2>"
                       + "|".join(EN_MONTHS) + r"))?(?![\w])")
_EN_YEAR = re.compile(r"(?<![\w-])(?<!\d[.,])(?:1[89]|20)\d\d(?![\w-]|[.,]\d|\s?(?:times|x|×|%|percent)|[\s-](?:thousand|million|billion|trillion))")

_EN_TIME_UNITS = {"year": UnitHint.YEARS, "month": UnitHint.MONTHS, "week": UnitHint.WEEKS}
_LOWER = {"超过", "超", "近超", "至少", "over", "more than", "beyond", "at least"}
_UPPER = {"不到", "最多", "under", "less than", "up to", "at most"}


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_int(numeral: str) -> float:
    """A Chinese integer numeral (一万零十一, 两千, 一百万亿) as a number.

    Sections: 千百十 build a section below 万; 万 closes the section below 亿; 亿 closes
    everything before it, so 万亿 = 1e12. Raises ValueError for a malformed run (十百)."""
    if numeral and numeral[0] in "万亿":
        numeral = "一" + numeral
    total = below_yi = section = 0.0
    digit: float | None = None
    last_unit = None
    for ch in numeral:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0 and _CN_DIGITS[ch] != 0:
                raise ValueError(f"two digits in a row in {numeral!r}")
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if last_unit is not None and last_unit <= unit and digit is None:
                raise ValueError(f"malformed numeral {numeral!r}")
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch == "万":
            below_yi = (below_yi + section + (digit or 0)) * 1e4
            section, digit, last_unit = 0.0, None, None
        elif ch == "亿":
            total = (total + below_yi + section + (digit or 0)) * 1e8
            below_yi = section = 0.0
            digit, last_unit = None, None
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r}")
    return total + below_yi + section + (digit or 0)


def _zh_value(digits: Optional[str], numeral: Optional[str], magnitude: Optional[str]) -> float:
    base = float(digits.translate(FULL_WIDTH)) if digits else cn_int(numeral)
    return base * ZH_MAGNITUDES.get(magnitude or "", 1.0)


def _en_value(digits: Optional[str], suffix: Optional[str], word: Optional[str], scale: Optional[str]) -> float:
    if digits:
        base = float(digits.replace(",", ""))
    else:
        base = 1.0 if word in ("a", "an") else float(EN_WORDS[word.lower()])
    return base * EN_SUFFIXES.get(suffix or "", 1.0) * EN_SCALES.get((scale or "").lower(), 1.0)


def _bounds(pre: Optional[str], post: Optional[str]) -> tuple[NumberKind, bool]:
    pre = (pre or "").strip().lower()
    if pre in _LOWER:
        return NumberKind.LOWER_BOUND, False
    if pre in _UPPER:
        return NumberKind.UPPER_BOUND, False
    return NumberKind.EXACT, bool(pre) or bool((post or "").strip())


_NAME_END = re.compile(r"[A-Za-z][-_]?$")


def _in_name(text: str, start: int) -> bool:
    """True when the number at `start` continues a name: GPT-4, MT-NLG-2, Model-X3."""
    # two characters are all the pattern can see: looking at the whole prefix made the finder quadratic
    return bool(_NAME_END.search(text, max(0, start - 2), start))


def _core_start(m: re.Match) -> int:
    """Where the match's text begins, past any leading space the pattern allowed."""
    return m.start() + len(m.group()) - len(m.group().lstrip())


def _vague_ok(text: str, m: re.Match) -> bool:
    """几 and 数 are vague quantities only before a magnitude or a classifier; 参数倍增
    ("doubling the parameters") is no 数倍. 千百万 ("millions upon millions") is vague too."""
    after = text[m.end("vague"):m.end("vague") + 1]
    if m.group("vmag"):
        return not (m.group("vague") == "数" and m.start("vague") > 0 and text[m.start("vague") - 1] in "参函指系变总分人次")
    return m.group("vague") == "几" and after in ("个", "周", "年", "次", "倍") or (m.group("vague") == "数" and after == "个")


def _zh_lexicalized(text: str, start: int, end: int) -> bool:
    """True when the numeral run text[start:end] lies wholly inside a ZH_LEXICALIZED word
    (一 in 一切), but not when such a word is only part of a longer numeral (万一 in 一万一千)."""
    # only words that start within reach of the run can hold it: a bounded window keeps this linear
    return any(text.startswith(word, at)
               for word in ZH_LEXICALIZED
               for at in range(max(0, end - len(word)), start + 1))


def _zh_match(text: str, m: re.Match) -> Optional[NumberMatch]:
    suffix = (m.group("suffix") or "").strip()
    kind, approx = _bounds(m.group("pre"), m.group("post"))
    if m.group("fden"):
        value = cn_int(m.group("fnum")) / cn_int(m.group("fden"))
        hint = UnitHint.PERCENT if m.group("fden") == "百" else UnitHint.FRACTION
        return NumberMatch(m.start(), m.end(), m.group(), value, None, None, kind, approx, hint, None)
    if m.group("floor"):
        return NumberMatch(m.start(), m.end(), m.group(), ZH_FLOORS[m.group("floor")], None, None, NumberKind.LOWER_BOUND, True,
                           UnitHint.NONE, m.group("floor"))
    if m.group("bare"):  # 超万亿: "more than a trillion"
        return NumberMatch(m.start(), m.end(), m.group(), ZH_MAGNITUDES[m.group("bare")], None, None, kind, approx,
                           UnitHint.NONE, m.group("bare"))
    if m.group("vague"):
        hint = {"个": UnitHint.NONE}.get(suffix, _ZH_HINTS.get(suffix, UnitHint.NONE))
        return NumberMatch(m.start(), m.end(), m.group(), None, None, None, NumberKind.VAGUE, True, hint, m.group("vmag"))
    first = _zh_value(m.group("d1"), m.group("c1"), m.group("m1"))
    hint = _ZH_HINTS.get(suffix or (m.group("rsuffix") or "").strip(), UnitHint.NONE)
    if hint is UnitHint.YEARS and m.group("d1") and len(m.group("d1")) == 4 and not m.group("d2"):
        hint = UnitHint.YEAR
    scale = m.group("m2") or m.group("m1") or _trailing_magnitude(m.group("c2") or m.group("c1"))
    if m.group("d2") or m.group("c2"):
        second = _zh_value(m.group("d2"), m.group("c2"), m.group("m2"))
        if m.group("m2") and not m.group("m1"):
            first *= ZH_MAGNITUDES[m.group("m2")]  # 10 至 20 亿: the magnitude is shared
        return NumberMatch(m.start(), m.end(), m.group(), None, first, second, NumberKind.RANGE, approx, hint, scale)
    if hint is UnitHint.PERCENT:
        first /= 100
    return NumberMatch(m.start(), m.end(), m.group(), first, None, None, kind, approx, hint, scale)


_ZH_HINTS = {"倍": UnitHint.MULTIPLIER, "个月": UnitHint.MONTHS, "年": UnitHint.YEARS, "月": UnitHint.MONTH,
             "周": UnitHint.WEEKS, "%": UnitHint.PERCENT, "％": UnitHint.PERCENT}


def _trailing_magnitude(numeral: Optional[str]) -> Optional[str]:
    if not numeral:
        return None
    return next((mag for mag in ("万亿", "亿", "万") if numeral.endswith(mag) and len(numeral) > len(mag)), None)


def find_zh(text: str) -> list[NumberMatch]:
    found = []
    for m in _ZH_NUMBER.finditer(text):
        if not m.group().strip() or _in_name(text, _core_start(m)):
            continue
        if m.group("vague") and not _vague_ok(text, m):
            continue
        if m.group("c1") and not (m.group("d2") or m.group("m1")) and _zh_lexicalized(text, m.start("c1"), m.end("c1")):
            continue
        try:
            match = _zh_match(text, m)
        except ValueError:  # a run of numeral characters that is no well-formed number (十百)
            match = None
        if match is not None:
            found.append(_trim(match))
    return found


def _trim(match: NumberMatch) -> NumberMatch:
    """Matches never start or end with a space."""
    lead = len(match.text) - len(match.text.lstrip())
    tail = len(match.text) - len(match.text.rstrip())
    if not lead and not tail:
        return match
    text = match.text.strip()
    return NumberMatch(match.start + lead, match.end - tail, text, match.value, match.low, match.high, match.kind,
                       match.approx, match.unit_hint, match.scale_word)


def _en_term(m: re.Match, n: int) -> Optional[float]:
    if not (m.group(f"d{n}") or m.group(f"w{n}")):
        return None
    return _en_value(m.group(f"d{n}"), m.group(f"x{n}"), m.group(f"w{n}"), m.group(f"s{n}"))


def _en_match(m: re.Match) -> Optional[NumberMatch]:
    kind, approx = _bounds(m.group("pre"), None)
    hint = UnitHint.MULTIPLIER if m.group("mult") else UnitHint.PERCENT if m.group("pct") else UnitHint.NONE
    if m.group("tunit"):
        hint = _EN_TIME_UNITS[m.group("tunit").strip().rstrip("s")]
    text = m.group()
    if m.group("few"):
        return NumberMatch(m.start(), m.end(), text, None, None, None, NumberKind.VAGUE, True, hint, None)
    if m.group("once"):
        return NumberMatch(m.start(), m.end(), text, 1.0, None, None, kind, approx, UnitHint.NONE, None)
    if m.group("doubling"):  # 倍增 / doubling: a multiplier of 2 (guidelines, section 8)
        return NumberMatch(m.start(), m.end(), text, 2.0, None, None, kind, approx, UnitHint.MULTIPLIER, None)
    if m.group("frac"):
        return NumberMatch(m.start(), m.end(), text, EN_FRACTIONS[m.group("frac").lower()], None, None, kind, approx,
                           UnitHint.FRACTION, None)
    if m.group("order"):
        value = 1.0 if m.group("order").startswith("an") else None
        return NumberMatch(m.start(), m.end(), text, value, None, None, kind if value else NumberKind.VAGUE, approx,
                           UnitHint.ORDERS_OF_MAGNITUDE, None)
    if m.group("vaguescale"):
        return NumberMatch(m.start(), m.end(), text, None, None, None, NumberKind.VAGUE, True, hint, m.group("vaguescale"))
    if m.group("twice"):
        return NumberMatch(m.start(), m.end(), text, 2.0, None, None, kind, approx, UnitHint.MULTIPLIER, None)
    pairs = [(1, 2)] if m.group("between") else [(3, 4)]
    for a, b in pairs:
        first, second = _en_term(m, a), _en_term(m, b)
        if first is None:
            return None
        lone_article = m.group(f"w{a}") in ("a", "an") and not m.group(f"s{a}") and second is None and not m.group("tunit")
        if lone_article:
            return None  # "a" alone is an article, not a number
        scale = m.group(f"s{b}") or m.group(f"x{b}") or m.group(f"s{a}") or m.group(f"x{a}")
        if second is not None:
            shared = m.group(f"s{b}") and not m.group(f"s{a}") and not m.group(f"x{a}")
            if shared:
                first *= EN_SCALES[m.group(f"s{b}").lower()]  # 175 to 280 billion
            suffix_shared = m.group(f"x{b}") and not m.group(f"x{a}") and not m.group(f"s{a}")
            if suffix_shared:
                first *= EN_SUFFIXES[m.group(f"x{b}")]  # 175-280B
            return NumberMatch(m.start(), m.end(), text, None, first, second, NumberKind.RANGE, approx, hint, scale)
        if hint is UnitHint.PERCENT:
            first /= 100
        return NumberMatch(m.start(), m.end(), text, first, None, None, kind, approx, hint, scale)
    return None


def _overlaps_taken(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of `taken` (sorted, non-overlapping): a binary search, not a scan."""
    at = bisect.bisect_left(taken, (end,))
    return at > 0 and taken[at - 1][1] > start


def find_en(text: str) -> list[NumberMatch]:
    found: list[NumberMatch] = []
    taken: list[tuple[int, int]] = []  # month and year spans, in text order
    for m in _EN_MONTH.finditer(text):
        if m.start() == 0 and m.group("m1") == "May":
            continue  # sentence-initial "May" is the modal verb
        if m.group("m2"):
            found.append(NumberMatch(m.start(), m.end(), m.group(), None, float(EN_MONTHS[m.group("m1")]),
                                     float(EN_MONTHS[m.group("m2")]), NumberKind.RANGE, False, UnitHint.MONTH, None))
        else:
            found.append(NumberMatch(m.start(), m.end(), m.group(), float(EN_MONTHS[m.group("m1")]), None, None,
                                     NumberKind.EXACT, False, UnitHint.MONTH, None))
        taken.append((m.start(), m.end()))
    for m in _EN_YEAR.finditer(text):
        if not _in_name(text, m.start()):
            found.append(NumberMatch(m.start(), m.end(), m.group(), float(m.group()), None, None, NumberKind.EXACT,
                                     False, UnitHint.YEAR, None))
            taken.append((m.start(), m.end()))
    taken.sort()
    for m in _EN_NUMBER.finditer(text):
        if _in_name(text, _core_start(m)) or _overlaps_taken(taken, m.start(), m.end()):
            continue
        match = _en_match(m)
        if match is not None:
            found.append(_trim(match))
    return sorted(found, key=lambda n: n.start)


def same_value(a: Optional[float], b: Optional[float]) -> bool:
    """Two normalized values are the same number (both missing counts as the same)."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def find_numbers(text: str, language: str) -> list[NumberMatch]:
    """Every number in `text` ('zh' or 'en'), left to right."""
    return find_zh(text) if language == "zh" else find_en(text)


def parse_number(text: str, language: str) -> Optional[NumberMatch]:
    """The number when `text` is exactly one number expression, else None."""
    found = find_numbers(text, language)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0]
    return None
