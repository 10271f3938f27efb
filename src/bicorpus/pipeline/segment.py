"""Stage 2: paragraphs -> sentences and tokens, with spaCy.

Chinese uses a blank `zh` pipeline whose segmenter is jieba; English a blank `en`
pipeline. Both get the same two components:

* `bicorpus_merge_terms` merges every occurrence of a listed name (GPT-4, DALL·E, μP,
  Megatron-Turing NLG, ...) into one token. jieba's user dictionary already keeps names made
  of letters, digits and hyphens together, but jieba cuts at characters outside its word
  pattern (`·`, `μ`, spaces) before it looks at the dictionary, so those need the merge.
* `bicorpus_sentences` ends a sentence after 。！？!? (and, in English, .) and the closing
  quotes or brackets that follow it, and nowhere else. spaCy's stock sentencizer also keeps an opening bracket
  that follows 。 in the old sentence; English abbreviations ("e.g.") and decimals ("1.4")
  are single tokens from spaCy's tokenizer, so their dots never end a sentence. Of the few
  abbreviations spaCy cuts off their dot, "etc." and "et al." end a sentence only where what
  follows could start one: not before a lowercase word, a digit, an opening bracket or , ; :
  ("USB, etc.) ready for use", "Kaplan et al. (2020)"); "cf.", "Fig.", "pp." and the like never
  end one; "No." ends one except before a number ("Rule No. 1"). After any other word a
  lowercase start is a new sentence, since technical English starts sentences with commands
  ("Run apt. dpkg then ..."); after "etc." it is not (a known trade-off: "apt, dpkg, etc. dpkg
  is the base" stays one sentence).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from spacy.language import Language as SpacyLanguage
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..schema import Language, Paragraph, ParagraphKind, PARAGRAPH_SEPARATOR, SegmentedSide, Sentence
from ..spans import keep_longest

SENTENCE_END = frozenset("。！？!?.")
# In Chinese text an ASCII full stop belongs to Latin abbreviations or numbers ("e.g.", "1.4"):
# jieba cuts those into single characters, so only the ideographic and !? marks end a sentence.
SENTENCE_END_BY_LANGUAGE = {"zh": frozenset("。！？!?"), "en": SENTENCE_END}
CLOSERS = frozenset("”’」』）)]】》〉")
STRAIGHT_QUOTES = frozenset("\"'")
# Abbreviations whose dot spaCy's English tokenizer splits off ("etc.)" -> etc . )); it keeps "e.g.",
# "i.e.", "Jr." whole. These can end a sentence ("... and so on, etc. Next"):
ENDING_ABBREVIATIONS = frozenset({"etc", "al"})
# these always lead into what follows ("cf. Chapter 6", "Fig. S3"), so their dot never ends one;
PREFIX_ABBREVIATIONS = frozenset({"cf", "Fig", "fig", "Figs", "Vol", "vol", "pp", "approx", "Nos", "vs"})
# and "No" is also a word ("Is it allowed? No."): an abbreviation only before a number ("Rule No. 1").
NUMBER_ABBREVIATION = "No"


@SpacyLanguage.factory("bicorpus_merge_terms", default_config={"terms": []})
def make_term_merger(nlp, name: str, terms: list[str]):
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    matcher.add("TERM", [nlp.make_doc(term) for term in terms])

    def merge_terms(doc: Doc) -> Doc:
        spans = filter_spans([doc[start:end] for _, start, end in matcher(doc) if end - start > 1])
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
        return doc

    return merge_terms


def _is_closer(doc: Doc, i: int) -> bool:
    token = doc[i]
    if all(ch in CLOSERS for ch in token.text):
        return True
    # A straight quote glued to the sentence end closes it; after a space it opens the next.
    return all(ch in STRAIGHT_QUOTES for ch in token.text) and not doc[i - 1].whitespace_


def _abbreviation_before(doc: Doc, i: int) -> Optional[str]:
    """The abbreviation whose dot token i is ("etc" for "etc."), if it is one."""
    if doc[i].text == "." and i > 0 and not doc[i - 1].whitespace_:
        word = doc[i - 1].text
        if word in ENDING_ABBREVIATIONS or word in PREFIX_ABBREVIATIONS or word == NUMBER_ABBREVIATION:
            return word
    return None


def _continues(abbreviation: str, text: str) -> bool:
    """Whether the word `text` after the dot of `abbreviation` goes on with the same sentence."""
    if abbreviation in PREFIX_ABBREVIATIONS:
        return True
    if abbreviation == NUMBER_ABBREVIATION:
        return text[0].isdigit() or text[0] == "#"
    return text[0].islower() or text[0].isdigit() or text[0] in ",;:(["


@SpacyLanguage.factory("bicorpus_sentences", default_config={"ends": sorted(SENTENCE_END)})
def make_sentence_marker(nlp, name: str, ends: list[str]):
    ends = frozenset(ends)

    def is_end(text: str) -> bool:
        return bool(text) and set(text) <= ends

    def mark_sentences(doc: Doc) -> Doc:
        ended = False  # a sentence end was seen and only end marks or closers followed it
        abbreviation = None  # ... and that end was the dot of this abbreviation
        for i, token in enumerate(doc):
            if i == 0:
                token.is_sent_start = True
            elif ended and not (is_end(token.text) or _is_closer(doc, i) or token.is_space):
                token.is_sent_start = not (abbreviation and _continues(abbreviation, token.text))
                ended, abbreviation = False, None
            else:
                token.is_sent_start = False
            if is_end(token.text):
                # "etc.)." ends for certain: only an abbreviation's dot alone leaves the end in doubt
                abbreviation = None if ended else _abbreviation_before(doc, i)
                ended = True
        return doc

    return mark_sentences


def _quiet_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[dict, int]:
    """jieba's default dictionary (frequencies, total), read once per process: reading it takes
    about a second, and every document with its own names gets a private tokenizer with a copy."""
    # jieba's default tokenizer: spaCy's Chinese tokenizer has already loaded it to check that
    # jieba works, so this costs a copy, not a second read
    default = _quiet_jieba().dt
    default.check_initialized()
    return dict(default.FREQ), default.total


def private_segmenter():
    """A jieba tokenizer of its own, starting from a copy of the default dictionary."""
    segmenter = _quiet_jieba().Tokenizer()
    frequencies, total = jieba_dictionary()
    segmenter.FREQ, segmenter.total, segmenter.initialized = dict(frequencies), total, True
    return segmenter


@lru_cache(maxsize=8)
def pipeline(language: Language, terms: tuple[str, ...]):
    """The blank spaCy pipeline for one language, with the given names kept whole."""
    import spacy

    if language is Language.ZH:
        _quiet_jieba()  # before spaCy's tokenizer loads jieba's dictionary, which jieba reports on stderr
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        # A private jieba dictionary, so that one document's names never leak into another's.
        segmenter = private_segmenter()
        for term in terms:
            segmenter.add_word(term)
            # add_word's default frequency (1) loses to jieba's own split of a Chinese name
            segmenter.suggest_freq(term, tune=True)
        nlp.tokenizer.jieba_seg = segmenter
    else:
        nlp = spacy.blank("en")
    nlp.add_pipe("bicorpus_merge_terms", config={"terms": list(terms)})
    nlp.add_pipe("bicorpus_sentences", config={"ends": sorted(SENTENCE_END_BY_LANGUAGE[language.value])})
    return nlp


def sections(kinds: Sequence[ParagraphKind]) -> list[tuple[int, Optional[int]]]:
    """(section index, index of the opening heading) for each paragraph."""
    out, section, heading = [], 0, None
    for index, kind in enumerate(kinds):
        if kind is ParagraphKind.HEADING:
            section, heading = section + 1, index
        out.append((section, heading))
    return out


def term_occurrences(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of the terms, longest first where two overlap."""
    found = []
    for term in set(terms):
        at = text.find(term)
        while at != -1:
            found.append((at, at + len(term)))
            at = text.find(term, at + 1)
    return keep_longest(found)


