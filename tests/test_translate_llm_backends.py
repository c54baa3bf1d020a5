"""The HTTP LLM backends against local fakes of their providers (tests/llm_fake_servers.py):
request shapes, answers, errors, timeouts, the repair round, refinement merging, images and
the fallback to the rules translator."""

from __future__ import annotations

import base64
import copy
import importlib
import io
import json

import pytest
from PIL import Image

from llm_fake_servers import FakeProvider, Reply
from manifests import manifest_with_controls, minimal_manifest
from studioflow.core.controls import apply_controls
from studioflow.errors import ConfigError, EngineError
from studioflow.schema import validate_manifest
from studioflow.translate.evaluate import untouched_diff
from studioflow.translate.llm import ImageInput, TranslatorAnswerError, TranslatorTimeoutError
from studioflow.translate.llm.llm_schema import answer_schema, gemini_schema, openai_strict

KINDS = ["openai", "anthropic", "gemini", "bria"]
KEY_VARS = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY",
            "gemini": "GEMINI_API_KEY", "bria": "BRIA_API_TOKEN"}
ALL_VARS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
            "GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL", "BRIA_API_TOKEN",
            "BRIA_API_URL"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in ALL_VARS:
        monkeypatch.delenv(var, raising=False)


def make(kind: str, settings, **overrides):
    module = importlib.import_module(f"studioflow.translate.llm.backend_{kind}")
    return module.create(settings.model_copy(update=overrides))


@pytest.fixture(params=KINDS)
def fake(request, monkeypatch):
    with FakeProvider(request.param) as server:
        for var, value in server.env().items():
            monkeypatch.setenv(var, value)
        yield server


def good_answer(kind: str, manifest: dict | None = None) -> dict:
    """A correct answer in the provider's form: Bria returns the FIBO caption alone."""
    m = manifest or manifest_with_controls()
    if kind == "bria":
        return copy.deepcopy(m["fibo"])
    return copy.deepcopy({"fibo": m["fibo"], "controls": m.get("controls")})


def broken_answer(kind: str) -> dict:
    answer = good_answer(kind)
    fibo = answer if kind == "bria" else answer["fibo"]
    fibo["objects"] = []  # minItems 1
    fibo["lighting"]["direction"] = 7  # not text
    return answer


def user_text(kind: str, body: dict) -> str:
    """All text the request carries for the model (prompt, instructions, repair turns)."""
    return json.dumps(body, ensure_ascii=False)


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


# ---------------------------------------------------------------- requests and answers


def test_generate_speaks_the_providers_format(fake, settings):
    kind = fake.kind
    expected = manifest_with_controls()
    fake.reply(good_answer(kind, expected))
    translator = make(kind, settings)
    manifest = translator.translate("perfume bottle on white marble, window light from the left")
    assert validate_manifest(manifest) == []
    assert manifest["fibo"]["objects"] == expected["fibo"]["objects"]
    assert manifest["fibo"]["short_description"] == expected["fibo"]["short_description"]
    assert manifest["render"]["engine"] == "preview"
    if kind == "bria":  # Bria writes the caption only
        assert "controls" not in manifest
    else:
        assert manifest["controls"]["lights"] == expected["controls"]["lights"]
    [req] = fake.requests
    headers = {k.lower(): v for k, v in req.headers.items()}
    body = req.body
    assert "window light from the left" in user_text(kind, body)
    if kind == "openai":
        assert req.path == "/v1/chat/completions"
        assert headers["authorization"] == "Bearer test-key"
        assert body["model"] == "gpt-4o-mini"
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        assert "fibo.lighting.direction" in body["messages"][0]["content"]
        rf = body["response_format"]
        assert rf["type"] == "json_schema" and rf["json_schema"]["strict"] is True
        assert rf["json_schema"]["name"]
        assert rf["json_schema"]["schema"] == openai_strict(answer_schema(True))
    elif kind == "anthropic":
        assert req.path == "/v1/messages"
        assert headers["x-api-key"] == "test-key" and headers["anthropic-version"]
        [tool] = body["tools"]
        assert tool["input_schema"] == answer_schema(True)
        assert body["tool_choice"] == {"type": "tool", "name": tool["name"]}
        assert "fibo.lighting.direction" in body["system"] and body["max_tokens"] > 0
    elif kind == "gemini":
        assert req.path == "/v1beta/models/gemini-2.5-flash:generateContent"
        assert headers["x-goog-api-key"] == "test-key"
        config = body["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert config["responseSchema"] == gemini_schema(answer_schema(True))
        assert "fibo.lighting.direction" in body["systemInstruction"]["parts"][0]["text"]
        assert body["contents"][0]["role"] == "user"
    else:
        assert req.path == "/v2/structured_prompt/generate"
        assert headers["api_token"] == "test-key"
        assert body == {"sync": True,
                        "prompt": "perfume bottle on white marble, window light from the left"}
    info = translator.last_translation_info
    assert info["translator"] == kind and info["label"] == kind and not info["repaired"]


def test_model_setting_is_sent(fake, settings):
    fake.reply(good_answer(fake.kind))
    make(fake.kind, settings, llm_model="my-model").translate("a mug")
    req = fake.requests[0]
    if fake.kind == "bria":  # Bria's endpoint has no model choice: nothing extra is sent
        assert "model" not in req.body and "my-model" not in json.dumps(req.body)
        return
    sent = req.path if fake.kind == "gemini" else req.body["model"]
    assert "my-model" in sent


def test_inspire_sends_the_image_in_the_providers_format(fake, settings):
    kind = fake.kind
    fake.reply(good_answer(kind))
    data = png_bytes()
    b64 = base64.b64encode(data).decode()
    manifest = make(kind, settings).inspire(ImageInput(data, "image/png"), "make it a mug")
    assert validate_manifest(manifest) == []
    body = fake.requests[0].body
    if kind == "openai":
        parts = body["messages"][1]["content"]
        assert {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}} \
            in parts
    elif kind == "anthropic":
        parts = body["messages"][0]["content"]
        assert {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                            "data": b64}} in parts
    elif kind == "gemini":
        parts = body["contents"][0]["parts"]
        assert {"inlineData": {"mimeType": "image/png", "data": b64}} in parts
    else:
        assert body["images"] == [b64] and body["prompt"] == "make it a mug"
    assert "make it a mug" in user_text(kind, body)


