"""Every record the pipeline passes between stages and every row the loader ships.

This module is the single place where fields are declared. The loader's `datasets`
features, the YAML in the dataset card, the card's field tables and the row checks are
all derived from these dataclasses (see `features.py`), so a field is added here once.

Offsets are half-open `[start, end)` character (code point) offsets, as Python slices them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Optional


class Language(str, Enum):
    ZH = "zh"
    EN = "en"


class ParagraphKind(str, Enum):
    TITLE = "title"
    LEAD = "lead"  # the standfirst printed under the title
    HEADING = "heading"
    PARAGRAPH = "paragraph"


class TextOrigin(str, Enum):
    # The Chinese text is InfoQ's published translation of the English original.
    ZH_PUBLISHED_TRANSLATION = "zh_published_translation"
    # The English text shipped here was written by this project from the Chinese.
    EN_PROJECT_TRANSLATION_OF_ZH = "en_project_translation_of_zh"
    # A text as its author wrote it (the English of Debian's books).
    EN_ORIGINAL = "en_original"
    ZH_ORIGINAL = "zh_original"
    # A translation by people, published by the work's own project or publisher.
    EN_PUBLISHED_TRANSLATION = "en_published_translation"
    ZH_PROJECT_TRANSLATION_OF_EN = "zh_project_translation_of_en"


class SideRole(str, Enum):
    """What one language side of a document is, as `document.yaml` declares it."""

    ORIGINAL = "original"  # the text as its author wrote it
    TRANSLATION = "translation"  # a translation by people, published by someone else than this project
    PROJECT_TRANSLATION = "project_translation"  # written by this project from the other side


def text_origin(language: "Language", role: SideRole) -> TextOrigin:
    """The loader's origin label of a side: which language and what it is."""
    if role is SideRole.ORIGINAL:
        return TextOrigin(f"{language.value}_original")
    if role is SideRole.TRANSLATION:
        return TextOrigin(f"{language.value}_published_translation")
    return TextOrigin(f"{language.value}_project_translation_of_{'zh' if language.value == 'en' else 'en'}")


class RegionReason(str, Enum):
    BODY = "body"
    LAYOUT_WHITESPACE = "layout_whitespace"
    SITE_UI = "site_ui"
    HEADER_METADATA = "header_metadata"
    REPEATED_TITLE = "repeated_title"
    SOURCE_LINK = "source_link"
    AUTHOR_BOX = "author_box"
    COMMENTS = "comments"
    RELATED_ARTICLES = "related_articles"
    PAGE_TITLE = "page_title"


# Page chrome that must never reach a shipped text field (the source link and the header
# are chrome too, but their facts are legitimately restated as document metadata).
CHROME_REASONS = frozenset(
    {RegionReason.SITE_UI, RegionReason.AUTHOR_BOX, RegionReason.COMMENTS, RegionReason.RELATED_ARTICLES}
)


class BeadType(str, Enum):
    ONE_ONE = "1-1"
    ONE_TWO = "1-2"
    TWO_ONE = "2-1"
    TWO_TWO = "2-2"
    ONE_ZERO = "1-0"
    ZERO_ONE = "0-1"
    # Rare in real translations (three sentences merged into one); listed after the common
    # ones so that the loader's class ids of the first six never change.
    ONE_THREE = "1-3"
    THREE_ONE = "3-1"
    # Only for a bead marked untranslated: the two sides are one text, split differently.
    MANY = "n-m"


class BeadStatus(str, Enum):
    """How far a person has checked a bead (the optional label after a tab in a .align file)."""

    REVIEWED = "reviewed"  # read and accepted by a person (no label in the file)
    PROPOSED = "proposed"  # written by `bicorpus align` / `bicorpus new`, not read yet
    UNTRANSLATED = "untranslated"  # the Chinese side repeats the English text: not a translation pair


class AlignmentLevel(str, Enum):
    PARAGRAPH = "paragraph"
    SENTENCE = "sentence"


class EntityType(str, Enum):
    ORGANIZATION = "organization"
    PERSON = "person"
    MODEL = "model"  # models and systems: GPT-3, PaLM, DALL·E
    METHOD = "method"  # named methods: μP, MoE
    CONCEPT = "concept"  # named research concepts: AGI
    SOFTWARE = "software"  # distributions, programs, packages, kernels: Debian, APT, Linux
    LOCATION = "location"  # cities and countries
    WORK = "work"  # named documents, licences, standards, books: the Debian Social Contract


