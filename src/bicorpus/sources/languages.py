"""Which language an input plainly is not in, judged by script: the check of every command
that takes a text said to be Chinese or English (align, align-many, new, ingest-original, extract --text).

The problems name the file and, as their field, what the command calls the input (its
argument or option), so that the user knows which of the two to swap or replace.
"""

from __future__ import annotations

from typing import Optional

from ..problems import Problem
from ..schema import Language


def language_problem(path: str, text: str, language: Language, field: str, line: Optional[int] = None) -> Optional[Problem]:
    """A text plainly in the other language than the one given (judged by script)."""
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    if language is Language.EN and cjk > latin:
        return Problem(path, line, field, f"the text is mostly Chinese ({cjk} CJK characters, {latin} Latin letters), not en")
    if language is Language.ZH and cjk == 0 and latin:
        return Problem(path, line, field, "the text has no Chinese characters, not zh")
    return None


def pair_problem(zh: tuple[str, str, str], en: tuple[str, str, str], line: Optional[int] = None,
                 swapped: Optional[str] = None) -> Optional[Problem]:
    """What is plainly wrong with a Chinese and an English input, each (path, text, field): the
    same text given twice, the two swapped (said as `swapped` where the default, which speaks of
    files, does not fit), or one side in the other language; `line` for two sides of one line."""
    (zh_path, zh_text, zh_field), (en_path, en_text, en_field) = zh, en
    if zh_text == en_text:
        # one file given for both sides: one of them is in the wrong language, whatever the script says
        return Problem(en_path, line, en_field, f"the same text as {zh_path} ({zh_field}): give the English text here")
    zh_wrong = language_problem(zh_path, zh_text, Language.ZH, zh_field, line)
    en_wrong = language_problem(en_path, en_text, Language.EN, en_field, line)
    if zh_wrong and en_wrong:
        return Problem(zh_path, line, zh_field, swapped or f"has no Chinese while {en_path} is mostly Chinese: the files look "
                                                           f"swapped ({zh_field} is the Chinese one, {en_field} the English one)")
    return zh_wrong or en_wrong
