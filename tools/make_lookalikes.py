"""Writes app/automoderation/lookalikes.json: each character that looks like an ASCII letter or
digit, with that letter or digit, taken from Unicode's confusables data (via the
confusable-homoglyphs package, a development dependency).

The site only needs this small table (about 15 KB); the package's full data costs every web
worker 7 MB. Run after upgrading confusable-homoglyphs: `python -m tools.make_lookalikes`.
"""

import json
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "app" / "automoderation" / "lookalikes.json"


def lookalike_table() -> dict[str, str]:
    import confusable_homoglyphs

    data_file = Path(confusable_homoglyphs.__file__).parent / "confusables.json"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    table = {}
    for character, homoglyphs in data.items():
        if len(character) != 1 or character.isascii():
            continue
        for homoglyph in homoglyphs:
            if homoglyph["c"].isascii() and homoglyph["c"].isalnum():
                table[character] = homoglyph["c"]
                break
    return table


def table_text(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=True, sort_keys=True, indent=0) + "\n"


if __name__ == "__main__":
    TABLE.write_text(table_text(lookalike_table()), encoding="utf-8")
    print(f"Wrote {TABLE}", file=sys.stderr)
