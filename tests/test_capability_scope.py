"""Capability is read from the benchmarks that measure the spec's task (tables.domains), and the
report shows those results: code specs compare models on code benchmarks, other specs leave them
out. Corpus-scale training plans the best-ranked base the budget allows when no size meets the
timeline."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from conftest import AS_OF, EXAMPLES
from fmadvisor.advise import advise
from fmadvisor.catalog import load_embedded
from fmadvisor.catalog.capability import scoped
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.env import Env
from fmadvisor.spec import Spec, load_spec


def result(benchmark: str) -> SimpleNamespace:
    return SimpleNamespace(benchmark=benchmark, percentile=0.5)


def test_scoped_keeps_the_domain_benchmarks_or_drops_other_domains():
    evidence = (result("HumanEval+ (chat prompt)"), result("MMLU-Pro"), result("MBPP"))
    code = scoped(evidence, ("humaneval", "mbpp"))
    assert [e.benchmark for e in code] == ["HumanEval+ (chat prompt)", "MBPP"]
    general = scoped(evidence, (), ("humaneval", "mbpp"))
    assert [e.benchmark for e in general] == ["MMLU-Pro"]
    assert scoped(evidence, ()) == evidence  # no domain words anywhere: every result counts


def test_the_domains_table_names_code_benchmarks_for_code_specs():
    rulebase = load_rulebase()
    spec = Spec.model_validate(
        {"version": 1, "project": {"name": "x"}, "task": {"type": "code", "domain": "software"}}
    )
    env = Env(spec, rulebase.tables, AS_OF)
    assert "humaneval" in env.capability_words
    assert not set(env.capability_words) & set(env.foreign_words)
    chat = Spec.model_validate(
        {"version": 1, "project": {"name": "x"}, "task": {"type": "chatbot"}}
    )
    env = Env(chat, rulebase.tables, AS_OF)
    assert not env.capability_words and "humaneval" in env.foreign_words


def test_questions_over_software_documentation_are_not_judged_by_code_benchmarks():
    """A software domain whose model reads text (a docs assistant) neither asks for a code model
    nor reads capability from HumanEval; the same domain for a code task does both."""
    rulebase = load_rulebase()

    def env(modality: str | None) -> Env:
        task = {"type": "text-generation", "domain": "software-documentation"}
        if modality:
            task["modality"] = modality
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": task})
        return Env(spec, rulebase.tables, AS_OF)

    docs = env("text")
    assert docs.specialty is None and not docs.capability_words
    assert "humaneval" in docs.foreign_words
    code = env(None)
    assert code.specialty == "code" and "humaneval" in code.capability_words


def test_text_to_sql_asks_for_a_code_model_whatever_its_input():
    """A model that writes SQL writes code: code models serve it (and code benchmarks measure it),
    even when the spec's input is prose; a chat about a SQL database's contents does not."""
    rulebase = load_rulebase()

    def env(description: str, task_type: str = "text-generation") -> Env:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "analytics", "description": description},
                "task": {"type": task_type, "modality": "text", "domain": "anti-money-laundering"},
            }
        )
        return Env(spec, rulebase.tables, AS_OF)

    for words in (
        "Analysts ask in Russian; the model writes the SQL.",
        "Turn questions into SQL over the warehouse.",
        "A text-to-SQL assistant",
        "NL2SQL for finance users",
    ):
        e = env(words)
        assert e.specialty == "code" and "humaneval" in e.capability_words, words
    assert env("Answers staff questions about our SQL Server licensing.").specialty is None
    assert env("Turn questions into SQL.", "summarization").specialty is None


def test_text_to_sql_asks_for_code_models_even_in_a_specialist_domain():
    """A drug-safety team's SQL assistant writes SQL: the domain's medical specialty names the data's
    subject, and code models, not medical ones, are trained on what it writes."""
    rulebase = load_rulebase()

    def env(description: str) -> Env:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "analytics", "description": description},
                "task": {
                    "type": "text-generation",
                    "modality": "text",
                    "domain": "pharmacovigilance",
                },
            }
        )
        return Env(spec, rulebase.tables, AS_OF)

    assert env("Business users ask questions; agents turn them into SQL.").specialty == "code"
    assert env("Generate and run Python over the case tables.").specialty == "code"
    assert env("Text-to-Cypher over the adverse-event graph.").specialty == "code"
    assert env("Answers questions about adverse-event reports.").specialty == "medical"


def test_the_pharmaceutical_industry_is_not_a_medical_domain_but_drug_safety_is():
    """A pharma company's batch records, filings and sales data are not clinical language: the
    industry's name asks for no specialty, while drug safety (pharmacovigilance) and any clinical
    word with it still ask for medical models."""
    rulebase = load_rulebase()

    def specialty(domain: str) -> str | None:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "records", "description": "Read the documents."},
                "task": {"type": "image-to-text", "modality": "image", "domain": domain},
            }
        )
        return Env(spec, rulebase.tables, AS_OF).specialty

    assert specialty("pharma-manufacturing-records") is None
    assert specialty("pharmaceutical-regulatory-documents") is None
    assert specialty("pharmacovigilance-case-reports") == "medical"
    assert specialty("pharmaceutical-clinical-trials") == "medical"


def test_clinical_specialties_signals_and_care_settings_name_medical_models():
    """A clinical specialty (anaesthesiology, nephrology), a clinical signal or exam (ECG, endoscopy)
    or a care setting (patients, hospital) is medical language; words as often used elsewhere
    (rehabilitation of prisoners or land, prescriptions read as handwriting) name none."""
    rulebase = load_rulebase()

    def specialty(domain: str) -> str | None:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "notes", "description": "Read the notes."},
                "task": {"type": "text-classification", "domain": domain},
            }
        )
        return Env(spec, rulebase.tables, AS_OF).specialty

    for domain in (
        "anesthesiology-preoperative-evaluation",
        "paediatric-occupational-therapy",
        "nephrology-exam-questions",
        "gastrointestinal-endoscopy",
        "12-lead-ecg-signals",
        "patient-portal-messages",
        "orthopaedic-operative-notes",
        "preclinical-animal-research",
    ):
        assert specialty(domain) == "medical", domain
    assert specialty("prison-rehabilitation-programmes") is None
    assert specialty("handwritten-prescriptions") is None


def test_a_domain_naming_no_specialty_leaves_the_tasks_own_benchmarks():
    """Domain words that name no specialty (documents, invoices: text to be read) do not stand in
    for the specialty the task asks for: text-to-SQL over scanned documents is judged on code
    benchmarks, as it is with no domain words at all."""
    rulebase = load_rulebase()
    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "bi", "description": "Turn analysts' questions into SQL."},
            "task": {"type": "text-generation", "modality": "text", "domain": "scanned-documents"},
        }
    )
    env = Env(spec, rulebase.tables, AS_OF)
    assert env.specialty == "code"
    assert "humaneval" in env.capability_words
    assert "humaneval" not in env.foreign_words


def test_a_code_modality_asks_for_code_models_whatever_the_domain_is_about():
    """A classifier of PHP functions or shell commands reads code: a security domain word does not
    make a security text model its specialist (the domain table's tie, security before software,
    did)."""
    rulebase = load_rulebase()

    def env(modality: str | None, domain: str) -> Env:
        task = {"type": "text-classification", "domain": domain}
        if modality:
            task["modality"] = modality
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": task})
        return Env(spec, rulebase.tables, AS_OF)

    assert env("code", "software-security").specialty == "code"
    assert env("code", "cloud-operations-security").specialty == "code"
    assert env("text", "software-security").specialty == "security"  # its reports, not its code
    assert env(None, "cybersecurity").specialty == "security"


def test_embedding_specs_read_capability_from_embedding_benchmarks_only():
    """GLUE measures a fine-tuned sentence classifier, not an encoder's embeddings or its entity
    tagging: embeddings and NER specs read only their tasks' results (tables.task_benchmarks); a
    classification spec reads the classification results, not a generator's chat leaderboards."""
    rulebase = load_rulebase()

    def words(task: str) -> tuple[str, ...]:
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": {"type": task}})
        return Env(spec, rulebase.tables, AS_OF).capability_words

    evidence = (
        result("GLUE SST-2"),
        result("MTEB(eng, v2)"),
        result("CoNLL-2003 F1"),
        result("Open LLM Leaderboard v2 Average"),
        result("XNLI (15 languages)"),
    )
    assert [e.benchmark for e in scoped(evidence, words("embeddings"))] == ["MTEB(eng, v2)"]
    assert [e.benchmark for e in scoped(evidence, words("ner"))] == ["CoNLL-2003 F1"]
    assert [e.benchmark for e in scoped(evidence, words("classification"))] == [
        "GLUE SST-2",
        "XNLI (15 languages)",
    ]
    # a generator with leaderboard results only has an unknown capability for a classifier
    assert scoped(evidence[3:4], words("classification")) == ()


