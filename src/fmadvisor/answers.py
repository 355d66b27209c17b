"""How a typed answer to a question of `fmadvisor ask` becomes a value: one parser per kind of
answer, each returning the value or raising BadAnswer with what is expected. The limits come from
the spec model (a field's `le`), so an answer fails where it is typed. `questions.py` uses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args

from pydantic import BaseModel

from fmadvisor.spec_logic import parse_count
from fmadvisor.spec_model import Constraints, Data, Gpu, Hardware, Team


class BadAnswer(ValueError):
    """An answer that does not parse; the message says what is expected."""


def plain(value: Any) -> str:
    """A value as a person types it: 10000 not 10000.0, 'en, de' not "['en', 'de']"."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "none"
    return str(value)


# ---- parsers ----------------------------------------------------------------------------------


def choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower().replace(" ", "_").replace("-", "_")
        for option in options:
            if value == option.lower().replace("-", "_"):
                return option
        matches = (
            [o for o in options if o.lower().replace("-", "_").startswith(value)] if value else []
        )
        if len(matches) == 1:
            return matches[0]
        raise BadAnswer(f"choose one of: {', '.join(options)}")

    return parse


def parse_yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("y", "yes", "true", "1"):
        return True
    if value in ("n", "no", "false", "0"):
        return False
    raise BadAnswer("answer yes or no")


def _most(model: type[BaseModel], name: str) -> float:
    """The largest value the spec accepts in a field (its `le`), so an answer fails where it is
    typed rather than when the spec is built at the end."""
    return next((m.le for m in model.model_fields[name].metadata if hasattr(m, "le")), math.inf)


def _at_most(value: float, most: float, words: str) -> float:
    if not math.isfinite(value) or value > most:
        raise BadAnswer(f"{words} of at most {most:,g}")
    return value


def parse_count_answer(raw: str) -> int:
    try:
        value = parse_count(raw.strip().replace(",", "").replace("_", ""))
    except ValueError as exc:  # too large to be a count
        raise BadAnswer(f"a whole number, e.g. 300, 25k, 2B; {exc}") from None
    if not isinstance(value, int) or value < 0:
        raise BadAnswer("a whole number, e.g. 300, 25k, 2B")
    return value


def parse_positive_int(raw: str) -> int:
    value = parse_count_answer(raw)
    if value < 1:
        raise BadAnswer("a whole number of at least 1")
    return int(_at_most(value, _most(Team, "ml_engineers"), "a whole number"))


def _amount(raw: str) -> float | None:
    """A number of 0 or more, or None for 'none' (no limit)."""
    value = raw.strip().replace("$", "").replace(",", "").replace("_", "")
    if value.lower() in ("", "none", "unknown", "-"):
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadAnswer("an amount like 20000, or 'none' if there is no limit") from None
    if number < 0:
        raise BadAnswer("an amount of 0 or more")
    return number


def parse_money(raw: str) -> float | None:
    value = _amount(raw)
    return (
        value if value is None else _at_most(value, _most(Constraints, "budget_usd"), "an amount")
    )


def parse_weeks(raw: str) -> float | None:
    value = _amount(raw.replace("weeks", "").replace("week", ""))
    if value is not None and value <= 0:
        raise BadAnswer("more than 0 weeks, or 'none'")
    most = _most(Constraints, "timeline_weeks")
    return value if value is None else _at_most(value, most, "a number of weeks")


def parse_languages(raw: str) -> list[str]:
    from fmadvisor.speccheck import language_hint, languages

    items = [x.strip().lower() for x in raw.replace(";", ",").split(",") if x.strip()]
    for item in items:
        if item not in languages():
            raise BadAnswer(
                f"unknown language '{item}'{language_hint(item)}; "
                "ISO 639-1 codes separated by commas, e.g. en, de, fr"
            )
    return items


def parse_words(raw: str) -> list[str]:
    return [
        x.strip().lower()
        for x in raw.replace(";", ",").split(",")
        if x.strip() and x.strip().lower() != "none"
    ]


SENSITIVE = tuple(
    kind
    for kind in get_args(get_args(Data.model_fields["sensitive"].annotation)[0])
    if kind != "none"
)  # the spec's kinds: one definition


def parse_sensitive(raw: str) -> list[str]:
    items = parse_words(raw)
    bad = [x for x in items if x not in SENSITIVE]
    if bad:
        raise BadAnswer(f"any of {', '.join(SENSITIVE)}, separated by commas, or 'none'")
    return items


def parse_text(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise BadAnswer("a name is needed")
    return value


def parse_optional_text(raw: str) -> str | None:
    value = raw.strip()
    return None if value.lower() in ("", "none", "-") else value


def _gigabytes(raw: str) -> float:
    value = _amount(raw.lower().replace("gb", ""))
    if value is None or value <= 0:
        raise BadAnswer("memory in GB, e.g. 24")
    return value


def parse_ram(raw: str) -> float | None:
    if raw.strip().lower() in ("", "none", "unknown", "-"):
        return None
    return _at_most(_gigabytes(raw), _most(Hardware, "cpu_ram_gb"), "GB")


def parse_memory(raw: str) -> float:
    return _at_most(_gigabytes(raw), _most(Gpu, "memory_gb"), "GB")


def show_list(v: Any) -> str:
    return ", ".join(v) if v else "none"


KINDS = {
    "parse_text": "text",
    "parse_optional_text": "text, or none",
    "parse_languages": "list of ISO 639-1 codes (en, de)",
    "parse_count_answer": "count (300, 25k, 2B)",
    "parse_positive_int": "whole number, at least 1",
    "parse_yes_no": "yes or no",
    "parse_money": "amount in USD, or none",
    "parse_weeks": "number of weeks, or none",
    "parse_memory": "GB per card",
    "parse_ram": "GB, or none",
    "parse_sensitive": "list of: " + ", ".join(SENSITIVE) + "; or none",
    "parse_words": "list (comma-separated), or none",
}
