"""`studioflow eval translator`: the scoreboard on the command line, and the scorer's plumbing
through an LLM backend whose (fake) provider answers with canned correct captions."""

from __future__ import annotations

import json

import pytest

from cli_runner import run_cli
from llm_fake_servers import FakeProvider
from studioflow.translate.evaluate import load_cases
from studioflow.translate.rules import create as create_rules


@pytest.fixture(autouse=True)
def _home(settings):
    """Every command runs in the test's own StudioFlow home."""


def write_set(path, cases):
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    return str(path)


def test_json_report_on_a_split_and_mode(capsys):
    expected = load_cases(split="dev", mode="refine")
    result = run_cli(capsys, "eval", "translator", "--split", "dev", "--mode", "refine",
                     "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["translator"] == "rules" and report["cases"] == len(expected)
    assert report["prompts_total"] == len(expected)
    assert report["checks_total"] == sum(len(c.expect) for c in expected)
    assert report["latency_ms"]["calls"] == 2 * len(expected)  # translate, then refine
    assert report["refine_untouched_total"] > 0
    assert 0 <= report["field_accuracy"] <= 1 and report["latency_ms"]["p99"] > 0


def test_table(capsys):
    result = run_cli(capsys, "eval", "translator", "--split", "heldout", "--mode", "generate",
                     "--failures", "3")
    assert result.code == 0, result.err
    for row in ("field accuracy", "prompts fully right", "latency p50 / p99",
                "refine: untouched leaves identical"):
        assert row in result.out
    assert "translator rules on packaged set (heldout split, generate mode, " in result.out


def test_own_set_and_min_accuracy(capsys, tmp_path):
    cases = [
        {"id": "a", "split": "dev", "mode": "generate", "prompt": "a glass bottle on marble",
         "expect": [{"path": "fibo.objects[0].description", "contains": ["bottle"]},
                    {"path": "schema_version", "equals": "1.0"}]},
        {"id": "b", "split": "dev", "mode": "generate", "prompt": "a glass bottle on marble",
         "expect": [{"path": "schema_version", "equals": "9.9"}]},  # never true
    ]
    path = write_set(tmp_path / "mine.jsonl", cases)
    result = run_cli(capsys, "eval", "translator", "--set", path, "--json")
    report = result.json()
    assert (report["checks_total"], report["prompts_total"]) == (3, 2)
    assert report["checks_passed"] == 2 and report["prompts_fully_right"] == 1
    assert [f["case_id"] for f in report["failures"]] == ["b"]
    assert run_cli(capsys, "eval", "translator", "--set", path, "--min-accuracy", "0.6").code == 0
    assert run_cli(capsys, "eval", "translator", "--set", path, "--min-accuracy", "0.9").code == 1


def test_bad_set_and_unknown_translator(capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "split": "dev"}\n', encoding="utf-8")
    result = run_cli(capsys, "eval", "translator", "--set", str(bad))
    assert result.code == 1 and "bad.jsonl:1" in result.err and "missing" in result.err
    result = run_cli(capsys, "eval", "translator", "--translator", "nope")
    assert result.code == 1 and "unknown translator 'nope'" in result.err


# ---------------------------------------------------------------- plumbing through an LLM


def _strict_answer(before: dict | None, after: dict) -> dict:
    """``after`` as OpenAI's strict mode would write it: a key that ``before`` has and
    ``after`` dropped is answered as null."""
    out = dict(after)
    for key, value in (before or {}).items():
        if key not in after:
            out[key] = None
        elif isinstance(value, dict) and isinstance(after[key], dict):
            out[key] = _strict_answer(value, after[key])
    return out


def _canned(cases):
    """Correct captions for the fake to answer with: what the rules translator produced."""
    rules = create_rules()
    answers = {}
    for case in cases:
        made = rules.translate(case.prompt)
        answers[f"Request: {case.prompt}\n"] = {"fibo": made["fibo"],
                                                "controls": made.get("controls")}
        if case.mode == "refine":
            refined = rules.refine(made, case.instruction)
            answers[f"Edit instruction: {case.instruction}\n"] = {
                "fibo": _strict_answer(made["fibo"], refined["fibo"]),
                "controls": _strict_answer(made.get("controls"), refined.get("controls") or {})}
    return answers


def test_scoring_an_llm_backend_with_canned_answers_matches_the_source(capsys, tmp_path,
                                                                      monkeypatch):
    """The fake answers each request with the rules translator's caption for that prompt,
    so the openai backend (request, structured answer, wrapping, merging, compiling) must
    score exactly like the rules translator on the same cases."""
    cases = load_cases()
    chosen = [c for c in cases if c.mode == "generate"][:6] + \
        [c for c in cases if c.mode == "refine"][:6]
    path = write_set(tmp_path / "few.jsonl", [
        {"id": c.id, "split": c.split, "mode": c.mode, "prompt": c.prompt, "expect": c.expect,
         **({"instruction": c.instruction, "may_change": c.may_change}
            if c.mode == "refine" else {})} for c in chosen])
    answers = _canned(chosen)

    def responder(body):
        user = body["messages"][1]["content"]
        return next(answer for key, answer in answers.items() if key in user)

    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        fake.responder = responder
        llm = run_cli(capsys, "eval", "translator", "--translator", "openai", "--set", path,
                      "--json").json()
        assert len(fake.requests) == 6 + 2 * 6  # no repair round was needed
    rules = run_cli(capsys, "eval", "translator", "--set", path, "--json").json()
    assert llm["errors"] == 0 and llm["invalid_manifests"] == 0
    for key in ("checks_total", "checks_passed", "prompts_fully_right",
                "refine_untouched_identical", "refine_untouched_total", "per_path_accuracy"):
        assert llm[key] == rules[key], key
    assert llm["failures"] == rules["failures"]
    assert llm["latency_ms"]["calls"] == rules["latency_ms"]["calls"] == 18