def test_vision_language_specs_are_not_judged_by_text_leaderboards():
    """A text chat arena or the Open LLM Leaderboard says how a vision-language model's language
    model chats, not how it reads a page: image and document tasks read only vision benchmarks
    (tables.task_benchmarks), and a model with none has an unknown capability there."""
    rulebase = load_rulebase()

    def words(task: str) -> tuple[str, ...]:
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": {"type": task}})
        return Env(spec, rulebase.tables, AS_OF).capability_words

    evidence = (
        result("LMArena text (Arena score)"),
        result("Open LLM Leaderboard v2 Average"),
        result("DocVQA (test)"),
        result("MMMU (val)"),
    )
    for task in ("image-text-to-text", "image-to-text", "document-question-answering"):
        kept = [e.benchmark for e in scoped(evidence, words(task))]
        assert kept == ["DocVQA (test)", "MMMU (val)"], task
    assert scoped(evidence[:2], words("image-text-to-text")) == ()
    assert scoped(evidence, words("text-generation")) == evidence


def _code_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in load_rulebase().tables.domains["software"].benchmarks)


def _advice(path):
    catalog, rulebase = load_embedded(), load_rulebase()
    spec = load_spec(path).spec
    return advise(
        spec, catalog.candidates, rulebase, as_of=AS_OF, lookup=catalog.get, top=5, blocked_top=0
    )