class ClaimType(str, Enum):
    PREDICTION = "prediction"
    REPORTED_FACT = "reported_fact"
    EVALUATION = "evaluation"
    PRESCRIPTION = "prescription"
    INTERPRETATION = "interpretation"


class HedgeLevel(str, Enum):
    """Ordinal, most to least certain; FactBank's CT, PR, PS, U."""

    CERTAIN = "certain"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    UNKNOWN = "unknown"


FACTBANK_CERTAINTY = {HedgeLevel.CERTAIN: "CT", HedgeLevel.PROBABLE: "PR", HedgeLevel.POSSIBLE: "PS", HedgeLevel.UNKNOWN: "U"}


class Polarity(str, Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class AuthorStance(str, Enum):
    OWN = "own"  # the author is the source
    ENDORSES = "endorses"
    NEUTRAL = "neutral"
    DISTANCES = "distances"


class CueClass(str, Enum):
    EPISTEMIC = "epistemic"
    APPROXIMATOR = "approximator"
    ATTRIBUTION = "attribution"
    CONDITIONAL = "conditional"


class CueEffect(str, Enum):
    LOWERS = "lowers"  # a hedge: may, 可能
    RAISES = "raises"  # a booster: certainly, 肯定
    ATTRIBUTES = "attributes"  # shifts the source: said, 表示
    CONDITIONS = "conditions"  # if, 如果


class NumberKind(str, Enum):
    EXACT = "exact"
    RANGE = "range"
    LOWER_BOUND = "lower_bound"  # 超过, more than, beyond
    UPPER_BOUND = "upper_bound"  # 不到, less than, up to
    VAGUE = "vague"  # 几, 数百万, a few, millions of: no value


class UnitHint(str, Enum):
    """What a number's surface alone says about its unit (the normalizer's reading)."""

    NONE = "none"
    MULTIPLIER = "multiplier"
    FRACTION = "fraction"
    PERCENT = "percent"
    YEAR = "year"
    MONTH = "month"
    YEARS = "years"
    MONTHS = "months"
    WEEKS = "weeks"
    ORDERS_OF_MAGNITUDE = "orders_of_magnitude"


class NumberUnit(str, Enum):
    PARAMETERS = "parameters"
    TOKENS = "tokens"
    MULTIPLIER = "multiplier"
    FRACTION = "fraction"
    PERCENT = "percent"
    YEAR = "year"
    MONTH = "month"
    YEARS = "years"
    MONTHS = "months"
    WEEKS = "weeks"
    COUNT = "count"
    DAYS = "days"
    DAY = "day"  # a calendar day of the month: 14日, the 14th
    HOURS = "hours"
    BITS = "bits"  # 32-bit
    BYTES = "bytes"  # 4 GB = 4e9
    USD = "usd"
    COST = "cost"  # a cost of unstated measure (几乎零成本, almost zero cost)
    ORDERS_OF_MAGNITUDE = "orders_of_magnitude"


class Layer(str, Enum):
    ENTITY = "entity"
    NUMBER = "number"
    CUE = "cue"
    CLAIM = "claim"


class NoteKind(str, Enum):
    TYPO = "typo"
    ERROR = "error"
    INCONSISTENCY = "inconsistency"
    AMBIGUITY = "ambiguity"
    HEDGE_STRENGTHENED = "hedge_strengthened"
    HEDGE_WEAKENED = "hedge_weakened"
    # Between a real original and its translation:
    NUMBER_CHANGED = "number_changed"
    QUALIFIER_DROPPED = "qualifier_dropped"
    OMISSION = "omission"
    ADDITION = "addition"
    MISTRANSLATION = "mistranslation"  # the translation says something the original does not


class Outcome(str, Enum):
    CAME_TRUE = "came_true"
    DID_NOT_COME_TRUE = "did_not_come_true"
    UNDETERMINED = "undetermined"
    NOT_ASSESSED = "not_assessed"  # a prediction not about GPT-4's own properties
    NOT_A_PREDICTION = "not_a_prediction"


class ClaimFreeReason(str, Enum):
    TRANSITION = "transition"
    META = "meta"
    QUESTION = "question"


def described(doc: str, *, dtype: str | None = None, feature: str | None = None, default=None):
    """A dataclass field carrying its documentation and, where the Python type is not
    enough, its Arrow dtype (`int64`; `date32` for a date, written as YYYY-MM-DD text in the JSON
    files, since pyarrow's JSON reader takes such text for a timestamp whatever the features say,
    and a string feature then reads back '2022-04-22 00:00:00') or a special `datasets` feature
    (`translation`)."""
    metadata = {"doc": doc, "dtype": dtype, "feature": feature}
    if default is None:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


# ---------------------------------------------------------------------------------------
# Pipeline records (between stages)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A slice of the raw capture: kept as article body, or dropped with a reason."""

    raw_start: int
    raw_end: int
    reason: RegionReason

    @property
    def kept(self) -> bool:
        return self.reason is RegionReason.BODY


@dataclass(frozen=True)
class Block:
    """One unit of the article body as the cleaner found it in its source: with the offsets
    of its text in the raw file where it is a verbatim slice of it, and none otherwise."""

    kind: ParagraphKind
    text: str
    raw_start: Optional[int]
    raw_end: Optional[int]


@dataclass(frozen=True)
class CleanedCapture:
    blocks: tuple[Block, ...]
    regions: tuple[Region, ...]
    header: dict


@dataclass(frozen=True)
class Bead:
    """One alignment bead: 0-based unit indices on each side (one side may be empty)."""

    zh: tuple[int, ...]
    en: tuple[int, ...]

    status: Optional[BeadStatus] = None  # None: reviewed

    @property
    def bead_type(self) -> BeadType:
        name = f"{len(self.zh)}-{len(self.en)}"
        return BeadType(name) if name in BeadType._value2member_map_ else BeadType.MANY

    @property
    def checked_status(self) -> BeadStatus:
        return self.status or BeadStatus.REVIEWED


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of one language, placed in that language's document text."""

    language: Language
    index: int
    kind: ParagraphKind
    section_index: int
    section_heading_index: Optional[int]
    text: str
    start: int
    end: int
    raw_start: Optional[int]
    raw_end: Optional[int]


@dataclass(frozen=True)
class Sentence:
    language: Language
    paragraph_index: int
    index: int
    index_in_paragraph: int
    text: str
    start: int
    end: int
    raw_start: Optional[int]
    raw_end: Optional[int]
    tokens: tuple[str, ...]
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]


