"""Regenerate src/fmadvisor/catalog/language_aliases.json: language codes cards use -> ISO 639-1.

Model cards name languages in several ISO 639 forms: two-letter codes (sw), the three-letter
ISO 639-2 equivalents (swa, eng, ger), individual languages of a macrolanguage (swh for Swahili,
arb for Standard Arabic, zsm for Malay, as NLLB's cards do) and deprecated codes (iw, in, ji).
Specs use ISO 639-1, so a card naming `swh` must count as covering `sw`. The mapping is CLDR's
language aliases, applied by the `langcodes` library (standardize_tag with macro=True), and then
the IANA Language Subtag Registry's `Macrolanguage` field (shipped with langcodes) for individual
languages CLDR leaves alone: NLLB names Pashto only as Southern Pashto `pbt`, Sorani as `ckb`,
Quechua as Ayacucho `quy`, and a card that covers the main variety of a macrolanguage covers the
language a spec names. Three macrolanguages are left out, because their members are languages
with their own written standards, not varieties (CLDR already maps the standard members, `cmn`,
`arb` and `zsm`): Chinese (Cantonese `yue` is not Mandarin), Arabic (Egyptian `arz`) and Malay
(Minangkabau `min`, and Indonesian, which has its own code). Members with a two-letter code of
their own (`nb`, `nn`, `id`) stay as they are. It is generated once here and shipped as data, so
neither langcodes nor CLDR is needed at run time.

    pip install 'langcodes==3.5.1' && python catalog/language_aliases.py
"""

from __future__ import annotations

import itertools
import json
import re
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


# macrolanguages whose members have their own written standards (see the module docstring)
DISTINCT_MEMBERS = {"zh", "ar", "ms"}


def macrolanguage_members() -> dict[str, str]:
    """Individual language -> its macrolanguage's ISO 639-1 code, from the IANA registry."""
    registry = Path(langcodes.__file__).parent / "data" / "language-subtag-registry.txt"
    out = {}
    for record in registry.read_text(encoding="utf-8").split("%%"):
        fields = dict(re.findall(r"^(Type|Subtag|Macrolanguage|Deprecated): (.*)$", record, re.M))
        macro, subtag = fields.get("Macrolanguage"), fields.get("Subtag", "")
        if (
            fields.get("Type") == "language"
            and "Deprecated" not in fields
            and macro in ISO_639_1
            and macro not in DISTINCT_MEMBERS
            and len(subtag) == 3
        ):
            out[subtag] = macro
    return out


def main() -> None:
    table = {c: a for c in candidates() if (a := alias(c))}
    table |= {c: a for c, a in macrolanguage_members().items() if c not in table}
    doc = {
        "about": "language code -> ISO 639-1, from CLDR language aliases via langcodes "
        f"{metadata.version('langcodes')} (standardize_tag, macro=True), then the IANA registry's "
        "Macrolanguage field (not for zh, ar, ms); regenerate with "
        "catalog/language_aliases.py",
        "aliases": dict(sorted(table.items())),
    }
    OUT.write_text(json.dumps(doc, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(table)} aliases)")


if __name__ == "__main__":
    main()