def test_bria_polls_when_it_answers_202(settings, monkeypatch):
    with FakeProvider("bria") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        fake.async_answers = True
        fake.reply(good_answer("bria"))
        manifest = make("bria", settings).translate("a mug")
        assert validate_manifest(manifest) == []
        assert [r.method for r in fake.requests] == ["POST", "GET"]
        assert fake.requests[1].path.startswith("/v2/status/")


def test_local_openai_compatible_server_needs_no_key(settings, monkeypatch):
    with FakeProvider("openai", key=None) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        fake.reply(good_answer("openai"))
        assert validate_manifest(make("openai", settings).translate("a mug")) == []
        assert "authorization" not in {k.lower() for k in fake.requests[0].headers}


# ---------------------------------------------------------------- errors


def test_missing_key_names_the_variable(fake, settings, monkeypatch):
    monkeypatch.delenv(KEY_VARS[fake.kind])
    if fake.kind == "openai":  # a key is required by api.openai.com, not by local servers
        monkeypatch.delenv("OPENAI_BASE_URL")
    with pytest.raises(ConfigError) as info:
        make(fake.kind, settings).translate("a mug")
    assert KEY_VARS[fake.kind] in info.value.message
    assert KEY_VARS[fake.kind] in info.value.details[0].path
    assert fake.requests == []  # nothing was sent


def test_refused_key_is_a_config_error_with_the_providers_message(fake, settings, monkeypatch):
    monkeypatch.setenv(KEY_VARS[fake.kind], "wrong-key")
    with pytest.raises(ConfigError) as info:
        make(fake.kind, settings).translate("a mug")
    assert "HTTP 401" in info.value.message and "invalid API key" in info.value.message
    assert KEY_VARS[fake.kind] in info.value.details[0].path


def test_rate_limit_is_retried_once_then_reported(fake, settings):
    fake.reply(Reply(status=429, message="slow down", headers={"Retry-After": "0"}),
               good_answer(fake.kind))
    assert validate_manifest(make(fake.kind, settings).translate("a mug")) == []
    assert len(fake.requests) == 2
    fake.reply(Reply(status=429, message="slow down", headers={"Retry-After": "0"}),
               Reply(status=429, message="slow down", headers={"Retry-After": "0"}))
    with pytest.raises(EngineError) as info:
        make(fake.kind, settings).translate("a mug")
    assert "429" in info.value.message and "slow down" in info.value.message


def test_server_error_carries_the_providers_message(fake, settings):
    now = {"Retry-After": "0"}
    fake.reply(Reply(status=500, message="model is overloaded", headers=now),
               Reply(status=500, message="model is overloaded", headers=now))
    with pytest.raises(EngineError) as info:
        make(fake.kind, settings, llm_max_attempts=2).translate("a mug")
    assert "HTTP 500" in info.value.message and "model is overloaded" in info.value.message
    assert not isinstance(info.value, TranslatorTimeoutError)


def test_bad_request_is_not_retried(fake, settings):
    fake.reply(Reply(status=400, message="schema too deep"))
    with pytest.raises(EngineError) as info:
        make(fake.kind, settings).translate("a mug")
    assert "schema too deep" in info.value.message and len(fake.requests) == 1


