"""A rough UTS #39 "skeleton": two names that look alike on screen get the same skeleton.

Used to hold comments whose author name imitates staff ("Εditor" with a Greek Epsilon,
"Ｓａｍ" in full-width letters, "M0derator"). The table of lookalikes (lookalikes.json) is
made from Unicode's confusables data by tools/make_lookalikes.py.
"""

import json
import unicodedata
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("lookalikes.json")

# Lookalikes inside ASCII that the homoglyph data treats as distinct characters.
ASCII_LOOKALIKES = (("0", "o"), ("1", "l"), ("|", "l"), ("rn", "m"), ("vv", "w"))


@cache
def _lookalikes() -> dict[str, str]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def _ascii_lookalike(character: str) -> str:
    return character if character.isascii() else _lookalikes().get(character, character)


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