@dataclass(frozen=True)
class SegmentedSide:
    """One language of a document after segmentation."""

    language: Language
    text: str  # the paragraphs joined by PARAGRAPH_SEPARATOR
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    # (paragraph index, offset in paragraph, term) for each listed term not kept as one token
    split_terms: tuple[tuple[int, int, str], ...]


PARAGRAPH_SEPARATOR = "\n\n"


# ---------------------------------------------------------------------------------------
# Gold annotation records: one JSON object per line in annotations/ (human-edited)
#
# Spans in these files are sentence-relative: `start`/`end` index the text of the sentence
# `sentence_id` (a `sentences` row), so editing one sentence never moves another's spans.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityRecord:
    id: str = described("Canonical id, '<type prefix>:<name>', e.g. 'org:nvidia'.")
    type: EntityType = described("Entity type.")
    name_en: str = described("Canonical English name.")
    name_zh: str = described("Canonical Chinese name (the Latin name where Chinese text uses it).")
    aliases_en: tuple[str, ...] = described("Every English surface form that names the entity in the corpus.")
    aliases_zh: tuple[str, ...] = described("Every Chinese surface form that names the entity in the corpus.")
    description: str = described("One line saying which real-world entity this is.")


@dataclass(frozen=True)
class CueLexiconEntry:
    language: Language = described("Language of the cue.")
    cue: str = described("The cue's surface form.")
    cue_class: CueClass = described("Epistemic, approximator, attribution or conditional.")
    effect: CueEffect = described("What the cue does to the claim: lowers or raises certainty, attributes it, or conditions it.")
    gloss: str = described("A translation or explanation of the cue.")


class HedgeClass(str, Enum):
    """A cue's class in the extractor's general lexicon: the guidelines' hedge levels (section 5)
    for epistemic cues, then the other cue classes (section 6)."""

    BOOSTER = "booster"  # raises to certain: certainly, 肯定
    PROBABLE = "probable"  # should, 预计
    POSSIBLE = "possible"  # may, 可能
    UNKNOWN = "unknown"  # whether, 是否: the text takes no position
    ATTRIBUTION = "attribution"
    CONDITIONAL = "conditional"
    APPROXIMATOR = "approximator"


@dataclass(frozen=True)
class HedgeCueEntry:
    """One entry of the extractor's general bilingual cue lexicon (extraction/resources/hedge_cues.jsonl),
    written for this project from the classes of the hedging literature, not from any corpus document."""

    language: Language = described("Language of the cue.")
    cue: str = described("The cue's surface form.")
    hedge_class: HedgeClass = described("Booster, probable, possible, unknown, attribution, conditional or approximator.")
    cue_class: CueClass = described("The guidelines' cue class that a match is labelled with.")
    effect: CueEffect = described("What the cue does to the claim.")
    example: str = described("A sentence of our own that uses the cue.")