def test_code_example_shows_only_code_results_as_capability_evidence():
    advice = _advice(EXAMPLES / "code-assistant.yaml")
    shown = [e.benchmark.lower() for m in advice.ranking.models for e in m.evidence]
    assert shown, "the code example's leaders carry code results"
    assert all(any(w in b for w in _code_words()) for b in shown)


def test_a_chatbot_is_not_judged_by_code_benchmarks():
    advice = _advice(EXAMPLES / "support-assistant.yaml")
    shown = [e.benchmark.lower() for m in advice.ranking.models for e in m.evidence]
    assert shown and not any(any(w in b for w in _code_words()) for b in shown)


def test_corpus_training_over_the_timeline_keeps_the_best_ranked_base_in_budget():
    """35B tokens on 512 A100s: compute takes hours, the plan's weeks exceed a 6-week timeline for
    any base; the plan must not shrink to the smallest model for that."""
    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "python-specialist"},
            "task": {"type": "code-completion", "domain": "software", "domain_shift": "medium"},
            "data": {"unlabeled_tokens": "35B", "labeled_examples": 0},
            "constraints": {
                "budget_usd": 150000,
                "timeline_weeks": 6,
                "hardware": {"gpus": [{"name": "A100-80GB", "count": 512}]},
            },
        }
    )
    catalog, rulebase = load_embedded(), load_rulebase()
    advice = advise(
        spec, catalog.candidates, rulebase, as_of=dt.date(2026, 12, 1), lookup=catalog.get, top=5
    )
    cpt = next(e for e in advice.recommendation.ranking if e.option.id == "continued_pre_training")
    base = catalog.get(cpt.option.base_model)
    sizes = [c.params for c in advice.ranking.leaders[:20] if c.params]
    assert base is not None and base.params is not None
    assert base.params > min(sizes), (
        "the smallest leader was planned although size cannot fix the weeks"
    )
    assert cpt.option.cost_usd_high is not None and cpt.option.cost_usd_high <= 150000


