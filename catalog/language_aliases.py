"""Regenerate src/fmadvisor/catalog/language_aliases.json: language codes cards use -> ISO 639-1.

Model cards name languages in several ISO 639 forms: two-letter codes (sw), the three-letter
ISO 639-2 equivalents (swa, eng, ger), individual languages of a macrolanguage (swh for Swahili,
arb for Standard Arabic, zsm for Malay, as NLLB's cards do) and deprecated codes (iw, in, ji).
Specs use ISO 639-1, so a card naming `swh` must count as covering `sw`. The mapping is CLDR's
language aliases, applied by the `langcodes` library (standardize_tag with macro=True); it is
generated once here and shipped as data, so neither langcodes nor CLDR is needed at run time.

    pip install 'langcodes==3.5.1' && python catalog/language_aliases.py
"""

from __future__ import annotations

import itertools
import json
from importlib import metadata
import string
from pathlib import Path

import langcodes
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "fmadvisor" / "catalog" / "language_aliases.json"
ISO_639_1 = set(
    yaml.safe_load((ROOT / "rules" / "tables" / "languages.yaml").read_text())["languages"]
)


def candidates() -> list[str]:
    letters = string.ascii_lowercase
    three = ("".join(t) for t in itertools.product(letters, repeat=3))
    deprecated = ["iw", "in", "ji", "jw", "mo", "sh"]
    return [*deprecated, *three]


def alias(code: str) -> str | None:
    try:
        tag = langcodes.standardize_tag(code, macro=True)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return None
    lang = tag.split("-")[0]
    return lang if lang != code and lang in ISO_639_1 else None


def main() -> None:
    table = {c: a for c in candidates() if (a := alias(c))}
    doc = {
        "about": "language code -> ISO 639-1, from CLDR language aliases via langcodes "
        f"{metadata.version('langcodes')} (standardize_tag, macro=True); regenerate with "
        "catalog/language_aliases.py",
        "aliases": dict(sorted(table.items())),
    }
    OUT.write_text(json.dumps(doc, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(table)} aliases)")


if __name__ == "__main__":
    main()
