"""How published results become a comparable capability signal.

Results are comparable only within one group: the same benchmark and metric, stated by the same
origin (a repository, or a page), which evaluated its models the same way. Within a group of at
least `MIN_PEERS` catalog models, each result gets the share of peers it beats (its percentile);
a model's capability is the mean of its percentiles. Results in smaller groups, and speed figures,
are kept as evidence but do not count: a group of three or four is mostly one vendor's table of its
own sizes, whose order is the family's size ladder (the smallest would "beat 0%" and cost more than
a model with no published result at all). Vendor tables are compared only with the same vendor's
table: no number is compared across sources that measured differently. Word and character error
rates in percent are compared capped at 100: past it no transcript is usable, so one is not better.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

MIN_PEERS = 5
LOWER_IS_BETTER = ("wer", "cer", "error", "loss", "perplexity")  # metric name words
NOT_CAPABILITY = ("rtfx", "latency", "throughput", "tokens/s", "speed", "real-time factor")
# Word and character error rates in percent: at 100% or more a transcript is no better than an empty one
# (insertions push the rate past 100), so such results compare as equal rather than ranking one useless
# transcript above another (Whisper's FLEURS WER for Georgian: 100.5 to 123.0 for all six sizes).
ERROR_RATES = ("wer", "cer")
USELESS_ERROR_RATE = 100.0


def origin(source: str) -> str:
    """The group a source belongs to: owner/repo for a repository file, the address for a page."""
    src = source.split("@")[0].strip()
    return src if src.startswith("https://") else src.split(":")[0]


def group_key(e: dict[str, Any]) -> tuple[str, str, str] | None:
    metric = str(e["metric"]).lower()
    if any(w in metric for w in NOT_CAPABILITY):
        return None
    return (str(e["benchmark"]).strip().lower(), metric.strip(), origin(str(e["source"])))


def add_percentiles(models: list[dict[str, Any]]) -> None:
    """Set `percentile` and `peers` on every comparable evidence item of `models` (in place)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in models:
        seen = set()
        for e in record.get("evidence") or []:
            key = group_key(e)
            if key is not None and key not in seen:  # one result per model and group
                seen.add(key)
                groups[key].append(e)
    for key, items in groups.items():
        if len(items) < MIN_PEERS:
            continue
        lower = any(w in key[1] for w in LOWER_IS_BETTER)
        capped = "%" in key[1] and any(w in key[1] for w in ERROR_RATES)
        values = [_comparable(float(e["value"]), capped) for e in items]
        for e, v in zip(items, values, strict=True):
            beaten = sum(1 for o in values if (o > v if lower else o < v))
            ties = sum(1 for o in values if o == v) - 1
            e["percentile"] = round((beaten + ties / 2) / (len(values) - 1), 3)
            e["peers"] = len(values)


def _comparable(value: float, capped: bool) -> float:
    """The value a result is compared by: an error rate in percent at most USELESS_ERROR_RATE."""
    return min(value, USELESS_ERROR_RATE) if capped else value


def capability(evidence: tuple[Any, ...]) -> float | None:
    """Mean percentile of a model's comparable results, in percent (0-100); None when it has none."""
    values = [e.percentile for e in evidence if e.percentile is not None]
    return round(100 * sum(values) / len(values), 1) if values else None


def scoped(
    evidence: tuple[Any, ...], words: tuple[str, ...], foreign: tuple[str, ...] = ()
) -> tuple[Any, ...]:
    """The results that measure the spec's task: those on the domain's benchmarks (names holding
    one of `words`, from tables.domains) when the domain names some, else all results; never those
    on other domains' benchmarks or in languages the spec does not need (`foreign`: HumanEval says
    little about a support chatbot, an English WER little about Swedish). A generalist with no
    results on the domain's benchmarks has an unknown capability there."""
    if not evidence:
        return ()
    wanted, other = _matcher(words), _matcher(foreign)
    return tuple(
        e
        for e in evidence
        if (wanted is None or wanted(e.benchmark.lower()))
        and (other is None or not other(e.benchmark.lower()))
    )


@functools.lru_cache(maxsize=64)
def _matcher(words: tuple[str, ...]) -> Callable[[str], Any] | None:
    """Does a lower-case benchmark name hold one of `words` (one regex search; None: no words).
    The words are merged into a prefix tree first: a flat alternation tries every word at every
    position, and the per-language benchmark names (Whisper's FLEURS columns) share long prefixes."""
    return re.compile(_trie_pattern(sorted(set(words)))).search if words else None


def _trie_pattern(words: list[str]) -> str:
    """A regex matching exactly the (sorted, distinct, non-empty) `words`, factored on common
    prefixes: ["ab", "ac", "b"] -> "a(?:b|c)|b"."""
    branches: dict[str, list[str]] = {}
    ends = False
    for w in words:
        if w:
            branches.setdefault(w[0], []).append(w[1:])
        else:
            ends = True  # a shorter word ends here: the empty alternative
    parts = []
    for head, rests in branches.items():
        tail = _trie_pattern(rests)
        parts.append(re.escape(head) + (f"(?:{tail})" if tail else ""))
    if ends and parts:
        parts.append("")  # a word that is a prefix of others matches on its own
    return "|".join(parts)
