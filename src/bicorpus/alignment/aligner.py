"""Align a Chinese text with its English translation (or original), unit by unit.

Input: one unit (paragraph or sentence) per line on each side. Output: beads that cover
every line of both sides exactly once and in order: 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0 and 0-1.

The design follows the classic aligners. Like Gale & Church (1993), the cost of a bead
starts from how far its length ratio strays from the document's own ratio and from a prior
on its type; Latin-script text inside the Chinese (names, commands, untranslated passages)
counts one for one, the ratio is the median over anchored pairs, and the cost is linear
beyond 1.5 standard deviations, as translators sometimes shorten or expand a paragraph a lot.
Like vecalign (Thompson & Koehn 2019) and Bertalign (Liu & Zhu 2022), dynamic programming runs
inside a band around a guide path, so the cost grows with the length of the documents rather
than with their product: on inputs up to COARSE_ABOVE units the guide runs through anchors and
the band is as wide as the difference of line counts needs; on longer ones both sides are
coarsened, aligned, and the path refined inside a band of fixed width (vecalign's coarse to
fine), so that time and memory do not depend on that difference. Without embeddings, similarity comes from
signals that survive translation between Chinese and English: numbers equal after
normalization (1750 亿 = 175 billion), Latin-script tokens found on both sides (model
names, acronyms, code, URLs), entity aliases from an inventory (英伟达 = Nvidia), and the
shape of a unit (headings, list items). The guide path runs through anchors: units that
share a token found exactly once on each side, kept where they form an increasing chain.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterable, NamedTuple, Optional, Sequence

import numpy as np

from ..annotation.numbers import find_numbers
from ..schema import Bead

# -log prior of each bead type (Gale & Church's estimates, 2-2 a little likelier for paragraphs)
BEAD_TYPES = {(1, 1): 0.0, (1, 0): 1.5, (0, 1): 1.5, (2, 1): 2.6, (1, 2): 2.6, (2, 2): 4.2, (3, 1): 5.0, (1, 3): 5.0}
LENGTH_VARIANCE = 6.8  # Gale & Church's variance per character (of the mean of expected and observed English length)
SHARED_REWARD = 1.2  # per token, number or entity found on both sides of a bead
UNSHARED_PENALTY = 0.7  # per distinctive token found on one side only
SKIP_COST = 1.0  # extra cost of leaving a unit unaligned (on top of its prior)
SENTENCE_WEIGHT = 1.5  # per sentence of difference between the two sides of a bead
HEADING_SKIP_COST = 0.5  # translators rarely drop or add a heading
SHAPE_MISMATCH_COST = 3.0  # a heading merged with body text on one side only
PIVOT_WEIGHT = 8.0  # times the Dice overlap of content words, when both sides carry English words
STOPWORDS = frozenset("""the and for that with this from have has are was were will would been being its their they them
than then there these those which what when where while into onto about also more most much many such some only other
over just like even because could should might must does did not but all any can may our your his her who whom whose""".split())
EMBEDDING_WEIGHT = 4.0  # per unit of cosine similarity, with --embeddings
EMBEDDING_CENTER = 0.4  # the cosine at which the embeddings neither favour nor oppose a bead
MIN_BAND = 12
MAX_SPAN = 3  # units on one side of a bead
COARSE_ABOVE = 2000  # units: longer inputs are searched coarse to fine
COARSE_FACTOR = 4  # units of the finer level joined into one unit of the coarser
COARSEST = 500  # units: coarse levels are coarsened again above this size
FINE_RADIUS = 10  # half-width of the band around the projected coarse path
LENGTH_TAIL = 1.5  # standard deviations; Huber's usual choice is 1.345
MIN_ANCHORS_FOR_MODEL = 5
MIN_LENGTH_FOR_RATIO = 20  # Chinese characters: the ratio of a short heading says little
TOKEN_BALANCE = 0.5  # a Latin token counts when the rarer side uses it in at least half as many units

_WORD = re.compile(r"[a-z]{3,}")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.·/][A-Za-z0-9]+)*|\d+(?:\.\d+)?[A-Za-z]+[A-Za-z0-9]*")
_NUMBERING = re.compile(r"^\s*(?:[A-Za-z]+\s+)?(?:\d+|[A-Z])(?:\.\d+)*\.?\s+")  # "6.1. ", "Chapter 3. ": not sentence ends
_HEADING_END = re.compile(r"[。！？.!?:：;；,，)）\"”']\s*$")
_SENTENCE_END = {"zh": re.compile(r"[。！？!?]+[”’」』）)]*"), "en": re.compile(r"(?<![A-Z])(?<!\be\.g)(?<!\bi\.e)[.!?]+[\"”’')]*(?=\s|$)")}


@dataclass(frozen=True)
class Unit:
    length: int
    sentences: int  # sentence ends: translators mostly keep a paragraph's number of sentences
    keys: frozenset  # distinctive things both sides can share: numbers, Latin tokens, entity ids
    heading: bool
    blank: bool
    words: frozenset = frozenset()  # English content words: of the unit, or of its translation (pivot)
    carried: int = 0  # characters of a Chinese unit that a translation carries over as they are (Latin script, digits)
    vector: Optional[np.ndarray] = field(default=None, compare=False)  # a sentence embedding (--embeddings), L2-normalized


@dataclass(frozen=True)
class AlignedBead:
    zh: tuple[int, ...]
    en: tuple[int, ...]
    cost: float

    def as_bead(self) -> Bead:
        return Bead(self.zh, self.en)


def _number_keys(text: str, language: str) -> set:
    keys = set()
    for n in find_numbers(text, language):
        for v in (n.value, n.low, n.high):
            if v is not None and not (n.unit_hint.value == "none" and v < 10 and float(v).is_integer()):
                keys.add(("num", float(f"{v:.6g}")))  # small bare integers (one, 两) are too common to anchor
    return keys


def _latin_keys(text: str) -> set:
    return {("tok", t.lower()) for t in _LATIN.findall(text) if len(t) > 1 or t.isupper()}


def content_words(text: str) -> frozenset:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


def units(lines: Sequence[str], language: str, aliases: Optional[dict[str, str]] = None,
          pivot: Optional[Sequence[str]] = None, vectors: Optional[np.ndarray] = None) -> list[Unit]:
    """Units with their alignment signals. `pivot`, one English text per line, gives the
    content words to compare with an English other side (our translation of each Chinese
    unit, when the other side is an English original)."""
    out = []
    for index, line in enumerate(lines):
        text = line.strip()
        keys = _number_keys(text, language) | _latin_keys(text)
        for alias, entity in (aliases or {}).items():
            if alias in text:
                keys.add(("ent", entity))
        numbered = _NUMBERING.sub("", text)
        # a heading has none; an untranslated passage inside Chinese text ends its sentences the English way
        sentences = len(_SENTENCE_END[language].findall(numbered)) + (len(_SENTENCE_END["en"].findall(numbered)) if language == "zh" else 0)
        words = content_words(pivot[index]) if pivot is not None else frozenset()
        carried = sum(c < "\u2000" for c in text) if language == "zh" else 0  # Latin script, digits, ASCII spaces and marks
        out.append(Unit(len(text) - carried, sentences, frozenset(keys),
                        bool(text) and len(text) < 60 and not _HEADING_END.search(text), not text, words, carried,
                        None if vectors is None else vectors[index]))
    return out


def _restrict_latin(zh: list[Unit], en: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """Keep only Latin tokens that both sides use about equally often. An English word that
    never occurs in the Chinese says nothing about alignment, and neither does a common word
    that occurs in a few untranslated Chinese units but in most English ones."""
    # every unit counts, those where Latin script outweighs Chinese (commands, file names, untranslated
    # passages) too: the balance rule, not the unit's script, tells a name from an everyday English word
    unit_counts = lambda side: Counter(k for u in side for k in u.keys if k[0] == "tok")

    count_zh, count_en = unit_counts(zh), unit_counts(en)
    shared = {k for k in count_zh.keys() & count_en.keys()
              if min(count_zh[k], count_en[k]) >= TOKEN_BALANCE * max(count_zh[k], count_en[k])}
    keep = lambda u: replace(u, keys=frozenset(k for k in u.keys if k[0] != "tok" or k in shared))
    return [keep(u) for u in zh], [keep(u) for u in en]


@dataclass(frozen=True)
class LengthModel:
    ratio: float  # English characters per translated Chinese character

    def delta(self, zh: "Span", en: "Span") -> float:
        """How many standard deviations the English length strays from what the Chinese predicts."""
        expected = self.ratio * zh.length + zh.carried
        observed = en.length
        return (observed - expected) / math.sqrt(LENGTH_VARIANCE * (expected + observed) / 2 + 1.0)


def _ratio(zh: Sequence[Unit], en: Sequence[Unit]) -> float:
    """English characters per translated Chinese character; carried-over characters count one for one."""
    total_zh, total_en = sum(u.length for u in zh), sum(u.length for u in en) - sum(u.carried for u in zh)
    return max(total_en + 1, 1) / (total_zh + 1)


def length_model(zh: Sequence[Unit], en: Sequence[Unit], points: Sequence[tuple[int, int]]) -> LengthModel:
    """The document's own length ratio. Units that anchor each other are almost surely translations
    of each other, so when there are enough anchors the ratio comes from them, not skewed by
    paragraphs that only one side has. (A variance estimated the same way came out tighter than
    Gale & Church's and made alignment worse on the benchmark's development set, so it stays fixed.)"""
    ratios = sorted(_ratio([zh[i]], [en[j]]) for i, j in points if zh[i].length >= MIN_LENGTH_FOR_RATIO)
    if len(ratios) < MIN_ANCHORS_FOR_MODEL:
        return LengthModel(_ratio(zh, en))
    # the median, since an anchor can also join a merged or split paragraph to one of its parts
    return LengthModel(ratios[len(ratios) // 2])


def anchors(zh: Sequence[Unit], en: Sequence[Unit]) -> list[tuple[int, int]]:
    """(i, j) pairs sharing a key found exactly once on each side, as the longest chain
    increasing in both i and j."""
    where_zh, where_en = {}, {}
    for i, u in enumerate(zh):
        for k in u.keys:
            where_zh.setdefault(k, []).append(i)
    for j, u in enumerate(en):
        for k in u.keys:
            where_en.setdefault(k, []).append(j)
    pairs = sorted({(where_zh[k][0], where_en[k][0]) for k in where_zh
                    if len(where_zh[k]) == 1 and len(where_en.get(k, [])) == 1})
    # longest strictly increasing subsequence in j (pairs sorted by i, then j)
    tails, tail_index, previous = [], [], [-1] * len(pairs)
    for idx, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos > 0:
            previous[idx] = tail_index[pos - 1]
        if pos == len(tails):
            tails.append(j)
            tail_index.append(idx)
        else:
            tails[pos], tail_index[pos] = j, idx
    chain, idx = [], tail_index[-1] if tail_index else -1
    while idx != -1:
        chain.append(pairs[idx])
        idx = previous[idx]
    chain.reverse()
    # an anchor chain must also increase in i
    strict, last_i = [], -1
    for i, j in chain:
        if i > last_i:
            strict.append((i, j))
            last_i = i
    return strict


@dataclass(frozen=True)
class Span:
    """One side of a bead: up to two consecutive units, summed once before the search."""
    size: int
    length: int
    carried: int
    sentences: int
    keys: frozenset
    words: frozenset
    heading: bool  # a single unit that looks like a heading
    untitled: int  # units with no sentence end (headings, list items)
    headings: int = 0  # units that look like headings
    vector: Optional[np.ndarray] = field(default=None, compare=False)  # the units' embeddings summed, L2-normalized


def span(units_: Sequence[Unit]) -> Span:
    return Span(len(units_), sum(u.length for u in units_), sum(u.carried for u in units_), sum(u.sentences for u in units_),
                frozenset().union(*(u.keys for u in units_)), frozenset().union(*(u.words for u in units_)),
                len(units_) == 1 and units_[0].heading, sum(u.sentences == 0 for u in units_), sum(u.heading for u in units_),
                _normalized(sum(u.vector for u in units_)) if units_ and units_[0].vector is not None else None)


def _normalized(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)


def _embedding_cost(cosine):
    """Translations come out at a cosine of 0.7-0.9 with a multilingual encoder, other pairs near 0."""
    return EMBEDDING_WEIGHT * (EMBEDDING_CENTER - cosine)


def bead_cost(zh: Span, en: Span, model: LengthModel, shape: tuple[int, int]) -> float:
    if not zh.size or not en.size:
        return _skip_cost(shape, zh.heading or en.heading)
    cost = BEAD_TYPES[shape]
    # Gale & Church: the English length is normal around ratio × Chinese length (plus what is carried over
    # as is), with a variance that grows with the length, so short units (headings, list items) are not
    # held to a tight ratio
    delta = abs(model.delta(zh, en))
    # Gaussian near the expected length, linear in the tails (Huber): translators do sometimes
    # shorten or expand a paragraph a lot, and a skip of each side should not then look cheaper
    cost += delta * delta / 2 if delta <= LENGTH_TAIL else LENGTH_TAIL * (delta - LENGTH_TAIL / 2)
    shared = len(zh.keys & en.keys)
    cost -= SHARED_REWARD * shared
    cost += UNSHARED_PENALTY * len(zh.keys ^ en.keys) / (1.0 + shared)
    cost += SENTENCE_WEIGHT * abs(zh.sentences - en.sentences)
    if zh.words and en.words:
        cost -= PIVOT_WEIGHT * 2 * len(zh.words & en.words) / (len(zh.words) + len(en.words))
    if _mixes_shapes(zh, en) or _mixes_shapes(en, zh):
        cost += SHAPE_MISMATCH_COST
    if (zh.size > 1 and zh.headings == zh.size) or (en.size > 1 and en.headings == en.size):
        cost += SHAPE_MISMATCH_COST  # translators do not join two headings into one
    if zh.size == 1 and en.size == 1 and zh.heading != en.heading:
        cost += 1.0
    if zh.vector is not None and en.vector is not None:
        cost += _embedding_cost(float(zh.vector @ en.vector))
    return cost


def _skip_cost(shape: tuple[int, int], heading: bool) -> float:
    """A 1-0 or 0-1 bead: a unit left unaligned."""
    return BEAD_TYPES[shape] + SKIP_COST + (HEADING_SKIP_COST if heading else 0.0)


def _mixes_shapes(side: Span, other: Span) -> bool:
    """A heading (no sentence end) merged with body text on one side, no heading on the other."""
    return side.size > 1 and 0 < side.untitled < side.size and not other.untitled


# ---------------------------------------------------------------------------------------
# the search: rows of the band in numpy, coarse to fine


class _Side:
    """Sums over every span of 1..MAX_SPAN consecutive units of one side, as arrays indexed by the span's end."""

    def __init__(self, units_: Sequence[Unit]):
        count = len(units_)
        self.units = units_

        def windows(values) -> np.ndarray:
            cumulative = np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=float))])
            out = np.zeros((MAX_SPAN + 1, count + 1))
            for size in range(1, MAX_SPAN + 1):
                out[size, size:] = cumulative[size:] - cumulative[:-size]
            return out

        self.length = windows([u.length for u in units_])
        self.carried = windows([u.carried for u in units_])
        self.sentences = windows([u.sentences for u in units_])
        self.untitled = windows([u.sentences == 0 for u in units_])
        self.headings = windows([u.heading for u in units_])
        self.heading = np.array([False] + [u.heading for u in units_])  # of the single unit ending there
        self.vectors = None
        if count and units_[0].vector is not None:
            cumulative = np.concatenate([np.zeros((1, len(units_[0].vector))), np.cumsum([u.vector for u in units_], axis=0)])
            self.vectors = np.zeros((MAX_SPAN + 1, count + 1, cumulative.shape[1]))
            for size in range(1, MAX_SPAN + 1):
                self.vectors[size, size:] = _normalized(cumulative[size:] - cumulative[:-size])


