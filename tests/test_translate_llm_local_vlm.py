"""The local-vlm translator: clear errors without weights, and the whole prompt -> generate ->
decode -> parse path on a tiny random LLaVA-style model built here (no download, no real
weights; its random output is garbage, which is exactly what the repair path must handle)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from manifests import manifest_with_controls
from studioflow.errors import ConfigError, MissingExtraError
from studioflow.schema import validate_manifest
from studioflow.translate.llm import ImageInput, LLMRequest, TranslatorAnswerError
from studioflow.translate.llm.backend_local_vlm import create

WORDS = ("you are the art director of a product photography studio json fibo controls "
         "caption request image light left right the a of and on with").split()


def build_tiny_vlm(folder):
    """A 1-layer LLaVA (CLIP vision tower + Llama text model) with random weights, a
    word-level tokenizer and a chat template, saved like a real model folder."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import (
        CLIPImageProcessor,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
        PreTrainedTokenizerFast,
    )

    specials = ["<unk>", "<s>", "</s>", "<image>", "<|im_start|>", "<|im_end|>"]
    vocab = {tok: i for i, tok in enumerate(specials + WORDS + list("{}[]:,\"'."))}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.decoder = decoders.WordPiece()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>",
                                   unk_token="<unk>", pad_token="<unk>",
                                   additional_special_tokens=specials[3:])
    template = ("{% for m in messages %}<|im_start|> {{ m['role'] }} {% for c in m['content'] %}"
                "{% if c['type'] == 'image' %} <image> {% else %} {{ c['text'] }} {% endif %}"
                "{% endfor %} <|im_end|> {% endfor %}"
                "{% if add_generation_prompt %} <|im_start|> assistant {% endif %}")
    processor = LlavaProcessor(
        image_processor=CLIPImageProcessor(size={"shortest_edge": 28},
                                           crop_size={"height": 28, "width": 28}),
        tokenizer=fast, patch_size=14, vision_feature_select_strategy="default",
        chat_template=template, image_token="<image>", num_additional_image_tokens=1)
    config = LlavaConfig(
        vision_config=CLIPVisionConfig(hidden_size=16, intermediate_size=32,
                                       num_hidden_layers=1, num_attention_heads=2,
                                       image_size=28, patch_size=14),
        text_config=LlamaConfig(vocab_size=len(vocab), hidden_size=16, intermediate_size=32,
                                num_hidden_layers=1, num_attention_heads=2,
                                num_key_value_heads=1, max_position_embeddings=16384),
        image_token_id=vocab["<image>"], vision_feature_select_strategy="default",
        vision_feature_layer=-1)
    LlavaForConditionalGeneration(config).save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    import torch

    torch.manual_seed(0)
    return build_tiny_vlm(tmp_path_factory.mktemp("tiny-vlm"))


def translator(settings, path, tokens=12):
    t = create(settings.model_copy(update={"vlm_model_path": path}))
    t.max_new_tokens = tokens
    return t


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buf, format="PNG")
    return buf.getvalue()


def test_no_weights_configured_is_a_clear_config_error(settings):
    with pytest.raises(ConfigError) as info:
        create(settings).translate("a mug")
    assert "nothing is downloaded" in info.value.message
    assert info.value.details[0].path == "STUDIOFLOW_VLM_MODEL_PATH"


def test_a_folder_without_a_model(settings, tmp_path):
    with pytest.raises(ConfigError) as info:
        translator(settings, tmp_path).translate("a mug")
    assert "config.json" in info.value.message


def test_missing_extra(settings, tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MissingExtraError) as info:
        translator(settings, tmp_path).translate("a mug")
    assert "studioflow[vlm]" in info.value.message


def test_random_model_runs_end_to_end_and_its_garbage_is_refused(settings, tiny_model):
    t = translator(settings, tiny_model)
    with pytest.raises(TranslatorAnswerError) as info:
        t.inspire(ImageInput(png_bytes(), "image/png"), "a blue mug")
    assert "not JSON" in info.value.details[0].message
    report = t.last_translation_info
    assert report["repaired"] is True and report["mode"] == "inspire"


def test_model_answer_is_parsed_validated_and_merged(settings, tiny_model, monkeypatch):
    """The real chat template, processor and generate run; the decoded text is replaced by
    a (fenced) caption so the parse and validation path is exercised deterministically."""
    t = translator(settings, tiny_model, tokens=4)
    processor, _model = t._load()
    caption = manifest_with_controls()["fibo"]
    monkeypatch.setattr(type(processor), "decode",
                        lambda self, *a, **k: f"```json\n{json.dumps(caption)}\n```")
    manifest = t.translate("a perfume bottle")
    assert validate_manifest(manifest) == []
    assert manifest["fibo"]["objects"] == caption["objects"] and "controls" not in manifest

    request = LLMRequest("inspire", "a mug", image=ImageInput(png_bytes(), "image/png"))
    messages, images = t.messages(request)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"][0] == {"type": "image"} and len(images) == 1
    assert "fibo.lighting.direction" in messages[0]["content"][0]["text"]
    assert request.user_text in messages[1]["content"][1]["text"]
