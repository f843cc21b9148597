"""A rough UTS #39 "skeleton": two names that look alike on screen get the same skeleton.

Used to hold comments whose author name imitates staff ("Εditor" with a Greek Epsilon,
"Ｓａｍ" in full-width letters, "M0derator").
"""

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

# Lookalikes inside ASCII that the homoglyph data treats as distinct characters.
ASCII_LOOKALIKES = (("0", "o"), ("1", "l"), ("|", "l"), ("rn", "m"), ("vv", "w"))


@lru_cache(maxsize=4096)
def _ascii_lookalike(character: str) -> str:
    if character.isascii():
        return character
    found = confusables.is_confusable(character, greedy=True)
    if found:
        for homoglyph in found[0]["homoglyphs"]:
            if homoglyph["c"].isascii() and homoglyph["c"].isalnum():
                return homoglyph["c"]
    return character


def skeleton(text: str) -> str:
    """Letters and digits only, lower case, with every lookalike replaced by its ASCII twin."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_ascii_lookalike(character) for character in text).casefold()
    text = "".join(
        character
        for character in unicodedata.normalize("NFD", text)
        if character.isalnum() and not unicodedata.combining(character)
    )
    for lookalike, letter in ASCII_LOOKALIKES:
        text = text.replace(lookalike, letter)
    return text