@dataclass(frozen=True)
class EntityMention:
    sentence_id: str = described("Sentence holding the mention.")
    start: int = described("Start offset in the sentence text.")
    end: int = described("End offset (exclusive) in the sentence text.")
    text: str = described("The mention's surface, equal to the sentence text at its offsets.")
    entity_id: str = described("Inventory id of the entity mentioned.")


@dataclass(frozen=True)
class NumberMention:
    sentence_id: str = described("Sentence holding the number.")
    start: int = described("Start offset in the sentence text.")
    end: int = described("End offset (exclusive) in the sentence text.")
    text: str = described("The number's surface, with its approximator and unit word when they are part of the expression.")
    value: Optional[float] = described("Normalized point value; null for a range or a vague quantity.", dtype="float64")
    low: Optional[float] = described("Lower end of a range (or null).", dtype="float64")
    high: Optional[float] = described("Upper end of a range (or null).", dtype="float64")
    unit: NumberUnit = described("What is counted or measured.")
    kind: NumberKind = described("Exact value, range, lower or upper bound, or vague quantity.")
    approx: bool = described("True when the text marks the number as approximate (约, 左右, about, around).")


@dataclass(frozen=True)
class CueMention:
    sentence_id: str = described("Sentence holding the cue.")
    start: int = described("Start offset in the sentence text.")
    end: int = described("End offset (exclusive) in the sentence text.")
    text: str = described("The cue's surface; (language, text) must be an entry of the cue lexicon.")


@dataclass(frozen=True)
class NonMention:
    sentence_id: str = described("Sentence holding the match.")
    start: int = described("Start offset in the sentence text.")
    end: int = described("End offset (exclusive) in the sentence text.")
    text: str = described("The matched surface.")
    layer: Layer = described("Which finder proposed it: an entity alias, a number, or a lexicon cue.")
    reason: str = described("Why this match is not a mention (the 4 of GPT-4, the 一 of 一个, 可能 in a noun).")


@dataclass(frozen=True)
class Claim:
    id: str = described("Stable id: '<doc>/p<zh paragraph>-c<n>'.")
    zh_sentence_id: str = described("Chinese sentence holding the claim.")
    zh_start: int = described("Start offset of the claim in the Chinese sentence.")
    zh_end: int = described("End offset (exclusive) of the claim in the Chinese sentence.")
    zh_text: str = described("The Chinese claim span.")
    en_sentence_id: str = described("English sentence holding the claim.")
    en_start: int = described("Start offset of the claim in the English sentence.")
    en_end: int = described("End offset (exclusive) of the claim in the English sentence.")
    en_text: str = described("The English claim span.")
    claim_type: ClaimType = described("Prediction, reported fact, evaluation, prescription or interpretation.")
    source_chain: tuple[str, ...] = described("Who is committed, outermost first: ['author'] or ['author', '<entity id>'] (FactBank's nested sources).")
    author_stance: AuthorStance = described("The author's stance toward an attributed claim; 'own' when the author is the source.")
    hedge: HedgeLevel = described("How certain the innermost source is presented to be (ordinal).")
    polarity: Polarity = described("Whether the claim asserts or denies its proposition.")
    note: str = described("Why a hard case was decided as it was (may be empty).")


@dataclass(frozen=True)
class ClaimFree:
    sentence_id: str = described("A non-heading sentence that holds no claim.")
    reason: ClaimFreeReason = described("Transition, meta remark or question.")
    note: str = described("What the sentence does instead (may be empty).")


@dataclass(frozen=True)
class TranslationNote:
    id: str = described("Stable id: '<doc>/tn<n>'.")
    sentence_id: str = described("Chinese sentence the note is about.")
    start: int = described("Start offset of the noted span in the Chinese sentence.")
    end: int = described("End offset (exclusive) of the noted span.")
    text: str = described("The noted Chinese span.")
    kind: NoteKind = described("Typo, error, inconsistency, ambiguity, or a strengthened or weakened hedge.")
    en_sentence_id: str = described("English sentence rendering it.")
    en_text: str = described("How this project's English renders the span (a substring of that sentence).")
    explanation: str = described("Why the Chinese reads as it is noted, without asserting what the original said.")
    source: str = described("A public source for any fact the explanation relies on (may be empty).")