def split_terms(doc: Doc, terms: Iterable[str]) -> list[tuple[int, str]]:
    """(offset, term) of each occurrence of a term that did not end up as one token."""
    token_spans = {(t.idx, t.idx + len(t.text)) for t in doc}
    return [(start, doc.text[start:end]) for start, end in term_occurrences(doc.text, terms)
            if (start, end) not in token_spans]


def marked_sentences(doc: Doc) -> Iterable[list]:
    """The tokens of each sentence that `bicorpus_sentences` marked, in one pass over the
    tokens (what `doc.sents` gives, without its per-sentence span lookups)."""
    current: list = []
    for token in doc:
        if token.is_sent_start and current:
            yield current
            current = []
        current.append(token)
    if current:
        yield current


def segment(
    language: Language,
    texts: Sequence[str],
    kinds: Sequence[ParagraphKind],
    terms: Sequence[str],
    raw_starts: Optional[Sequence[int]] = None,
) -> SegmentedSide:
    """Place paragraphs in one document text and split them into sentences and tokens.

    `raw_starts` gives each paragraph's offset in the raw capture (the Chinese side), so
    that every paragraph and sentence also carries raw offsets."""
    nlp = pipeline(language, tuple(sorted(set(terms))))
    paragraphs, sentences, missed = [], [], []
    offset = 0
    for index, (doc, kind, (section, heading)) in enumerate(zip(nlp.pipe(texts), kinds, sections(kinds))):
        text = texts[index]
        raw = raw_starts[index] if raw_starts is not None else None
        paragraphs.append(Paragraph(language, index, kind, section, heading, text, offset, offset + len(text),
                                    raw, None if raw is None else raw + len(text)))
        in_paragraph = 0
        # A title or heading is one unit: its section number ("2.1.", "Chapter 2.") is no sentence end.
        for sent in ([list(doc)] if kind in (ParagraphKind.TITLE, ParagraphKind.HEADING) else marked_sentences(doc)):
            tokens = [t for t in sent if not t.is_space]
            if not tokens:
                continue
            # bounds from the first and last non-space token: a sentence never starts or ends on a space
            first, last = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            sentences.append(Sentence(
                language=language,
                paragraph_index=index,
                index=len(sentences),
                index_in_paragraph=in_paragraph,
                text=text[first:last],
                start=offset + first,
                end=offset + last,
                raw_start=None if raw is None else raw + first,
                raw_end=None if raw is None else raw + last,
                tokens=tuple(t.text for t in tokens),
                token_starts=tuple(t.idx - first for t in tokens),
                token_ends=tuple(t.idx + len(t.text) - first for t in tokens),
            ))
            in_paragraph += 1
        missed += [(index, at, term) for at, term in split_terms(doc, terms)]
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    return SegmentedSide(language, PARAGRAPH_SEPARATOR.join(texts), tuple(paragraphs), tuple(sentences), tuple(missed))
