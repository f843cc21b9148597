"""The shared field checks agree with Unicode's own definitions."""

import sys
import unicodedata

import pytest

from app.validators import LINE_BREAKS
from app.validators import has_control_characters


@pytest.mark.parametrize("allow_line_breaks", [False, True])
def test_control_characters_are_exactly_unicode_category_cc(allow_line_breaks):
    allowed = LINE_BREAKS if allow_line_breaks else frozenset()
    for code_point in range(sys.maxunicode + 1):
        character = chr(code_point)
        expected = unicodedata.category(character) == "Cc" and character not in allowed
        found = has_control_characters(f"a{character}b", allow_line_breaks)
        assert found == expected, f"U+{code_point:04X}"
