"""Open-vocabulary claim extraction rules for Chinese and English (`open_rules_v2`).

Unlike `baseline_rules_v1`, nothing here needs a document's own inventory or lexicon:

- entities: Chinese proper nouns by jieba's part-of-speech tags (nr, ns, nt, nz) and Latin-script
  names inside Chinese text; English title-case and acronym sequences; then, across an aligned
  pair, a Latin name found on one side is looked for in its bead on the other, and both get one id;
- numbers: the normalizer's proposals, decided by the guidelines' rules (section 8): ordinals,
  the indefinite 一 of a classifier phrase, 一 inside words, version and section numbers are no
  quantities; a counting classifier or time unit belongs to the number;
- hedge cues: a general bilingual lexicon (resources/hedge_cues.jsonl) organized by the hedge
  classes of the guidelines; a claim's level is the weakest epistemic cue's;
- claims: clauses (Chinese 但/而/因此 and semicolons, English coordinated and subordinate
  clauses), not whole sentences.

`Extras` (known names and cues) only raise recall: they come from documents the system is
declared to have seen, so `bicorpus evaluate` can say which scores are in-sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, Sequence

from ..annotation.numbers import NumberMatch, find_numbers
from ..schema import CueClass, EntityType, HedgeClass, HedgeCueEntry, HedgeLevel, Language, Layer
from ..spans import keep_longest
from .baseline import InputSentence, PredictedSpan, _unit, is_claim_bearing

RULES = "open_rules_v2"


@dataclass(frozen=True)
class Extras:
    """Names and cues known from seen documents: alias -> (entity id, type), and lexicon cues."""

    aliases: dict = field(default_factory=dict)  # (language, alias) -> (entity id, entity type)
    cues: dict = field(default_factory=dict)  # (language, cue) -> HedgeClass
    blocked: frozenset = frozenset()  # (language, cue): cues that were mostly no cue in the seen documents


def extras_from(documents: Iterable, min_precision: float = 0.5, min_count: int = 2) -> Extras:
    """What the gold of `documents` (built, annotated) teaches: the entity aliases and cues it
    uses, and the lexicon cues that it mostly rejects (matched at least `min_count` times,
    gold in under `min_precision` of them), which are then blocked."""
    from .protocol import scored_sentence_ids

    documents = list(documents)
    aliases, cues = {}, {}
    for built in documents:
        types = {e.id: e.type for e in built.annotations.entities}
        for m in built.rows["mentions"]:
            if m.layer is Layer.ENTITY and m.entity_id:
                aliases[(m.language, m.text)] = (m.entity_id, types.get(m.entity_id, EntityType.ORGANIZATION))
        lexicon = {(e.language, e.cue): e for e in built.annotations.cue_lexicon}
        for m in built.rows["mentions"]:
            entry = lexicon.get((m.language, m.text)) if m.layer is Layer.CUE else None
            if entry is not None:
                cues[(m.language, m.text)] = _class_of_gold(entry)
    unblocked = Extras(aliases, cues)
    seen: dict[tuple, list[int]] = {}
    for built in documents:
        keep = scored_sentence_ids(built)
        gold = {(m.sentence_id, m.sentence_start, m.sentence_end) for m in built.rows["mentions"] if m.layer is Layer.CUE}
        for sentence in built.rows["sentences"]:
            if sentence.id not in keep:
                continue
            one = InputSentence(sentence.id, sentence.language, sentence.text)
            tokens = list(zip(sentence.token_starts, sentence.token_ends))
            for cue, _ in cues_of(one, numbers_of(one), unblocked, tokens):
                counts = seen.setdefault((sentence.language, cue.text.lower()), [0, 0])
                counts[0] += 1
                counts[1] += (cue.sentence_id, cue.start, cue.end) in gold
    blocked = frozenset(key for key, (n, right) in seen.items() if n >= min_count and right / n < min_precision)
    return Extras(aliases, cues, blocked)


def _class_of_gold(entry) -> HedgeClass:
    if entry.cue_class is not CueClass.EPISTEMIC:
        return HedgeClass(entry.cue_class.value)
    if entry.effect.value == "raises":
        return HedgeClass.BOOSTER
    return HedgeClass.POSSIBLE if entry.cue in POSSIBLE_SURFACES else HedgeClass.PROBABLE


POSSIBLE_SURFACES = {"可能", "也许", "或许", "我猜", "may", "might", "could", "possibly", "perhaps", "maybe", "My guess is"}


@lru_cache(maxsize=1)
def hedge_lexicon() -> tuple[HedgeCueEntry, ...]:
    """The general lexicon shipped with the package (checked by `tests/test_open_rules.py`)."""
    from ..annotation.records import parse_records
    from ..problems import CorpusError
    from ..sources.capture import SourceFile

    path = "bicorpus/extraction/resources/hedge_cues.jsonl"
    text = resources.files("bicorpus.extraction").joinpath("resources/hedge_cues.jsonl").read_text(encoding="utf-8")
    loaded, problems = parse_records(SourceFile(path, text), HedgeCueEntry)
    if problems:
        raise CorpusError(problems)
    return tuple(loaded)


# ---- numbers -------------------------------------------------------------------------------

# Counting classifiers and units that belong to a Chinese number (两个, 约150名, 三种, 两岁, 14日, 一次).
ZH_CLASSIFIERS = ("个月", "小时", "分钟", "个", "名", "种", "处", "岁", "日", "天", "次", "位", "家", "项", "台", "条", "篇",
                  "本", "部", "款", "份", "套", "类", "版", "章", "点", "步", "场", "件", "张")
# After 一, only these make a count; other classifiers make the indefinite article (一个纯文本模型).
ZH_COUNT_AFTER_ONE = ("次", "年", "个月", "周", "天", "日", "小时", "倍", "个量级", "个数量级")
ZH_ONLY = ("只", "仅", "唯", "单", "只能", "仅仅")
ZH_ORDINAL_BEFORE = ("第", "另", "下", "上", "这", "那", "每", "同", "进", "统", "唯", "单", "之", "无", "任何", "某")
ZH_NOT_AFTER = ("进制", "手", "臂", "夜", "提", "员", "空", "贯", "新", "身", "下", "部分", "段时间", "些", "直", "切")
EN_PRONOUN_ONE = re.compile(r"^(?:one)(?=\s+(?:of|another|to|first|in|for|day|can|could|must|should|would)\b)", re.I)
LATIN_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\s$")
REFERENCE_WORDS = {"version", "release", "chapter", "section", "figure", "table", "appendix"}
SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?(?=\s|$)")


def _names_or_refers(word: str) -> bool:
    """A word after which a bare number is part of a name or a reference (Debian 11, chapter 15)."""
    return word.lower() in REFERENCE_WORDS or (word[0].isupper() and word not in EN_STOP)


def _keep_number(text: str, n: NumberMatch, language: Language) -> Optional[tuple[int, int]]:
    """The number's span after the guidelines' rules, or None when it is no quantity."""
    before, after = text[:n.start], text[n.end:]
    word = LATIN_BEFORE.search(before[-20:])
    if word and re.fullmatch(r"[0-9.]+", n.text) and _names_or_refers(word.group(1)):
        return None  # Debian 11, version 3.38, Chapter 15: a name or a reference, not a quantity
    if SECTION_NUMBER.match(text) and n.start < SECTION_NUMBER.match(text).end():
        return None
    if language is Language.EN:
        if n.text.lower() == "one" and (EN_PRONOUN_ONE.match(text[n.start:]) or before.rstrip().lower().endswith(("no", "the", "this", "that", "any", "every"))):
            return None
        return n.start, n.end
    if before.endswith(ZH_ORDINAL_BEFORE) or (n.text in "一二三四五六七八九十" and before.endswith("第")):
        return None
    end = n.end
    classifier = next((c for c in ZH_CLASSIFIERS if after.lstrip(" ").startswith(c)), None)
    if n.text == "一":
        if after.startswith(ZH_NOT_AFTER):
            return None
        counted = after.startswith(ZH_COUNT_AFTER_ONE) or (classifier and before.endswith(ZH_ONLY))
        if not counted:
            return None
    if classifier and n.unit_hint.value == "none" and not re.search(r"[倍%％年月周]$", n.text):
        end = n.end + len(after) - len(after.lstrip(" ")) + len(classifier)
        if classifier == "个" and text.startswith("个量级", n.end):
            end = n.end + 3
    return n.start, end


def numbers_of(sentence: InputSentence) -> list[PredictedSpan]:
    out = []
    for n in find_numbers(sentence.text, sentence.language.value):
        kept = _keep_number(sentence.text, n, sentence.language)
        if kept is None:
            continue
        start, end = kept
        out.append(PredictedSpan(sentence.id, Layer.NUMBER, start, end, sentence.text[start:end],
                                 _unit(sentence.text, n.end, n.unit_hint).value, value=n.value, low=n.low, high=n.high))
    return out


# ---- entities ------------------------------------------------------------------------------

LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9+#]*(?:[-.·][A-Za-z0-9+#]+)*")
ZH_ORG_SUFFIX = re.compile(r"^\s?(软件基金会|基金会|公司|项目|计划|团队|实验室|研究院|大学|社区)")
JIEBA_TYPES = {"nr": EntityType.PERSON, "nrfg": EntityType.PERSON, "nrt": EntityType.PERSON, "ns": EntityType.LOCATION,
               "nt": EntityType.ORGANIZATION, "nz": EntityType.WORK}
# Capitalized words that open sentences or name languages and kinds, not entities.
EN_STOP = set("""A An The This That These Those It Its In On At For From To Of By With As If When While But And Or So
Then There Here We Our Us You Your They Their He She His Her I My Me Not No Yes All Some Many Most Each Every Any Both
Such What Which Who Whom Whose Why How Where After Before Since Until Although Though Because However Also Only Even Just
Still Yet Now Today One Two Three First Second Third Last Next New Other Another Let Thanks Thank Please Note Chapter Figure
Section Table Appendix English French Chinese German Japanese Spanish Italian European American Western Mr Mrs Ms Dr
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December OK""".split())
LATIN_STOP = {"AI", "API", "APIs", "CPU", "GPU", "GPUs", "CD", "DVD", "USB", "HTML", "PDF", "URL", "IT", "PC", "OS", "FAQ",
              "CEO", "CTO", "NLP", "ML", "IP", "ID", "UI", "OK", "vs", "etc", "e.g", "i.e", "token", "tokens"}
ORG_WORDS = re.compile(r"(?:Inc\.?|Ltd\.?|Corp\.?|GmbH|Foundation|Project|project|Partners|Company|Labs?|University|公司|项目|计划|基金会|团队)$")


def _name_like(word: str) -> bool:
    return bool(re.match(r"[A-Z]", word)) and word not in EN_STOP and word not in LATIN_STOP


def _latin_spans(text: str, lowercase_words: set[str]) -> list[tuple[int, int]]:
    """Runs of capitalized Latin words (with an inner "of", and ", Inc." style endings) in any
    text: each run is a name candidate. A word that the input also writes in lower case is a
    common word at a sentence start (Thus, Everything), not a name."""
    words = [(m.start(), m.end(), m.group()) for m in LATIN_WORD.finditer(text)]
    spans, run = [], []

    def close():
        while run and run[-1][2] == "of":
            run.pop()
        if run:
            spans.append((run[0][0], run[-1][1]))
        run.clear()

    for i, (start, end, word) in enumerate(words):
        joined = run and text[run[-1][1]:start] in (" ", ", " if ORG_WORDS.fullmatch(word) else " ")
        if not joined:
            close()
        if _name_like(word) and (word.lower() not in lowercase_words or start > 0 and re.search(r"\w\s$", text[:start])):
            run.append((start, end, word))
            if ORG_WORDS.fullmatch(word + ".") and text[end:end + 1] == ".":
                run[-1] = (start, end + 1, word + ".")
        elif word == "of" and run:
            run.append((start, end, word))
        else:
            close()
    close()
    return [(a, b) for a, b in spans if b - a >= 2]


def _english_name_ok(text: str, start: int, end: int, capitalized_inside: set[str]) -> bool:
    """A sentence-initial single capitalized word is a name only with evidence: an acronym,
    inner capitals or digits, or the same word capitalized inside some sentence of the input."""
    surface = text[start:end]
    if text[:start].strip(" “\"'(‘"):
        return True
    if " " in surface or re.search(r"[A-Z].*[A-Z]|\d", surface):
        return True
    return surface in capitalized_inside


def _entity_type(surface: str, default: EntityType = EntityType.SOFTWARE) -> EntityType:
    if ORG_WORDS.search(surface):
        return EntityType.ORGANIZATION
    if re.search(r"[A-Za-z]-?\d", surface):
        return EntityType.MODEL if re.match(r"(?:GPT|PaLM|LaMDA|BERT|T5|OPT|DALL)", surface) else EntityType.SOFTWARE
    return default


def _auto_id(surface: str) -> str:
    return "auto:" + re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "_", surface.lower()).strip("_")


def entities_of(sentence: InputSentence, extras: Extras, capitalized_inside: set[str], lowercase_words: set[str]) -> list[PredictedSpan]:
    text, language = sentence.text, sentence.language
    found: list[tuple[int, int, str, EntityType]] = []
    for (lang, alias), (entity_id, entity_type) in extras.aliases.items():
        if lang is not language:
            continue
        for m in re.finditer(re.escape(alias), text):
            if not _touches_letters(text, m.start(), m.end()):
                found.append((m.start(), m.end(), entity_id, entity_type))
    for start, end in _latin_spans(text, lowercase_words):
        if language is Language.EN and not _english_name_ok(text, start, end, capitalized_inside):
            continue
        if language is Language.ZH:
            suffix = ZH_ORG_SUFFIX.match(text[end:])
            if suffix:
                end += suffix.end()
        surface = text[start:end]
        found.append((start, end, _auto_id(surface), _entity_type(surface)))
    if language is Language.ZH:
        found += _jieba_names(text)
    out = []
    for start, end, (entity_id, entity_type) in keep_longest((s, e, (i, t)) for s, e, i, t in found):
        out.append(PredictedSpan(sentence.id, Layer.ENTITY, start, end, text[start:end], entity_type.value, entity_id=entity_id))
    return out


LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def _touches_letters(text: str, start: int, end: int) -> bool:
    """A Latin match that continues into letters or digits (GPT inside InstructGPT) is no match."""
    latin = LATIN_OR_DIGIT
    return bool(latin.match(text[start:start + 1]) and start > 0 and latin.match(text[start - 1])) or \
        bool(latin.match(text[end - 1:end]) and end < len(text) and latin.match(text[end]))


# The hundred or so commonest Chinese surnames: a person name by jieba's tag nr is taken only
# when it starts with one and has two or three characters (its tags alone are too noisy).
ZH_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                  "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
PLACE_SUFFIX = ("省", "市", "县", "州", "岛", "国")


def _jieba_names(text: str) -> list[tuple[int, int, str, EntityType]]:
    """Names by jieba's part-of-speech tags: nr (a person, checked by surname and length), nt (an
    organization), ns (a place, when it ends as a place name does and is no language: 巴西葡萄牙语);
    nz (other proper nouns) names languages and kinds as often as names here, so it is left out."""
    import jieba.posseg as posseg

    out, at = [], 0
    for word, flag in posseg.cut(text):
        start = text.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        if len(word) < 2 or re.search(r"[A-Za-z0-9]", word) or flag not in JIEBA_TYPES:
            continue
        person = flag.startswith("nr") and word[0] in ZH_SURNAMES and len(word) <= 3
        place = flag == "ns" and word.endswith(PLACE_SUFFIX) and not text.startswith(("语", "文"), at)
        if person or place or flag == "nt":
            out.append((start, at, _auto_id(word), JIEBA_TYPES[flag]))
    return out


def link_across(spans: list[PredictedSpan], sentences: dict[str, InputSentence], pairs: dict[str, list[str]]) -> list[PredictedSpan]:
    """A Latin-script name found on one side is looked for in the aligned sentences of the other
    side; where both sides name it, both get the same entity id."""
    by_sentence: dict[str, list[PredictedSpan]] = {}
    for s in spans:
        by_sentence.setdefault(s.sentence_id, []).append(s)
    added = []
    for sid, other_ids in pairs.items():
        for span in by_sentence.get(sid, []):
            if not re.search(r"[A-Za-z]", span.text):
                continue
            for other in other_ids:
                if other not in sentences:
                    continue
                text = sentences[other].text
                have = by_sentence.get(other, []) + [a for a in added if a.sentence_id == other]
                for m in re.finditer(re.escape(span.text), text):
                    if _touches_letters(text, m.start(), m.end()) or any(h.start < m.end() and m.start() < h.end for h in have):
                        continue
                    added.append(PredictedSpan(other, Layer.ENTITY, m.start(), m.end(), span.text, span.label, entity_id=span.entity_id))
    return spans + added


# ---- cues and hedges -----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _general_cues(language: Language) -> tuple[dict, frozenset]:
    """(cue -> class, approximators) of the general lexicon in one language, built once."""
    entries = [e for e in hedge_lexicon() if e.language is language]
    return ({e.cue: e.hedge_class for e in entries if e.hedge_class is not HedgeClass.APPROXIMATOR},
            frozenset(e.cue for e in entries if e.hedge_class is HedgeClass.APPROXIMATOR))


def _cue_table(language: Language, extras: Extras) -> dict[str, HedgeClass]:
    table = dict(_general_cues(language)[0])
    table.update({cue: cls for (lang, cue), cls in extras.cues.items() if lang is language and cls is not HedgeClass.APPROXIMATOR})
    return table


def _approximators(language: Language, extras: Extras) -> set[str]:
    found = set(_general_cues(language)[1])
    return found | {cue for (lang, cue), cls in extras.cues.items() if lang is language and cls is HedgeClass.APPROXIMATOR}


CUE_CLASS = {HedgeClass.BOOSTER: CueClass.EPISTEMIC, HedgeClass.PROBABLE: CueClass.EPISTEMIC, HedgeClass.POSSIBLE: CueClass.EPISTEMIC,
             HedgeClass.UNKNOWN: CueClass.EPISTEMIC, HedgeClass.ATTRIBUTION: CueClass.ATTRIBUTION,
             HedgeClass.CONDITIONAL: CueClass.CONDITIONAL, HedgeClass.APPROXIMATOR: CueClass.APPROXIMATOR}


def cues_of(sentence: InputSentence, numbers: Sequence[PredictedSpan], extras: Extras, tokens: Sequence[tuple[int, int]]) -> list[tuple[PredictedSpan, HedgeClass]]:
    """Cue spans with their hedge class: longest match, on token edges (可能性 is a noun, not 可能)."""
    text, language = sentence.text, sentence.language
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    candidates = []
    table = _cue_table(language, extras)
    for cue, cls in table.items():
        for m in re.finditer(re.escape(cue), text, flags=re.I if language is Language.EN else 0):
            if language is Language.EN and cue[:1].islower() and text[m.start()].isupper() and m.start() > 0:
                continue
            if _nominal_modal(text, m.start(), m.end()):
                continue
            if m.start() in starts and m.end() in ends and (language, m.group().lower()) not in extras.blocked:
                candidates.append((m.start(), m.end(), cls))
    for cue in _approximators(language, extras):
        for m in re.finditer(re.escape(cue), text):
            if not (m.start() in starts and m.end() in ends):
                continue
            if any(n.start <= m.start() < n.end or (n.start >= m.end() and not text[m.end():n.start].strip()) for n in numbers):
                candidates.append((m.start(), m.end(), HedgeClass.APPROXIMATOR))
    return [(PredictedSpan(sentence.id, Layer.CUE, s, e, text[s:e], CUE_CLASS[cls].value), cls)
            for s, e, cls in keep_longest(candidates)]


def _nominal_modal(text: str, start: int, end: int) -> bool:
    """可能 as an adjective or noun (可能的勘误, 可能性, 成为可能) qualifies a thing, not a claim."""
    return text[start:end] == "可能" and (text[end:end + 1] in ("的", "性") or text[:start].endswith(("成为", "不")))


def hedge_level(classes: Iterable[HedgeClass]) -> HedgeLevel:
    """The weakest epistemic commitment wins (a booster inside a belief stays probable)."""
    classes = set(classes)
    for cls, level in ((HedgeClass.POSSIBLE, HedgeLevel.POSSIBLE), (HedgeClass.PROBABLE, HedgeLevel.PROBABLE),
                       (HedgeClass.UNKNOWN, HedgeLevel.UNKNOWN)):
        if cls in classes:
            return level
    return HedgeLevel.CERTAIN


# ---- claims --------------------------------------------------------------------------------

ZH_CLAUSE_BREAK = re.compile(r"[；;]|[，,](?=\s?(?:但是|但|而且|而|因此|所以|然而|不过|并且|同时|毕竟|因为|由于|于是|否则))")
EN_CLAUSE_BREAK = re.compile(r";\s|,\s(?=(?:but|yet|so|while|whereas|because|since|although|though|which)\b)"
                             r"|,\s(?=and\s(?:the|this|that|these|those|it|its|we|they|he|she|there|[A-Z]))")
TRAILING = " 。.!！?？…,，;；:：\"”’)）"


def clauses(text: str, language: Language) -> list[tuple[int, int]]:
    """Clause spans of a sentence; a sentence with one clause keeps its end punctuation."""
    pattern = ZH_CLAUSE_BREAK if language is Language.ZH else EN_CLAUSE_BREAK
    cuts = [0] + [m.end() for m in pattern.finditer(text)] + [len(text)]
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        while start < end and text[start] == " ":
            start += 1
        spans.append([start, end])
    if len(spans) == 1:
        return [(spans[0][0], len(text.rstrip()))]
    out = []
    for start, end in spans:
        while end > start and text[end - 1] in TRAILING:
            end -= 1
        if end - start >= 4:
            out.append((start, end))
    return out


# ---- the extractor -------------------------------------------------------------------------

def extract(sentences: Sequence[InputSentence], extras: Extras = Extras(), pairs: Optional[dict[str, list[str]]] = None,
            terms: Sequence[str] = ()) -> list[PredictedSpan]:
    """Predicted spans for every sentence (sentence-relative offsets); `pairs` maps a sentence id
    to the ids of its aligned sentences on the other side."""
    from ..pipeline.segment import pipeline

    capitalized_inside = set()
    lowercase_words = {w for s in sentences for w in re.findall(r"\b[a-z][a-z]+\b", s.text)}
    for s in sentences:
        if s.language is Language.EN:
            for m in re.finditer(r"(?<=\w[ ,;:])([A-Z][a-z]+)", s.text):
                capitalized_inside.add(m.group(1))
    out: list[PredictedSpan] = []
    nlp = {lang: pipeline(lang, tuple(terms)) for lang in {s.language for s in sentences}}
    for sentence in sentences:
        if sentence.heading:
            continue
        doc = nlp[sentence.language].make_doc(sentence.text)
        tokens = [(t.idx, t.idx + len(t.text)) for t in doc]
        numbers = numbers_of(sentence)
        out += numbers
        out += entities_of(sentence, extras, capitalized_inside, lowercase_words)
        cues = cues_of(sentence, numbers, extras, tokens)
        out += [c for c, _ in cues]
        if not is_claim_bearing(sentence):
            continue
        for start, end in clauses(sentence.text, sentence.language):
            inside = [cls for c, cls in cues if start <= c.start < end]
            out.append(PredictedSpan(sentence.id, Layer.CLAIM, start, end, sentence.text[start:end], hedge_level(inside).value))
    if pairs:
        by_id = {s.id: s for s in sentences}
        entities = link_across([p for p in out if p.layer is Layer.ENTITY], by_id, pairs)
        out = [p for p in out if p.layer is not Layer.ENTITY] + entities
    return sorted(set(out), key=lambda p: (p.sentence_id, p.start, p.layer.value, p.end))


def document_pairs(built) -> dict[str, list[str]]:
    """sentence id -> the ids of the sentences aligned with it (its sentence bead's other side)."""
    pairs: dict[str, list[str]] = {}
    for bead in built.rows["translation"]:
        for z in bead.zh_ids:
            pairs.setdefault(z, []).extend(bead.en_ids)
        for e in bead.en_ids:
            pairs.setdefault(e, []).extend(bead.zh_ids)
    return pairs


def extract_document(built, extras: Extras) -> list[PredictedSpan]:
    """Predictions on the scored sentences of a built document, with its sentence beads as pairs."""
    from .baseline import document_inputs
    from .protocol import scored_sentence_ids

    keep = scored_sentence_ids(built)
    inputs = [s for s in document_inputs(built) if s.id in keep]
    return extract(inputs, extras, document_pairs(built), built.sources.terms.lines())