@dataclass(frozen=True)
class OutcomeRecord:
    claim_id: str = described("A prediction about GPT-4.")
    outcome: Outcome = described("Came true, did not come true, or undetermined by the public record.")
    evidence: str = described("What the public record says, in a sentence.")
    sources: tuple[str, ...] = described("Public sources for the evidence (title and address).")
    as_of: str = described("Date of the public record consulted (ISO 8601).")


# ---------------------------------------------------------------------------------------
# Loader rows (one dataclass per config; the field order is the column order)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    id: str = described("Document id; the folder name under corpus/ and annotations/.")
    title_zh: str = described("Chinese title as published.")
    title_en: str = described("English title: the original's, or this project's translation of the Chinese title where the English is ours.")
    zh_text: str = described("Chinese body: the paragraphs joined by a blank line ('\\n\\n'). Paragraph and sentence offsets index this string.")
    en_text: str = described("English body, built the same way from the English paragraphs.")
    zh_origin: TextOrigin = described("Where the Chinese text comes from.")
    en_origin: TextOrigin = described("Where the English text comes from: en_original for a real original; en_project_translation_of_zh where the original is not included and the English is this project's translation.")
    original_author: str = described("Author of the English original.")
    original_title: str = described("Title of the English original (bibliographic reference only).")
    original_publication: str = described("Where the English original appeared.")
    original_url: str = described("Address of the original work.")
    zh_publisher: str = described("Publisher of the Chinese side.")
    zh_published: Optional[str] = described("Publication date of the Chinese side, where known (YYYY-MM-DD in the data files).", dtype="date32")
    zh_word_count: Optional[int] = described("Character count printed in the Chinese page header (本文字数), where the page states one.")
    zh_reading_minutes: Optional[int] = described("Reading time printed in the Chinese page header (阅读完需), in minutes, where stated.")
    capture_sha256: Optional[str] = described("sha256 of the raw Chinese page capture, for a document built from one text capture.")
    rights: str = described("Rights in the texts, kept apart from the licence of the annotations and code.")
    original_language: Language = described("Language the work was first written in.")
    zh_role: SideRole = described("What the Chinese side is: original, translation (by people, published by others) or project_translation (written by this project).")
    en_role: SideRole = described("What the English side is.")
    zh_translator: Optional[str] = described("Who translated the Chinese side (null for an original).")
    en_translator: Optional[str] = described("Who translated the English side (null for an original).")
    en_publisher: str = described("Publisher of the English side.")
    zh_licence: str = described("Licence of the Chinese text (or the rights statement where it has none).")
    en_licence: str = described("Licence of the English text.")
    zh_source: str = described("Where the Chinese text came from: the files (in the repository or in a pinned package) with their sha256.")
    en_source: str = described("Where the English text came from.")
    split: str = described("The split this document belongs to (train or test): splits are by document.")


@dataclass(frozen=True)
class ParagraphRow:
    id: str = described("Stable id: '<doc>/<lang>-p<index>'.")
    doc_id: str = described("Document id.")
    language: Language = described("Language of this paragraph.")
    index: int = described("0-based position among the document's paragraphs in this language.")
    kind: ParagraphKind = described("Title, lead (standfirst), section heading or body paragraph.")
    section_index: int = described("0 before the first heading; n inside the section opened by the n-th heading.")
    section_heading_id: Optional[str] = described("Id of the heading opening this paragraph's section; null before the first heading.")
    text: str = described("Paragraph text.")
    start: int = described("Start offset in the document text of this language (documents.zh_text or en_text).")
    end: int = described("End offset (exclusive) in the document text.")
    raw_start: Optional[int] = described("Start offset in the raw source file of this side where the text is a verbatim slice of it (the Chinese page capture); null otherwise.")
    raw_end: Optional[int] = described("End offset (exclusive) in the raw source file; null where start is null.")
    text_origin: TextOrigin = described("Where this text comes from.")
    bead_id: str = described("Id of the gold paragraph-alignment bead holding this paragraph.")
    aligned_ids: tuple[str, ...] = described("Ids of the paragraphs in the other language aligned with this one (empty for a 1-0 or 0-1 bead).")


