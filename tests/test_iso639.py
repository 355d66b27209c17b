"""Cards name languages in several ISO 639 forms; specs use ISO 639-1. A card naming Swahili as
`swh` (NLLB) or English as `eng` covers a spec's `sw` or `en`."""

from __future__ import annotations

import datetime as dt

from fmadvisor.catalog import catalog_from_records
from fmadvisor.catalog.iso639 import aliases, iso639_1
from fmadvisor.rules import load_rulebase
from fmadvisor.scoring import Scorer
from fmadvisor.spec import Spec
from fmadvisor.speccheck import languages


def test_macrolanguage_members_and_three_letter_forms_get_their_two_letter_code():
    assert iso639_1(("swh", "arb", "zsm", "eng", "fr")) == (
        "swh",
        "arb",
        "zsm",
        "eng",
        "fr",
        "sw",
        "ar",
        "ms",
        "en",
    )


def test_codes_without_another_form_are_left_as_the_card_names_them():
    assert iso639_1(("en", "fr", "acm")) == ("en", "fr", "acm")
    assert iso639_1(("swh", "sw")) == ("swh", "sw")


def test_every_alias_is_an_iso_639_1_code_specs_accept():
    known = set(languages())
    table = aliases()
    assert len(table) > 200
    assert all(v in known and k != v for k, v in table.items())


def _blocked(card_languages: list[str]) -> bool:
    catalog = catalog_from_records(
        [{"id": "org/mt", "pipeline_tag": "translation", "languages": card_languages}],
        source="test",
    )
    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "mt"},
            "task": {"type": "translation", "languages": ["en", "sw"]},
        }
    )
    scorer = Scorer(spec, load_rulebase(), dt.date(2026, 12, 1), lookup=catalog.get)
    return scorer.evaluate(catalog.get("org/mt"))[2]


def test_a_card_naming_swahili_as_swh_covers_a_swahili_spec():
    assert _blocked(["eng", "swh"]) is False
    assert _blocked(["en", "fr"]) is True  # task.languages-excluded: the card leaves Swahili out


def test_an_individual_language_covers_its_macrolanguage_unless_its_members_are_languages_apart():
    # NLLB names Pashto only as Southern Pashto and Kurdish as Sorani and Kurmanji (IANA registry's
    # Macrolanguage field); Cantonese is not Chinese, Egyptian Arabic not Arabic, Minangkabau not Malay
    assert iso639_1(("pbt", "ckb", "quy")) == ("pbt", "ckb", "quy", "ps", "ku", "qu")
    assert iso639_1(("yue", "arz", "min")) == ("yue", "arz", "min")
    assert _blocked(["en", "pbt"]) is True  # the spec asks for Swahili, not Pashto