class _Lists(NamedTuple):
    """Lists of ids as compressed sparse rows: list k holds ids[offsets[k]:offsets[k + 1]]; for each
    entry, `owner` is its list and `previous` the last earlier list that holds the same id (-1 if none)."""
    offsets: np.ndarray
    ids: np.ndarray
    owner: np.ndarray
    previous: np.ndarray


def _compressed(id_lists: Sequence[list]) -> _Lists:
    offsets = np.zeros(len(id_lists) + 1, dtype=np.int64)
    np.cumsum([len(ids) for ids in id_lists], out=offsets[1:])
    return _lists(offsets, np.fromiter(itertools.chain.from_iterable(id_lists), dtype=np.int64, count=int(offsets[-1])))


def _joined(lists: _Lists) -> _Lists:
    """Each COARSE_FACTOR neighbouring lists as one that holds the ids of all of them, as _coarser joins units."""
    count = -(-(lists.offsets.size - 1) // COARSE_FACTOR)
    span_ = int(lists.ids.max(initial=0)) + 1
    pairs = np.unique(lists.owner // COARSE_FACTOR * span_ + lists.ids)  # by joined list, then id; each pair once
    owner = pairs // span_
    return _lists(np.searchsorted(owner, np.arange(count + 1)), pairs % span_)


def _lists(offsets: np.ndarray, ids: np.ndarray) -> _Lists:
    owner = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    order = np.lexsort((owner, ids))  # by id, then by list
    previous = np.full(ids.size, -1, dtype=np.int64)
    again = ids[order[1:]] == ids[order[:-1]]
    previous[order[1:][again]] = owner[order[:-1][again]]
    return _Lists(offsets, ids, owner, previous)


# An entry of list u counts once in a span of b lists ending at u + 1 .. u + b: in the one whose start
# is after `previous`. Each column is one (b, end - u) pair.
_SPAN_SIZE = np.array([b for b in range(1, MAX_SPAN + 1) for _ in range(b)])
_SPAN_END = np.array([later + 1 for b in range(1, MAX_SPAN + 1) for later in range(b)])


def _distinct_per_span(lists: _Lists) -> np.ndarray:
    """An array (b, j): how many different ids the span of b = 1..MAX_SPAN lists ending at j holds
    (0 where it would start before the first list)."""
    count = lists.offsets.size - 1
    ends = lists.owner[:, None] + _SPAN_END
    first = (ends - _SPAN_SIZE > lists.previous[:, None]) & (ends >= _SPAN_SIZE) & (ends <= count)
    cells = _SPAN_SIZE * (count + 1) + ends
    return np.bincount(cells[first], minlength=(MAX_SPAN + 1) * (count + 1)).reshape(MAX_SPAN + 1, count + 1).astype(float)


class _Carriers:
    """Which units of each side carry which things (keys, or content words), as integer ids, so that
    a row of the band counts the things two spans share with a few array operations on the entries
    it matches, however many things its units carry (a unit of a coarse level carries those of all its
    parts); `zh_counts` and `en_counts`: how many things each span of a side carries (_distinct_per_span)."""

    def __init__(self, zh: _Lists, en: _Lists):
        self.zh, self.en = zh, en
        self.any = bool(zh.ids.size and en.ids.size)
        self.zh_counts, self.en_counts = _distinct_per_span(zh), _distinct_per_span(en)

    @staticmethod
    def of(zh_things: Sequence[frozenset], en_things: Sequence[frozenset]) -> "_Carriers":
        ids: dict = {}
        id_lists = lambda side: [[ids.setdefault(thing, len(ids)) for thing in things] for things in side]
        return _Carriers(_compressed(id_lists(zh_things)), _compressed(id_lists(en_things)))

    def coarser(self) -> "_Carriers":
        """The carriers of both sides coarsened by _coarser: arrays joined, not sets in Python, since a coarse
        level carries about as many things as the finest (each unit those of all its parts)."""
        return _Carriers(_joined(self.zh), _joined(self.en))

    def shared(self, i: int, count: int, lo: int, hi: int) -> np.ndarray:
        """An array (a - 1, b - 1, j - lo): how many things the Chinese span of a = 1..count units ending
        at i shares with the English span of b = 1..MAX_SPAN units ending at j, for lo <= j <= hi."""
        width = hi - lo + 1
        zh, en = self.zh, self.en
        start, stop = zh.offsets[i - count], zh.offsets[i]
        # a thing is in the Chinese spans of at least i - (the last unit that carries it) units
        things, last = np.unique(zh.ids[start:stop][::-1], return_index=True)
        smallest = i - zh.owner[start:stop][::-1][last]
        start, stop = en.offsets[max(lo - MAX_SPAN, 0)], en.offsets[hi]
        ids = en.ids[start:stop]
        position = np.minimum(np.searchsorted(things, ids), things.size - 1)
        held = things[position] == ids if things.size else np.zeros(ids.size, dtype=bool)
        ends = en.owner[start:stop][held, None] + _SPAN_END
        # counted once in an English span (one that would start before the first unit starts there)
        first = (np.maximum(ends - _SPAN_SIZE, 0) > en.previous[start:stop][held, None]) & (ends >= lo) & (ends <= hi)
        cells = ((smallest[position[held], None] - 1) * MAX_SPAN + _SPAN_SIZE - 1) * width + ends - lo
        counts = np.bincount(cells[first], minlength=count * MAX_SPAN * width).astype(float).reshape(count, MAX_SPAN, width)
        return np.cumsum(counts, axis=0)  # a Chinese span holds the things of the shorter ones ending at i


_PRIORS = np.array([[BEAD_TYPES.get((a, b), np.inf) for b in range(MAX_SPAN + 1)] for a in range(MAX_SPAN + 1)])
_SIZES = np.arange(MAX_SPAN + 1)


def _costs(count: int, i: int, zh: _Side, en: _Side, lo: int, hi: int, model: LengthModel,
           keys: _Carriers, words: _Carriers) -> np.ndarray:
    """bead_cost for the Chinese spans of a = 1, 2, ... units ending at i and the English spans of
    b = 1..MAX_SPAN units ending at lo..hi, as an array (a - 1, b - 1, j - lo): the sums of
    bead_cost, over a row of the band at once (shapes that are not bead types come out too, unused).
    `keys` and `words`: which units carry which keys and content words."""
    js = slice(lo, hi + 1)
    zh_sizes, en_sizes = _SIZES[1:count + 1, None, None], _SIZES[None, 1:, None]
    of_zh = lambda values: values[1:count + 1, i, None, None]
    of_en = lambda values: values[None, 1:, js]
    observed = of_en(en.length)
    expected = model.ratio * of_zh(zh.length) + of_zh(zh.carried)
    delta = np.abs((observed - expected) / np.sqrt(LENGTH_VARIANCE * (expected + observed) / 2 + 1.0))
    tail = np.minimum(delta, LENGTH_TAIL)  # Huber: Gaussian up to the tail, linear beyond
    cost = _PRIORS[1:count + 1, 1:, None] + tail * tail / 2 + LENGTH_TAIL * (delta - tail)
    shared = keys.shared(i, count, lo, hi)
    cost -= SHARED_REWARD * shared
    cost += UNSHARED_PENALTY * (of_zh(keys.zh_counts) + of_en(keys.en_counts) - 2 * shared) / (1.0 + shared)
    cost += SENTENCE_WEIGHT * np.abs(of_zh(zh.sentences) - of_en(en.sentences))
    common = words.shared(i, count, lo, hi) if words.any else None
    if common is not None and common.any():
        z_words, en_words = of_zh(words.zh_counts), of_en(words.en_counts)
        cost -= ((en_words > 0) & (z_words > 0)) * (PIVOT_WEIGHT * 2 * common / np.maximum(z_words + en_words, 1))
    untitled, z_untitled = of_en(en.untitled), of_zh(zh.untitled)
    # a heading merged with body text on one side only (_mixes_shapes)
    mixed = ((zh_sizes > 1) & (0 < z_untitled) & (z_untitled < zh_sizes) & (untitled == 0)) | \
            ((en_sizes > 1) & (0 < untitled) & (untitled < en_sizes) & (z_untitled == 0))
    # translators do not join two headings into one
    joined = ((zh_sizes > 1) & (of_zh(zh.headings) == zh_sizes)) | ((en_sizes > 1) & (of_en(en.headings) == en_sizes))
    cost += SHAPE_MISMATCH_COST * (mixed.astype(float) + joined)
    cost[0, 0] += en.heading[js] != zh.heading[i]
    if zh.vectors is not None and en.vectors is not None:
        cost += _embedding_cost(np.einsum("ad,bwd->abw", zh.vectors[1:count + 1, i], en.vectors[1:, js]))
    for b in range(1, MAX_SPAN + 1):
        cost[:, b - 1, :max(0, b - lo)] = np.inf  # spans that would start before the first unit
    return cost


def _search(zh: _Side, en: _Side, model: LengthModel, lo: np.ndarray, hi: np.ndarray, keys: _Carriers,
            words: _Carriers) -> list[tuple[int, int]]:
    """The cheapest path from (0, 0) to (n, m) inside the band lo[i] <= j <= hi[i], as bead shapes
    from the start. Only the last MAX_SPAN rows of costs are kept; back pointers are one byte a cell."""
    n = len(zh.units)
    types = list(BEAD_TYPES)
    both_sides = [(t, a, b) for t, (a, b) in enumerate(types) if a and b]
    rows: dict[int, np.ndarray] = {}
    back = []
    for i in range(n + 1):
        width = hi[i] - lo[i] + 1
        totals = np.full((len(types), width), np.inf)
        if i == 0:
            totals[types.index((1, 1)), 0 - lo[0]] = 0.0  # the start, before any bead
        for t, (a, b) in enumerate(types):
            if a == 0 or a > i:
                continue
            previous = rows[i - a]
            start = lo[i] - b - lo[i - a]  # where this row's first cell comes from in the previous row
            first, last = max(start, 0), min(start + width, len(previous))
            if first < last:
                totals[t, first - start:last - start] = previous[first:last]
        if i:
            totals[types.index((1, 0))] += _skip_cost((1, 0), bool(zh.heading[i]))
            count = min(i, MAX_SPAN)
            costs = _costs(count, i, zh, en, lo[i], hi[i], model, keys, words)
            for t, a, b in both_sides:
                if a <= i:
                    totals[t] += costs[a - 1, b - 1]
        arg = np.argmin(totals, axis=0).astype(np.int8)
        best = totals[arg, np.arange(width)]
        if i == 0:
            arg[0 - lo[0]] = -1
        # 0-1 beads within the row: best[j] = min(best[j], best[j-1] + skip[j]), a min-plus prefix scan
        skip = BEAD_TYPES[(0, 1)] + SKIP_COST + np.where(en.heading[lo[i]:hi[i] + 1], HEADING_SKIP_COST, 0.0)
        skip[0] = 0.0
        running = np.cumsum(skip)
        scanned = running + np.minimum.accumulate(best - running)
        chained = scanned < best - 1e-9
        best, arg = np.where(chained, scanned, best), np.where(chained, types.index((0, 1)), arg).astype(np.int8)
        rows[i] = best
        rows.pop(i - MAX_SPAN - 1, None)
        back.append(arg)
    m_end = len(en.units)
    if not np.isfinite(rows[n][m_end - lo[n]]):
        raise RuntimeError("no alignment path inside the band")
    shapes, i, j = [], n, m_end
    while i or j:
        a, b = types[back[i][j - lo[i]]]
        shapes.append((a, b))
        i, j = i - a, j - b
    shapes.reverse()
    return shapes


def _band_around(knots: Sequence[tuple[float, float]], n: int, m: int, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row i, the j range within `radius` of a path given by its knots, made contiguous so that a
    path from (0, 0) to (n, m) exists inside it."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        for x in range(int(math.floor(x0)), int(math.ceil(x1)) + 1):
            if not 0 <= x <= n:
                continue
            if x1 == x0:
                ys = (y0, y1)
            else:
                t0, t1 = max(0.0, (x - 0.5 - x0) / (x1 - x0)), min(1.0, (x + 0.5 - x0) / (x1 - x0))
                ys = (y0 + (y1 - y0) * t0, y0 + (y1 - y0) * t1)
            lo[x] = min(lo[x], int(math.floor(min(ys))) - radius)
            hi[x] = max(hi[x], int(math.ceil(max(ys))) + radius)
    lo, hi = np.clip(lo, 0, m), np.clip(hi, 0, m)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
        hi[i - 1] = max(hi[i - 1], lo[i])
        hi[i] = max(hi[i], lo[i])
    return lo, hi


def _coarser(units_: Sequence[Unit]) -> list[Unit]:
    """Each COARSE_FACTOR neighbouring units as one, for the coarse pass. Their keys and words are left
    empty: the coarse pass takes them from _Carriers.coarser."""
    out = []
    for k in range(0, len(units_), COARSE_FACTOR):
        group = units_[k:k + COARSE_FACTOR]
        vector = _normalized(sum(u.vector for u in group)) if group[0].vector is not None else None
        out.append(Unit(sum(u.length for u in group), sum(u.sentences for u in group), frozenset(), False, all(u.blank for u in group),
                        frozenset(), sum(u.carried for u in group), vector))
    return out


def _path_knots(shapes: Sequence[tuple[int, int]], scale: int = 1) -> list[tuple[float, float]]:
    knots, i, j = [(0.0, 0.0)], 0, 0
    for a, b in shapes:
        i, j = i + a, j + b
        knots.append((float(i * scale), float(j * scale)))
    return knots


def _shapes(zh: list[Unit], en: list[Unit], model: LengthModel, guide_knots: list[tuple[float, float]],
            band: Optional[int], coarse_above: int = COARSE_ABOVE, carriers: Optional[tuple[_Carriers, _Carriers]] = None
            ) -> list[tuple[int, int]]:
    """Small inputs: a band around the anchor guide, as wide as the difference of line counts needs.
    Large ones: align both sides coarsened by COARSE_FACTOR, then search a band of fixed width around that path
    (vecalign's coarse to fine), so that time and memory grow with the length alone. `carriers`: the keys
    and words of the units (of a coarse level, made from the finer one's)."""
    n, m = len(zh), len(en)
    keys, words = carriers or (_Carriers.of([u.keys for u in zh], [u.keys for u in en]),
                               _Carriers.of([u.words for u in zh], [u.words for u in en]))
    if band is not None or max(n, m) <= coarse_above:
        lo, hi = _band_around(guide_knots, n, m, band or max(MIN_BAND, abs(n - m) + 4))
    else:
        shrunk = [(x / COARSE_FACTOR, y / COARSE_FACTOR) for x, y in guide_knots]
        coarse = _shapes(_coarser(zh), _coarser(en), model, shrunk, None, COARSEST, (keys.coarser(), words.coarser()))
        knots = [(min(x, n), min(y, m)) for x, y in _path_knots(coarse, COARSE_FACTOR)]
        lo, hi = _band_around(knots, n, m, FINE_RADIUS)
    return _search(_Side(zh), _Side(en), model, lo, hi, keys, words)


@contextmanager
def _cycle_collection_paused():
    """The aligner's objects (units, key sets, spans, arrays) form no reference cycles, so Python's
    cyclic garbage collector finds nothing of theirs to free; but each of its full passes walks every
    live object, and both their number and the number of passes grow with the input: on 20,000 ×
    22,000 units it took about 15 % of the time, the part that grew faster than the input. Paused
    while aligning, and resumed as it was (reference counting still frees whatever the aligner lets go of)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def align_units(zh: list[Unit], en: list[Unit], band: Optional[int] = None) -> list[AlignedBead]:
    n, m = len(zh), len(en)
    if n == 0 or m == 0:
        return [AlignedBead((i,), (), 0.0) for i in range(n)] + [AlignedBead((), (j,), 0.0) for j in range(m)]
    with _cycle_collection_paused():
        # rebinding lets the unrestricted units go (a wrapper holding them would keep both copies alive)
        zh, en = _restrict_latin(zh, en)
        points = anchors(zh, en)
        model = length_model(zh, en, points)
        knots = [(0.0, 0.0)] + [(float(i), float(j)) for i, j in points] + [(float(n), float(m))]
        beads, i, j = [], 0, 0
        for a, b in _shapes(zh, en, model, knots, band):
            cost = bead_cost(span(zh[i:i + a]), span(en[j:j + b]), model, (a, b))
            beads.append(AlignedBead(tuple(range(i, i + a)), tuple(range(j, j + b)), round(cost, 4)))
            i, j = i + a, j + b
        return beads


def align(zh_lines: Sequence[str], en_lines: Sequence[str], aliases_zh: Optional[dict[str, str]] = None,
          aliases_en: Optional[dict[str, str]] = None, band: Optional[int] = None, encoder=None) -> list[AlignedBead]:
    """Beads covering every line of both sides exactly once, in order. `encoder`, a function from
    texts to L2-normalized sentence embeddings (alignment.embeddings), adds their similarity."""
    vectors = (encoder(list(zh_lines)), encoder(list(en_lines))) if encoder is not None and zh_lines and en_lines else (None, None)
    with _cycle_collection_paused():
        return align_units(units(zh_lines, "zh", aliases_zh, vectors=vectors[0]), units(en_lines, "en", aliases_en, vectors=vectors[1]),
                           band)


def align_within(paragraph_beads: Iterable, zh_paragraph_of: Sequence[int], en_paragraph_of: Sequence[int],
                 zh_sentences: Sequence[str], en_sentences: Sequence[str]) -> list[AlignedBead]:
    """Sentence beads inside each paragraph bead (anything with .zh and .en paragraph indices), with
    sentence indices counted over the whole document. `*_paragraph_of[k]` is the paragraph of
    sentence k. One sentence a side is a 1-1 bead; a side with none leaves the other's unaligned."""
    members = lambda paragraph_of, wanted: [k for k, p in enumerate(paragraph_of) if p in wanted]
    out = []
    for bead in paragraph_beads:
        zs, es = members(zh_paragraph_of, set(bead.zh)), members(en_paragraph_of, set(bead.en))
        if len(zs) == 1 and len(es) == 1:
            out.append(AlignedBead((zs[0],), (es[0],), 0.0))
            continue
        for inner in align([zh_sentences[k] for k in zs], [en_sentences[k] for k in es]):
            out.append(AlignedBead(tuple(zs[k] for k in inner.zh), tuple(es[k] for k in inner.en), inner.cost))
    return out


def format_scored(beads: Iterable[AlignedBead], scores: bool) -> str:
    from .gold_beads import format_bead

    return "".join(format_bead(b.as_bead()) + (f"\t{b.cost:.4f}" if scores else "") + "\n" for b in beads)


def score_alignment(gold: Sequence[Bead], test: Sequence[Bead]) -> dict:
    """Strict and lax precision, recall and F1 with vecalign's definitions: precision over
    every test bead (strict: the bead is in the gold; lax: it overlaps a gold bead on both
    sides); recall the same with gold and test swapped and beads with an empty side left out."""
    def counts(reference: Sequence[Bead], candidate: Sequence[Bead]) -> tuple[int, int, int]:
        reference_set = {(b.zh, b.en) for b in reference if b.zh or b.en}
        targets_of = {}
        for zh, en in reference_set:
            for z in zh:
                targets_of.setdefault(z, set()).update(en)
        strict = lax = total = 0
        for b in {(b.zh, b.en) for b in candidate if b.zh or b.en}:
            total += 1
            if b in reference_set:
                strict += 1
                lax += 1
            elif set(b[1]) & set().union(*(targets_of.get(z, set()) for z in b[0])):
                lax += 1
        return strict, lax, total

    ps, pl, pt = counts(gold, test)
    rs, rl, rt = counts([b for b in test if b.zh and b.en], [b for b in gold if b.zh and b.en])
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0
    p_strict, p_lax = (ps / pt if pt else 0.0), (pl / pt if pt else 0.0)
    r_strict, r_lax = (rs / rt if rt else 0.0), (rl / rt if rt else 0.0)
    return {"precision_strict": round(p_strict, 4), "recall_strict": round(r_strict, 4), "f1_strict": round(f1(p_strict, r_strict), 4),
            "precision_lax": round(p_lax, 4), "recall_lax": round(r_lax, 4), "f1_lax": round(f1(p_lax, r_lax), 4)}