@dataclass(frozen=True)
class SentenceRow:
    id: str = described("Stable id: '<doc>/<lang>-p<paragraph>-s<sentence in paragraph>'.")
    doc_id: str = described("Document id.")
    language: Language = described("Language of this sentence.")
    paragraph_id: str = described("Id of the paragraph holding this sentence.")
    index: int = described("0-based position among the document's sentences in this language (the index used by the sentence alignment file).")
    index_in_paragraph: int = described("0-based position within its paragraph.")
    text: str = described("Sentence text.")
    start: int = described("Start offset in the document text of this language.")
    end: int = described("End offset (exclusive) in the document text.")
    raw_start: Optional[int] = described("Start offset in the raw source file of this side where the text is a verbatim slice of it (the Chinese page capture); null otherwise.")
    raw_end: Optional[int] = described("End offset (exclusive) in the raw source file; null where start is null.")
    tokens: tuple[str, ...] = described("spaCy tokens (zh: blank pipeline with the jieba segmenter; en: blank pipeline), known names merged into one token.")
    token_starts: tuple[int, ...] = described("Start offset of each token within the sentence text.")
    token_ends: tuple[int, ...] = described("End offset (exclusive) of each token within the sentence text.")
    text_origin: TextOrigin = described("Where this text comes from.")
    bead_id: str = described("Id of the gold sentence-alignment bead holding this sentence.")
    aligned_ids: tuple[str, ...] = described("Ids of the sentences in the other language aligned with this one.")
    claim_status: ClaimStatus = described("Whether the sentence holds gold claims, is claim-free, is a heading, or is not annotated yet.")
    claim_ids: tuple[str, ...] = described("Gold claims in this sentence.")


@dataclass(frozen=True)
class BeadRow:
    id: str = described("Stable id: '<doc>/pb<index>' for paragraph beads, '<doc>/sb<index>' for sentence beads.")
    doc_id: str = described("Document id.")
    level: AlignmentLevel = described("Paragraph or sentence bead.")
    index: int = described("0-based position of the bead in its gold alignment file.")
    bead_type: BeadType = described("Number of Chinese and English units in the bead, as 'zh-en'.")
    zh_ids: tuple[str, ...] = described("Ids of the Chinese units, in order.")
    en_ids: tuple[str, ...] = described("Ids of the English units, in order.")
    paragraph_bead_id: str = described("Id of the paragraph bead containing this bead (itself for a paragraph bead).")
    translation: dict = described(
        "The pair as a datasets Translation feature: {'en': ..., 'zh': ...}; units of one side joined by a space (en) or nothing (zh). See documents.en_origin for what the English is.",
        feature="translation",
    )
    status: BeadStatus = described("reviewed (read by a person), proposed (by the aligner, not read yet) or untranslated (the Chinese repeats the English: not a translation pair).")


@dataclass(frozen=True)
class RegionRow:
    id: str = described("Stable id: '<doc>/r<index>'.")
    doc_id: str = described("Document id.")
    index: int = described("0-based position of the region in the capture.")
    raw_start: int = described("Start offset in the raw page capture.")
    raw_end: int = described("End offset (exclusive) in the raw page capture.")
    kept: bool = described("True when the region is article body (a Chinese paragraph).")
    reason: RegionReason = described("Why the region was kept ('body') or dropped. The dropped text itself is not shipped.")
    paragraph_id: Optional[str] = described("The Chinese paragraph this region became; null for a dropped region.")


class ClaimStatus(str, Enum):
    HAS_CLAIMS = "has_claims"
    CLAIM_FREE = "claim_free"
    HEADING = "heading"  # titles and headings are not annotated for claims
    NOT_ANNOTATED = "not_annotated"  # the document has no claim annotation yet
    UNTRANSLATED = "untranslated"  # in a paragraph left untranslated: not annotated


@dataclass(frozen=True)
class CueSpan:
    text: str = described("Cue surface.")
    start: int = described("Start offset in the document text of this language.")
    end: int = described("End offset (exclusive).")
    cue_class: CueClass = described("Cue class from the lexicon.")
    effect: CueEffect = described("What the cue does, from the lexicon.")


@dataclass(frozen=True)
class EntitySpan:
    text: str = described("Mention surface.")
    start: int = described("Start offset in the document text of this language.")
    end: int = described("End offset (exclusive).")
    entity_id: str = described("Inventory id.")
    entity_type: EntityType = described("Inventory type.")


@dataclass(frozen=True)
class NumberSpan:
    text: str = described("Number surface.")
    start: int = described("Start offset in the document text of this language.")
    end: int = described("End offset (exclusive).")
    value: Optional[float] = described("Point value or null.", dtype="float64")
    low: Optional[float] = described("Range low or null.", dtype="float64")
    high: Optional[float] = described("Range high or null.", dtype="float64")
    unit: NumberUnit = described("Unit.")
    kind: NumberKind = described("Exact, range, bound or vague.")
    approx: bool = described("Marked as approximate.")


