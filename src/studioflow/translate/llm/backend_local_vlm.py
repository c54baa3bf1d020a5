"""``local-vlm``: a FIBO-VLM style vision-language model run locally with transformers.

Bria's FIBO-VLM (a fine-tuned Qwen 2.5 VL) turns text and images into FIBO captions. Point
``STUDIOFLOW_VLM_MODEL_PATH`` at a folder holding such a model (``config.json``, weights,
processor files); nothing is ever downloaded (``local_files_only``). Needs the ``vlm``
extra (transformers, torch). The model gets the same system prompt, request, image and
repair round as the hosted backends, through its processor's chat template, and its text
answer goes through the same validation.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from studioflow.errors import ConfigError, ErrorDetail, missing_extra
from studioflow.translate.llm.llm_base import Answer, LLMRequest, LLMTranslator

SETTING = "STUDIOFLOW_VLM_MODEL_PATH"


class LocalVLMTranslator(LLMTranslator):
    name = "local-vlm"
    default_model = "local"
    max_new_tokens = 4096

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        path = getattr(settings, "vlm_model_path", None)
        self.path = Path(path).expanduser() if path else None
        self.model = str(self.path) if self.path else "(not configured)"
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()  # one generation at a time on one model

    def check_config(self) -> None:
        if self.path is None:
            raise ConfigError(
                "the local-vlm translator needs model weights on disk; nothing is downloaded",
                [ErrorDetail(SETTING, "set it to a folder with a FIBO-VLM style model "
                                      "(config.json, weights, processor files)")])
        if not (self.path / "config.json").is_file():
            raise ConfigError(f"no model at {self.path}: config.json is missing",
                              [ErrorDetail(SETTING, f"{self.path} has no config.json")])

    def _load(self) -> tuple[Any, Any]:
        if self._loaded is None:
            try:
                import torch  # noqa: F401
                from transformers import AutoModelForImageTextToText, AutoProcessor
            except ImportError:
                raise missing_extra("vlm", "transformers and torch") from None
            processor = AutoProcessor.from_pretrained(self.path, local_files_only=True)
            model = AutoModelForImageTextToText.from_pretrained(self.path,
                                                                local_files_only=True)
            model.eval()
            self._loaded = (processor, model)
        return self._loaded

    def messages(self, request: LLMRequest) -> tuple[list[dict[str, Any]], list[Any]]:
        """Chat messages in the transformers format, and the PIL images they refer to."""
        images: list[Any] = []
        user: list[dict[str, Any]] = []
        if request.image is not None:
            from io import BytesIO

            from PIL import Image

            images.append(Image.open(BytesIO(request.image.data)).convert("RGB"))
            user.append({"type": "image"})
        user.append({"type": "text", "text": request.user_text})
        messages = [{"role": "system", "content": [{"type": "text", "text": request.system}]},
                    {"role": "user", "content": user}]
        if request.previous is not None:
            messages += [
                {"role": "assistant", "content": [{"type": "text",
                                                   "text": request.previous.text}]},
                {"role": "user", "content": [{"type": "text", "text": request.repair_text}]}]
        return messages, images

    def complete(self, request: LLMRequest) -> Answer:
        import torch

        with self._lock:
            processor, model = self._load()
            messages, images = self.messages(request)
            prompt = processor.apply_chat_template(messages, add_generation_prompt=True,
                                                   tokenize=False)
            inputs = processor(text=[prompt], images=images or None, return_tensors="pt")
            with torch.inference_mode():
                out = model.generate(**inputs, max_new_tokens=self.max_new_tokens,
                                     do_sample=False)
            new_tokens = out[0][inputs["input_ids"].shape[1]:]
            text = processor.decode(new_tokens, skip_special_tokens=True)
        return Answer(text=text.strip())


def create(settings: Any = None) -> LocalVLMTranslator:
    """Entry-point factory (``studioflow.translators``: ``local-vlm``)."""
    from studioflow.core.config import Settings

    return LocalVLMTranslator(settings if settings is not None else Settings())