def test_timeout(fake, settings):
    fake.reply(Reply(answer=good_answer(fake.kind), delay=1.5))
    with pytest.raises(TranslatorTimeoutError) as info:
        make(fake.kind, settings, llm_timeout_s=0.3).translate("a mug")
    assert "0.3 s" in info.value.message
    assert info.value.http_status == 504


def test_unreachable_provider(settings, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    with pytest.raises(EngineError) as info:
        make("openai", settings).translate("a mug")
    assert "cannot reach OpenAI" in info.value.message
    assert info.value.details[0].path == "OPENAI_BASE_URL"


# ---------------------------------------------------------------- the repair round


def _repair_turn(kind: str, body: dict) -> str:
    """The text of the repair turn in a provider's request."""
    if kind == "openai":
        assert [m["role"] for m in body["messages"]][-2:] == ["assistant", "user"]
        return body["messages"][-1]["content"]
    if kind == "anthropic":
        assert body["messages"][-2]["content"][0]["type"] == "tool_use"
        result = body["messages"][-1]["content"][0]
        assert result["type"] == "tool_result" and result["is_error"] is True
        assert result["tool_use_id"] == body["messages"][-2]["content"][0]["id"]
        return result["content"]
    if kind == "gemini":
        assert [c["role"] for c in body["contents"]] == ["user", "model", "user"]
        return body["contents"][-1]["parts"][0]["text"]
    assert "structured_prompt" in body  # Bria: a refinement of the broken caption
    return body["prompt"]


def test_non_json_answer_gets_one_repair_round(fake, settings):
    fake.reply("Sure! Here is your caption: {oops", good_answer(fake.kind))
    translator = make(fake.kind, settings)
    manifest = translator.translate("a mug")
    assert validate_manifest(manifest) == []
    assert len(fake.requests) == 2
    assert "not JSON" in _repair_turn(fake.kind, fake.requests[1].body)
    assert translator.last_translation_info["repaired"] is True


def test_schema_invalid_answer_is_repaired_with_the_validators_paths(fake, settings):
    fake.reply(broken_answer(fake.kind), good_answer(fake.kind))
    manifest = make(fake.kind, settings).translate("a mug")
    assert validate_manifest(manifest) == []
    repair = _repair_turn(fake.kind, fake.requests[1].body)
    assert "$.fibo.objects" in repair and "$.fibo.lighting.direction" in repair
    if fake.kind == "bria":  # the broken caption goes back as the structured prompt
        assert json.loads(fake.requests[1].body["structured_prompt"])["objects"] == []


def test_failed_repair_lists_the_paths(fake, settings):
    fake.reply(broken_answer(fake.kind), broken_answer(fake.kind))
    with pytest.raises(TranslatorAnswerError) as info:
        make(fake.kind, settings).translate("a mug")
    paths = {d.path for d in info.value.details}
    assert {"$.fibo.objects", "$.fibo.lighting.direction"} <= paths
    assert "after one repair round" in info.value.message
    assert len(fake.requests) == 2


def test_invalid_controls_are_dropped_not_fatal(settings, monkeypatch):
    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        answer = good_answer("openai")
        answer["controls"]["lights"][0]["azimuth"] = 400  # out of range, twice
        fake.reply(answer, answer)
        translator = make("openai", settings)
        manifest = translator.translate("a mug")
        assert validate_manifest(manifest) == [] and "controls" not in manifest
        assert manifest["fibo"]["objects"] == answer["fibo"]["objects"]
        assert translator.last_translation_info["controls_dropped"] is True


def test_strict_mode_nulls_are_dropped(settings, monkeypatch):
    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        answer = {"fibo": minimal_manifest()["fibo"], "controls": None}
        answer["fibo"]["photographic_characteristics"] = None
        answer["fibo"]["objects"][0]["texture"] = None
        fake.reply(answer)
        manifest = make("openai", settings).translate("a mug")
        assert validate_manifest(manifest) == []
        assert "photographic_characteristics" not in manifest["fibo"]
        assert "texture" not in manifest["fibo"]["objects"][0]


# ---------------------------------------------------------------- refine


def test_refine_sends_the_caption_and_merges_only_real_changes(fake, settings):
    kind = fake.kind
    current = apply_controls(manifest_with_controls())  # a translator's (compiled) output
    answer = good_answer(kind, current)
    fibo = answer if kind == "bria" else answer["fibo"]
    # what a model copying imperfectly does to fields it should leave alone ...
    fibo["context"] = fibo["context"] + "  "
    fibo["aesthetics"] = dict(reversed(list(fibo["aesthetics"].items())))
    fibo["objects"][0].pop("relative_size")
    if kind != "bria":
        answer["controls"]["camera"]["focal_length_mm"] = 85.0
        del answer["controls"]["shadows"]  # left out: kept
    # ... and the one change asked for
    fibo["background_setting"] = "black velvet backdrop"
    fake.reply(answer)
    translator = make(kind, settings)
    refined = translator.refine(current, "put it on black velvet")
    assert validate_manifest(refined) == []
    assert refined["fibo"]["background_setting"] == "black velvet backdrop"
    # the model rewrote the backdrop text without moving controls.background, which would
    # compile its old text back: the text wins and that control group is released
    assert "background" not in refined["controls"] and "lights" in refined["controls"]
    info = translator.last_translation_info
    assert info["controls_released"] == ["background"]
    assert info["changed"] == ["fibo.background_setting", "controls.background"]
    same, total, changed = untouched_diff(current, refined,
                                          ["fibo.background_setting", "controls.background"])
    assert changed == [] and same == total > 20
    body = fake.requests[0].body
    if kind == "bria":
        assert json.loads(body["structured_prompt"]) == current["fibo"]
        assert body["prompt"] == "put it on black velvet"
    else:
        text = user_text(kind, body)
        assert "put it on black velvet" in text and "white marble surface" in text


def test_refine_takes_added_objects_and_controls_changes(settings, monkeypatch):
    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        current = apply_controls(manifest_with_controls())
        answer = good_answer("openai", current)
        answer["fibo"]["objects"].append({"description": "a sprig of lavender",
                                          "location": "left", "relationship": "beside it"})
        answer["controls"]["lights"][0]["azimuth"] = 60  # key light to the right
        fake.reply(answer)
        refined = make("openai", settings).refine(current, "add lavender, key light right")
        assert len(refined["fibo"]["objects"]) == 2
        assert refined["controls"]["lights"][0]["azimuth"] == 60
        assert "right" in refined["fibo"]["lighting"]["direction"]  # compiled from controls
        same, total, changed = untouched_diff(
            current, refined, ["fibo.objects", "controls.lights", "fibo.lighting"])
        assert changed == []


def test_translate_on_a_base_keeps_what_the_sentence_does_not_touch(settings, monkeypatch):
    with FakeProvider("gemini") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        base = apply_controls(manifest_with_controls(seed=5))
        answer = good_answer("gemini", base)
        answer["fibo"]["aesthetics"]["mood_atmosphere"] = "playful"
        fake.reply(answer)
        out = make("gemini", settings).translate("playful mood", base=base)
        assert out["render"] == base["render"]
        assert untouched_diff(base, out, ["fibo.aesthetics.mood_atmosphere"])[2] == []


# ---------------------------------------------------------------- fallback


def test_fallback_to_rules_is_explicit_and_reported(fake, settings):
    now = {"Retry-After": "0"}
    fake.reply(Reply(status=500, message="down", headers=now),
               Reply(status=500, message="down", headers=now))
    translator = make(fake.kind, settings, translator_fallback="rules")
    manifest = translator.translate("perfume bottle on white marble")
    assert validate_manifest(manifest) == []
    assert "perfume" in manifest["fibo"]["objects"][0]["description"]
    info = translator.last_translation_info
    assert info["label"] == f"{fake.kind}->rules (fallback)"
    assert "HTTP 500" in info["fallback"] and "down" in info["fallback"]


def test_no_fallback_by_default(settings, monkeypatch):
    with FakeProvider("anthropic") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        now = {"Retry-After": "0"}
        fake.reply(Reply(status=500, headers=now), Reply(status=500, headers=now))
        with pytest.raises(EngineError):
            make("anthropic", settings).translate("a mug")


def test_fallback_also_covers_invalid_answers_and_refine(settings, monkeypatch):
    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        fake.reply(broken_answer("openai"), broken_answer("openai"))
        translator = make("openai", settings, translator_fallback="rules")
        current = apply_controls(manifest_with_controls())
        refined = translator.refine(current, "make the background black")
        assert validate_manifest(refined) == []
        assert "black" in refined["fibo"]["background_setting"]
        assert "after one repair round" in translator.last_translation_info["fallback"]


def test_studio_records_the_fallback_with_the_render(settings, monkeypatch):
    from studioflow.core.wiring import open_studio

    studio = open_studio(settings.model_copy(update={"translator_fallback": "rules"}))
    record = studio.render_prompt("a red mug on white", translator="openai")  # no key set
    assert record.translator == "openai->rules (fallback)"
    report = record.engine_meta["translation"]
    assert "OPENAI_API_KEY" in report["fallback"] and report["translator"] == "openai"
    assert studio.get(record.id).translator == "openai->rules (fallback)"
    plain = studio.render_prompt("a red mug on white")  # the rules translator: no report
    assert plain.translator == "rules" and "translation" not in plain.engine_meta