@dataclass(frozen=True)
class ClaimRow:
    id: str = described("Stable id: '<doc>/p<zh paragraph>-c<n>'.")
    doc_id: str = described("Document id.")
    paragraph_bead_id: str = described("Gold paragraph bead holding both sides of the claim.")
    claim_type: ClaimType = described("Prediction, reported fact, evaluation, prescription or interpretation.")
    source: str = described("The innermost committed source: 'author', an entity id, ids joined by '+', or 'other:<who>'.")
    source_chain: tuple[str, ...] = described("Nested sources, outermost ('author') first, as in FactBank.")
    author_stance: AuthorStance = described("The author's stance toward an attributed claim ('own' for the author's claims).")
    hedge: HedgeLevel = described("Ordinal certainty of the innermost source: certain > probable > possible > unknown.")
    polarity: Polarity = described("Asserted or denied.")
    factbank: str = described("FactBank value: CT/PR/PS/U with + or − (Uu for unknown).")
    zh_sentence_id: str = described("Chinese sentence holding the claim.")
    zh_start: int = described("Start offset of the Chinese claim in documents.zh_text.")
    zh_end: int = described("End offset (exclusive) in documents.zh_text.")
    zh_text: str = described("Chinese claim span.")
    en_sentence_id: str = described("English sentence holding the claim.")
    en_start: int = described("Start offset of the English claim in documents.en_text.")
    en_end: int = described("End offset (exclusive) in documents.en_text.")
    en_text: str = described("English claim span (this project's translation).")
    zh_cues: tuple[CueSpan, ...] = described("Hedge cues inside the Chinese span.")
    en_cues: tuple[CueSpan, ...] = described("Hedge cues inside the English span.")
    zh_entities: tuple[EntitySpan, ...] = described("Entity mentions inside the Chinese span.")
    en_entities: tuple[EntitySpan, ...] = described("Entity mentions inside the English span.")
    zh_numbers: tuple[NumberSpan, ...] = described("Numbers inside the Chinese span.")
    en_numbers: tuple[NumberSpan, ...] = described("Numbers inside the English span.")
    translation_note_ids: tuple[str, ...] = described("Translation notes whose span overlaps the Chinese claim.")
    outcome: Outcome = described("For predictions about GPT-4: what happened, per the public record as of outcome_as_of.")
    outcome_evidence: Optional[str] = described("The public record's evidence for the outcome.")
    outcome_sources: tuple[str, ...] = described("Sources of the evidence.")
    outcome_as_of: Optional[str] = described("Date of the public record consulted (YYYY-MM-DD in the data files).", dtype="date32")
    note: str = described("The annotator's note on a hard case.")


@dataclass(frozen=True)
class MentionRow:
    id: str = described("Stable id: '<sentence id>/<layer initial><start, 3 digits>' for an entity, number or cue span ('gpt4_article/en-p003-s01/e012'); '<claim id>/<zh or en>' for a claim span.")
    doc_id: str = described("Document id.")
    language: Language = described("Language.")
    sentence_id: str = described("Sentence holding the span.")
    layer: Layer = described("Entity, number, cue or claim span.")
    label: str = described("Entity type, number unit, cue class, or claim type.")
    start: int = described("Start offset in the document text of this language.")
    end: int = described("End offset (exclusive) in the document text.")
    sentence_start: int = described("Start offset in the sentence text.")
    sentence_end: int = described("End offset (exclusive) in the sentence text.")
    text: str = described("Span surface.")
    entity_id: Optional[str] = described("Inventory id (entity spans only).")
    value: Optional[float] = described("Normalized value (number spans only).", dtype="float64")
    low: Optional[float] = described("Range low (number spans only).", dtype="float64")
    high: Optional[float] = described("Range high (number spans only).", dtype="float64")
    claim_ids: tuple[str, ...] = described("Claims whose span contains this span (the claim itself for a claim span).")


@dataclass(frozen=True)
class NoteRow:
    id: str = described("Stable id: '<doc>/tn<n>'.")
    doc_id: str = described("Document id.")
    kind: NoteKind = described("Typo, error, inconsistency, ambiguity, or a strengthened or weakened hedge.")
    zh_sentence_id: str = described("Chinese sentence.")
    zh_start: int = described("Start offset of the noted span in documents.zh_text.")
    zh_end: int = described("End offset (exclusive).")
    zh_text: str = described("Noted Chinese span.")
    en_sentence_id: str = described("English sentence rendering it.")
    en_text: str = described("The English rendering.")
    explanation: str = described("Why the Chinese reads as noted (never an assertion about the original's wording).")
    source: str = described("Public source for facts the explanation uses (may be empty).")
    claim_ids: tuple[str, ...] = described("Claims whose Chinese span overlaps the noted span.")


