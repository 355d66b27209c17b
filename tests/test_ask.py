"""`fmadvisor ask` through a real pseudo-terminal (pexpect), and its replay mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from conftest import EXAMPLES

AS_OF = "2026-11-22"
EXE = shutil.which("fmadvisor") or str(Path(sys.executable).parent / "fmadvisor")


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "110", "LINES": "50", "TERM": "xterm"}
    child = pexpect.spawn(
        EXE,
        ["ask", "--as-of", AS_OF, *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 110),
    )
    return child


def reply(child: pexpect.spawn, question: str, text: str) -> None:
    child.expect_exact(question)
    child.expect_exact("> ")
    child.sendline(text)


# The interview for a support assistant over weekly-changing manuals, on one L4.
SCRIPT = [
    ("Project name", "helpdesk"),
    ("What should the model do?", "chatbot"),
    ("Languages it must handle", "en, de"),
    ("narrow (one well-defined task)", ""),
    ("How far is your domain's language", ""),
    ("How many labeled", "300"),
    ("unlabeled in-domain text", "0"),
    ("Must answers use private documents", "yes"),
    ("About how many documents?", "12000"),
    ("How often does that knowledge change?", "weekly"),
    ("Sensitive data involved", "pii"),
    ("Must the model learn a style", "no"),
    ("Must answers cite their sources?", "yes"),
    ("Explanations needed", ""),
    ("bias/fairness audit", ""),
    ("One-off customization budget", "20000"),
    ("Monthly serving budget", "3000"),
    ("Weeks until it must be in use", "6"),
    ("ML engineers on the project", "2"),
    ("The team's ML experience", ""),
    ("Hardware for serving and training", "gpu"),
    ("Which GPU", "L4"),
    ("How many of them?", "1"),
    ("CPU memory in GB", "64"),
    ("Where will it run", "self_hosted"),
    ("Region data must stay in", "eu"),
    ("Will the model be used commercially?", "yes"),
    ("License tags never acceptable", "cc-by-nc-4.0"),
    ("Frameworks the team uses", "pytorch"),
]


def test_full_interview_saves_a_spec_that_scores_the_same(tmp_path, cli):
    target = tmp_path / "helpdesk.yaml"
    child = spawn("--save", str(target))
    child.expect_exact("[1, about ")
    for question, text in SCRIPT:
        reply(child, question, text)
    child.expect_exact("recommended: RAG")
    screen = child.before + child.after
    child.expect(pexpect.EOF)
    screen += child.before
    child.close()
    assert child.exitstatus == 0, screen
    assert "saved" in screen and target.exists()
    code, out, _ = cli("score", str(target), "-f", "json", "--as-of", AS_OF)
    result = json.loads(out)["results"][0]
    assert code == 0 and result["strategy"]["recommended"] == "rag"
    assert (
        result["models"][0]["id"] in screen
    )  # the top model shown at the end is the one score ranks first
    code, _, _ = cli(
        "check", str(target), "--as-of", AS_OF
    )  # loads in check too (it declares no models yet)
    assert code == 2


def test_bad_answer_is_asked_again_and_back_goes_back(tmp_path):
    child = spawn("--save", str(tmp_path / "x.yaml"))
    reply(child, "Project name", "demo")
    reply(child, "What should the model do?", "make coffee")
    child.expect_exact("not understood")
    child.expect_exact("What should the model do?")  # asked again
    child.expect_exact("> ")
    child.sendline("classification")
    reply(child, "Languages it must handle", "<")  # back to the task
    child.expect_exact("What should the model do?")
    child.expect_exact("[classification]")  # the earlier answer is the default now
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("Languages it must handle")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert not (tmp_path / "x.yaml").exists()


def test_ctrl_c_leaves_no_file(tmp_path):
    target = tmp_path / "never.yaml"
    child = spawn("--save", str(target))
    for question, text in SCRIPT[:6]:
        reply(child, question, text)
    child.expect_exact("unlabeled in-domain text")
    child.sendcontrol("c")
    child.expect_exact("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 and not target.exists() and list(tmp_path.iterdir()) == []


def test_skips_what_does_not_apply():
    child = spawn()
    answers = dict(SCRIPT)
    answers["Must answers use private documents"] = "no"
    answers["Hardware for serving and training"] = "cpu"
    asked = []
    for question, _ in SCRIPT:
        if question in (
            "About how many documents?",
            "How often does that knowledge change?",
            "Which GPU",
            "How many of them?",
        ):
            continue
        reply(child, question, answers[question])
        asked.append(question)
    child.expect_exact("Save this spec?")
    transcript = child.before
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert "Which GPU" not in transcript and "How many documents" not in transcript
    assert child.exitstatus == 0


def test_existing_file_is_not_overwritten_without_confirmation(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("keep me")
    child = spawn("--from", str(EXAMPLES / "support-assistant.yaml"), "--save", str(target))
    while True:
        i = child.expect(["> ", "Overwrite\\? \\[y/N\\] "])
        if i == 1:
            break
        child.sendline("")  # accept every default taken from the spec
    child.sendline("n")
    child.expect_exact("not saved")
    child.expect(pexpect.EOF)
    child.close()
    assert target.read_text() == "keep me"


def test_from_spec_defaults_reproduce_its_recommendation(tmp_path, cli):
    target = tmp_path / "again.yaml"
    child = spawn("--from", str(EXAMPLES / "support-assistant.yaml"), "--save", str(target))
    while child.expect(["> ", pexpect.EOF]) == 0:
        child.sendline("")
    child.close()
    assert child.exitstatus == 0
    _, a, _ = cli("score", str(target), "-f", "json", "--as-of", AS_OF)
    _, b, _ = cli("score", str(EXAMPLES / "support-assistant.yaml"), "-f", "json", "--as-of", AS_OF)
    ra, rb = json.loads(a)["results"][0], json.loads(b)["results"][0]
    assert ra["strategy"]["recommended"] == rb["strategy"]["recommended"]
    assert [m["id"] for m in ra["models"]] == [m["id"] for m in rb["models"]]


# ---- replay mode (no terminal) -------------------------------------------------------------------


def test_answers_file_replays_without_prompting(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "name: helpdesk\ntask: chatbot\nproprietary: true\ndocuments: 12000\nupdate_frequency: weekly\n"
        "citations: true\nhardware: cpu\ncpu_ram_gb: 32\n"
    )
    target = tmp_path / "s.yaml"
    code, out, err = cli("ask", "--answers", str(answers), "--save", str(target), "--as-of", AS_OF)
    assert code == 0, err
    assert "recommended: RAG" in out and target.exists()
    code, _, err = cli("ask", "--answers", str(answers), "--save", str(target), "--as-of", AS_OF)
    assert code == 2 and "exists" in err
    assert (
        cli("ask", "--answers", str(answers), "--save", str(target), "--force", "--as-of", AS_OF)[0]
        == 0
    )


def test_translation_targets_are_asked_for_translation_and_checked_against_the_languages(
    cli, tmp_path
):
    answers, target = tmp_path / "a.yaml", tmp_path / "s.yaml"
    spec = str(EXAMPLES / "multilingual-translation.yaml")
    run = (
        "ask",
        "--from",
        spec,
        "--answers",
        str(answers),
        "--save",
        str(target),
        "--as-of",
        AS_OF,
    )
    # the spec's targets (sw, yo) are the default; yo is no longer among the languages
    answers.write_text("languages: en, sw\n")
    code, _, err = cli(*run)
    assert code == 2 and "target_languages" in err and "yo not among the languages" in err
    assert not target.exists()
    answers.write_text("languages: en, sw\ntarget_languages: sw\n")
    code, _, err = cli(*run)
    assert code == 0, err
    task = yaml.safe_load(target.read_text())["task"]
    assert task["languages"] == ["en", "sw"] and task["target_languages"] == ["sw"]
    # another task is not asked, and states none
    answers.write_text("task: summarization\n")
    code, _, err = cli(*run, "--force")
    assert code == 0, err
    assert "target_languages" not in yaml.safe_load(target.read_text())["task"]


@pytest.mark.parametrize(
    "content, words, line",
    [
        ("name: x\nlabeled_examples: lots\n", "labeled_examples: a whole number", 2),
        ("name: x\ncolour: blue\n", "unknown question 'colour'", 2),
        ("- name\n", "mapping", 1),
    ],
)
def test_bad_answers_files_are_located(cli, tmp_path, content, words, line):
    answers = tmp_path / "a.yaml"
    answers.write_text(content)
    code, _, err = cli("ask", "--answers", str(answers))
    assert code == 2 and words in err and f"a.yaml:{line}:" in err


def test_without_a_terminal_points_to_score(cli):
    code, _, err = cli("ask")
    assert code == 2 and "fmadvisor score" in err


# ---- issue 15: what a new user stumbled on ---------------------------------------------------


def test_intro_prefixes_counter_and_ctrl_d(tmp_path):
    target = tmp_path / "never.yaml"
    child = spawn("--save", str(target))
    child.expect_exact("Enter keeps the [default]; '<' goes back")  # not swallowed as markup
    reply(child, "Project name", "demo")
    child.expect_exact("[2, about ")
    reply(child, "What should the model do?", "class")  # a unique prefix of classification
    child.expect_exact("[3, about ")
    child.expect_exact("Languages it must handle")
    child.sendline("")
    while child.expect_exact(["Weeks until it must be in use", "> "]) == 1:
        child.sendline("")  # defaults to the timeline question
    child.expect_exact("[8] > ")  # a default as typed, not 8.0
    child.sendline("")
    lefts = []
    for _ in range(4):  # ml_engineers, experience, hardware (gpu), gpu name (L4, a known GPU)
        child.expect(r"\[(\d+), about (\d+) left\]")
        lefts.append((int(child.match.group(1)), int(child.match.group(2))))
        child.expect_exact("> ")
        child.sendline("")
    child.expect(r"\[(\d+), about (\d+) left\]")  # skipping gpu memory does not jump the count
    lefts.append((int(child.match.group(1)), int(child.match.group(2))))
    assert [n + left for n, left in lefts] == [lefts[0][0] + lefts[0][1]] * 5, lefts
    child.expect_exact("> ")
    child.sendeof()  # Ctrl-D quits like Ctrl-C: no traceback, no file
    child.expect_exact("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert "internal error" not in (child.before or "")
    assert child.exitstatus == 130 and not target.exists()


def test_embedding_prefix_and_list_defaults():
    from fmadvisor.interview import BY_ID, BadAnswer, plain

    assert BY_ID["task"].parse("emb") == "embeddings"
    with pytest.raises(BadAnswer):
        BY_ID["task"].parse("c")  # chatbot, classification, code: not unique
    assert plain(10000.0) == "10000" and plain([]) == "none" and plain(["en", "de"]) == "en, de"


def test_list_questions_names_every_id_and_type(cli):
    from fmadvisor.interview import QUESTIONS

    code, out, err = cli("ask", "--list-questions")
    assert code == 0
    for q in QUESTIONS:
        assert f"{q.id} " in out
    assert "labeled_examples     count (300, 25k, 2B)" in out


def test_bad_answer_error_does_not_repeat_its_field(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("name: x\ntask: make coffee\n")
    code, _, err = cli("ask", "--answers", str(answers))
    assert code == 2 and "a.yaml:2:7: task: a task such as" in err and "task: task:" not in err


def test_ask_and_score_show_the_same_number_of_models(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("name: x\ntask: classification\nhardware: cpu\n")
    code, out, err = cli("ask", "--answers", str(answers), "--as-of", AS_OF)
    assert code == 0 and re.search(r"^10 │", out, re.M) and not re.search(r"^11 │", out, re.M)
    code, out, err = cli("ask", "--answers", str(answers), "--as-of", AS_OF, "--top", "3")
    assert code == 0 and re.search(r"^ ?3 │", out, re.M) and not re.search(r"^ ?4 │", out, re.M)


@pytest.mark.parametrize(
    "question, answer",
    [
        ("labeled_examples", "1e400"),
        ("budget_usd", "1e400"),
        ("timeline_weeks", "1e308"),
        ("cpu_ram_gb", "1e9"),
        ("gpu_memory_gb", "99999"),
        ("ml_engineers", "1e9"),
    ],
)
def test_out_of_range_answers_are_asked_again(question, answer):
    from fmadvisor.interview import BY_ID, BadAnswer

    with pytest.raises(BadAnswer, match="at most"):
        BY_ID[question].parse(answer)


def test_out_of_range_replayed_answer_is_located(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("name: x\nlabeled_examples: 1e400\n")
    code, _, err = cli("ask", "--answers", str(answers))
    assert code == 2 and "a.yaml:2:" in err and "a whole number" in err and "internal" not in err