def test_results_in_languages_the_spec_does_not_need_do_not_count():
    """tables.benchmark_languages: Whisper's English leaderboard WER, where English-only models lead,
    is no evidence about Swedish speech; for an English spec it counts, and so does a per-language
    result for a spec that needs that language."""
    rulebase = load_rulebase()
    catalog = load_embedded()
    whisper = catalog.get("openai/whisper-large-v3")

    def env(languages: list[str]) -> Env:
        task = {"type": "automatic-speech-recognition", "modality": "audio", "languages": languages}
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": task})
        return Env(spec, rulebase.tables, AS_OF)

    def names(e: Env) -> set[str]:
        return {r.benchmark for r in scoped(whisper.evidence, e.capability_words, e.foreign_words)}

    english, swedish, german = names(env(["en"])), names(env(["sv"])), names(env(["de"]))
    assert any("English" in b for b in english)
    assert not any("multilingual" in b for b in english)
    assert not swedish
    assert german and all("English" not in b for b in german)
    assert "Open ASR Leaderboard multilingual, de FLEURS" in german
    assert "Open ASR Leaderboard multilingual, fr FLEURS" not in german
    # a spec that names no language keeps every result
    assert names(env([])) == {r.benchmark for r in whisper.evidence}


def test_a_specialty_names_its_own_benchmark_for_a_task():
    """A biomedical classifier is compared on BLURB (the medical entry's task_benchmarks), not on
    GLUE; a medical chatbot is not judged by BLURB, and a legal classifier treats BLURB as foreign."""
    rulebase = load_rulebase()

    def env(task_type: str, domain: str) -> Env:
        task = {"type": task_type, "domain": domain}
        spec = Spec.model_validate({"version": 1, "project": {"name": "x"}, "task": task})
        return Env(spec, rulebase.tables, AS_OF)

    medical = env("text-classification", "clinical-notes")
    assert medical.capability_words == ("blurb",)
    assert "blurb" not in env("chatbot", "clinical-notes").capability_words
    legal = env("text-classification", "contracts")
    assert "glue" in legal.capability_words and "blurb" in legal.foreign_words


def test_a_speech_spec_reads_the_whisper_fleurs_column_of_its_own_language():
    """Whisper's FLEURS table gives one column per language: a Mandarin recognizer is judged by the
    Chinese column alone (medium, 12.1, above large-v2, 14.7, in the paper), an English one never by
    it; an English WER says nothing about Chinese either."""
    catalog, rulebase = load_embedded(), load_rulebase()
    medium = catalog.get("openai/whisper-medium")

    def column(languages: list[str]) -> list[str]:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "x"},
                "task": {"type": "automatic-speech-recognition", "languages": languages},
            }
        )
        env = Env(spec, rulebase.tables, AS_OF)
        return [
            e.benchmark for e in scoped(medium.evidence, env.capability_words, env.foreign_words)
        ]

    assert column(["zh"]) == ["FLEURS (Whisper paper Table 13), zh"]
    assert "FLEURS (Whisper paper Table 13), en" in column(["en"])
    assert not [b for b in column(["en"]) if b.endswith(", zh")]
    assert all(e.peers == 6 for e in medium.evidence if e.benchmark.endswith(", zh"))


def test_the_prefix_tree_matcher_finds_what_a_flat_alternation_finds():
    """The benchmark-name matcher merges its words on common prefixes (speed); it must match
    exactly where the plain alternation of the words does, prefixes of other words included."""
    import random
    import re

    from fmadvisor.catalog.capability import _trie_pattern

    rng = random.Random(7)
    for _ in range(400):
        words = sorted(
            {"".join(rng.choice("ab, ()") for _ in range(rng.randint(1, 5))) for _ in range(8)}
        )
        tree, flat = re.compile(_trie_pattern(words)), re.compile("|".join(map(re.escape, words)))
        for _ in range(20):
            text = "".join(rng.choice("ab, ()x") for _ in range(rng.randint(0, 12)))
            assert bool(tree.search(text)) == bool(flat.search(text)), (words, text)
    assert _trie_pattern(["ab", "ac", "b"]) == "a(?:b|c)|b"