@dataclass(frozen=True)
class OriginalParagraphRow:
    id: str = described("Stable id: '<doc>/orig-p<index>'.")
    doc_id: str = described("Document id.")
    index: int = described("0-based position in the user's copy of the original.")
    text: str = described("Paragraph of the English original (from the user's own copy; never redistributed).")
    zh_ids: tuple[str, ...] = described("Chinese paragraphs aligned with it (empty: no Chinese counterpart).")
    bead_cost: float = described("Cost of its alignment bead (higher is less certain).", dtype="float64")


@dataclass(frozen=True)
class OriginalSentenceRow:
    id: str = described("Stable id: '<doc>/orig-p<paragraph>-s<sentence>'.")
    doc_id: str = described("Document id.")
    paragraph_id: str = described("Original paragraph holding the sentence.")
    index: int = described("0-based position among the original's sentences.")
    text: str = described("Sentence of the original.")
    start: int = described("Start offset in the original's text (paragraphs joined by a blank line).")
    end: int = described("End offset (exclusive).")
    zh_ids: tuple[str, ...] = described("Chinese sentences aligned with it.")
    bead_cost: float = described("Cost of its alignment bead.", dtype="float64")


@dataclass(frozen=True)
class ProjectedSpan:
    layer: Layer = described("Entity, number or cue.")
    text: str = described("The span found in the original.")
    start: int = described("Start offset in the original's text.")
    end: int = described("End offset (exclusive).")
    label: str = described("Entity id, number value, or cue class.")


@dataclass(frozen=True)
class ProjectionRow:
    claim_id: str = described("Gold claim projected onto the original.")
    doc_id: str = described("Document id.")
    original_sentence_ids: tuple[str, ...] = described("Original sentences aligned with the claim's Chinese sentence.")
    original_text: str = described("Those sentences joined: the claim's context in the original (the span is not narrowed).")
    found: tuple[ProjectedSpan, ...] = described("The claim's entities, numbers and cues found in those sentences.")
    missing: tuple[str, ...] = described("Entity ids and number values of the claim not found there (to review).")


# config name -> (row type, one-line description); the first config is the default.
CONFIGS: dict[str, tuple[type, str]] = {
    "paragraphs": (ParagraphRow, "One row per paragraph, both languages, with offsets and its gold alignment."),
    "documents": (DocumentRow, "One row per document: metadata and the full text of each side."),
    "sentences": (SentenceRow, "One row per sentence, both languages, with tokens, offsets and its gold alignment."),
    "translation": (BeadRow, "One row per gold sentence bead, with a datasets Translation pair."),
    "paragraph_translation": (BeadRow, "One row per gold paragraph bead, with a datasets Translation pair."),
    "capture_regions": (RegionRow, "The partition of the raw page capture into kept body and dropped regions, with reasons."),
}
# Configs of the claim annotation, present for documents that have one.
ANNOTATION_CONFIGS: dict[str, tuple[type, str]] = {
    "claims": (ClaimRow, "One row per gold claim, with both language spans, nested cue, entity and number spans, hedge, source and outcome."),
    "entities": (EntityRecord, "The entity inventory: one row per real-world entity, with its Chinese and English aliases."),
    "mentions": (MentionRow, "Every annotated span (entities, numbers, cues, claims) flattened to one row, for span-extractor training."),
    "translation_notes": (NoteRow, "Typos, errors, ambiguities and hedge shifts of the Chinese text that affect a claim."),
}
# Configs of a local variant built from the user's own copy of the English original (never committed).
ORIGINAL_CONFIGS: dict[str, tuple[type, str]] = {
    "original_paragraphs": (OriginalParagraphRow, "Paragraphs of the user's copy of the English original, aligned with the Chinese."),
    "original_sentences": (OriginalSentenceRow, "Sentences of the user's copy of the original, aligned with the Chinese."),
    "claim_projections": (ProjectionRow, "Each gold claim's entities, numbers and cues located in the aligned sentences of the original."),
}


def all_configs() -> dict[str, tuple[type, str]]:
    return {**CONFIGS, **ANNOTATION_CONFIGS, **ORIGINAL_CONFIGS}
DEFAULT_CONFIG = "paragraphs"
