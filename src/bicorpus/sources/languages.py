"""Whether a user's text is plainly in the language it is given as, judged by its script: the
check `align`, `align-many`, `extract --text` and `ingest-original` make before they work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..problems import Problem
from ..schema import Language


def language_problem(path: str, text: str, language: Language, line: Optional[int] = None,
                     field: Optional[str] = "--lang") -> Optional[Problem]:
    """A text plainly in the other language than the one given (judged by script)."""
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    if language.value == "en" and cjk > latin:
        return Problem(path, line, field, f"the text is mostly Chinese ({cjk} CJK characters, {latin} Latin letters), not en")
    if language.value == "zh" and cjk == 0 and latin:
        return Problem(path, line, field, "the text has no Chinese characters, not zh")
    return None


@dataclass(frozen=True)
class Side:
    """The text given as one language of a pair, and where a problem with it is said."""

    path: str
    line: Optional[int]
    field: str
    text: str


def sides_problem(zh: Side, en: Side, swapped: str) -> Optional[Problem]:
    """The Chinese or the English side plainly in the other language; when both are, one
    problem on the Chinese side, `swapped` (which says that the two look swapped)."""
    zh_wrong = language_problem(zh.path, zh.text, Language.ZH, zh.line, zh.field)
    en_wrong = language_problem(en.path, en.text, Language.EN, en.line, en.field)
    if zh_wrong and en_wrong:
        return Problem(zh.path, zh.line, zh.field, swapped)
    return zh_wrong or en_wrong
