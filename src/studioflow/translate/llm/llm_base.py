"""What every LLM translator shares: the three modes, validation, one repair round,
refinement merging, and the optional fallback to another translator.

A backend only says how to ask its model (``complete``): it gets an ``LLMRequest`` and
returns the model's ``Answer``. Everything else happens here:

1. generate (text), refine (current caption + instruction) or inspire (image, maybe text);
2. the answer ``{"fibo", "controls"}`` is wrapped into a full manifest (schema version,
   render defaults; a refinement keeps the current manifest and merges only what the model
   changed, see ``merge.py``), validated, and compiled (controls -> FIBO text);
3. when it does not validate, ONE repair round sends the validator's problems (JSON paths
   and messages) back to the model; controls that are still invalid afterwards are
   dropped (generate) or left as they were (refine); anything else still invalid is a
   ``TranslatorAnswerError`` listing the paths;
4. with ``STUDIOFLOW_TRANSLATOR_FALLBACK=rules`` a failed call (no key, provider error,
   timeout, invalid answer) is answered by that translator instead, and the fallback is
   reported in ``last_translation_info`` (per thread) for the Studio to record: the
   render's translator is "openai->rules (fallback)" and its ``engine_meta.translation``
   holds the reason.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from studioflow.core.controls import apply_controls, compile_controls
from studioflow.core.prompts import clean_text
from studioflow.errors import ConfigError, EngineError, ErrorDetail
from studioflow.schema import (
    SCHEMA_VERSION,
    default_for,
    get_path,
    ordered,
    validate_manifest,
)
from studioflow.translate.llm import prompting
from studioflow.translate.llm.llm_http import TranslatorAnswerError
from studioflow.translate.llm.llm_schema import answer_schema, strip_nulls
from studioflow.translate.llm.merge import changed_paths, merge_changes

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class ImageInput:
    data: bytes
    mime: str = "image/jpeg"  # image/jpeg, image/png or image/webp


@dataclass(frozen=True)
class Answer:
    text: str  # the model's answer as text (JSON, hopefully)
    data: Any = None  # an already decoded answer (a tool call's input), when there is one
    meta: dict[str, Any] = field(default_factory=dict)  # what a repair turn needs (ids)


@dataclass(frozen=True)
class LLMRequest:
    mode: str  # generate | refine | inspire
    prompt: str | None  # the request or the instruction
    current: dict[str, Any] | None = None  # refine: {"fibo", "controls"?} being edited
    image: ImageInput | None = None
    with_controls: bool = True
    previous: Answer | None = None  # set for the repair round: the answer being repaired
    problems: tuple[str, ...] = ()  # ... and what the validator said about it

    @property
    def system(self) -> str:
        return prompting.system_prompt(self.mode, self.with_controls)

    @property
    def user_text(self) -> str:
        return prompting.user_prompt(self.mode, self.prompt, self.current)

    @property
    def repair_text(self) -> str:
        return prompting.repair_prompt(list(self.problems))

    @property
    def schema(self) -> dict[str, Any]:
        return answer_schema(self.with_controls)

    def repair(self, previous: Answer, problems: list[ErrorDetail]) -> LLMRequest:
        return replace(self, previous=previous, problems=tuple(map(str, problems)))


def _owned_paths(group: str, value: Any) -> set[str]:
    """The FIBO text fields (``lighting.direction`` ...) one control group writes."""
    out = set()
    for name, compiled in compile_controls({group: value}).items():
        if isinstance(compiled, dict):
            out.update(f"{name}.{sub}" for sub in compiled)
        else:
            out.add(name)
    return out


def _release_overridden_controls(base: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    """Drop (in place) each control group the model left alone while rewriting text it owns.

    Compiling would put the group's old text back over the model's edit (and the
    orchestrator compiles again before every render), so the text the model wrote wins and
    the group goes; moved controls are kept and their text is compiled from them."""
    controls = manifest.get("controls")
    base_controls = base.get("controls") or {}
    if not controls or not base_controls:
        return []
    # text the model wrote that compiling the (possibly moved) controls would overwrite
    compiled = apply_controls(manifest)["fibo"]
    overridden = {p for p in changed_paths(base["fibo"], manifest["fibo"])
                  if get_path(compiled, p) != get_path(manifest["fibo"], p)}
    released = [g for g, value in controls.items()
                if base_controls.get(g) == value and _owned_paths(g, value) & overridden]
    if released:
        manifest["controls"] = {g: v for g, v in controls.items() if g not in released}
        if not manifest["controls"]:
            manifest.pop("controls")
    return released


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


class LLMTranslator:
    """Base of the LLM translators; subclasses set ``name`` and implement ``complete``."""

    name = "llm"
    default_model = ""
    controls_supported = True  # False for backends whose answer is FIBO only (Bria)

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.model = getattr(settings, "llm_model", None) or self.default_model
        self.timeout_s = float(getattr(settings, "llm_timeout_s", 60.0))
        self.max_attempts = int(getattr(settings, "llm_max_attempts", 2))
        self.max_chars = int(getattr(settings, "max_prompt_chars", 4000))
        self.with_controls = bool(getattr(settings, "llm_controls", True)) and \
            self.controls_supported
        self.fallback = (getattr(settings, "translator_fallback", None) or "").strip() or None
        self._local = threading.local()

    # the backend's part -------------------------------------------------------------------
    def complete(self, request: LLMRequest) -> Answer:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_config(self) -> None:
        """Raise ``ConfigError`` when the backend cannot be called (key, weights)."""

    # the translator protocol ----------------------------------------------------------
    def translate(self, prompt: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
        text = clean_text(prompt, self.max_chars, "prompt")
        if base is not None:  # fields the sentence does not mention keep the base's values
            return self._run("refine", text, base=base, op="translate")
        return self._run("generate", text, op="translate")

    def refine(self, manifest: dict[str, Any], instruction: str) -> dict[str, Any]:
        text = clean_text(instruction, self.max_chars, "instruction")
        return self._run("refine", text, base=manifest)

    def inspire(self, image: ImageInput, prompt: str | None = None) -> dict[str, Any]:
        text = clean_text(prompt, self.max_chars, "prompt") if prompt else None
        return self._run("inspire", text, image=image)

    @property
    def last_translation_info(self) -> dict[str, Any] | None:
        """What the last call in this thread did: translator, model, mode, whether it was
        repaired or fell back (and why), controls dropped, paths a refinement changed."""
        return getattr(self._local, "info", None)

    # the shared flow ------------------------------------------------------------------
    def _run(self, mode: str, prompt: str | None, base: dict[str, Any] | None = None,
             image: ImageInput | None = None, op: str | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        info: dict[str, Any] = {"translator": self.name, "model": self.model, "mode": mode,
                                "label": self.name, "repaired": False, "fallback": None}
        self._local.info = info
        try:
            manifest = self._ask(mode, prompt, base, image, info)
        except (ConfigError, EngineError) as exc:
            if self.fallback is None or self.fallback == self.name:
                info["error"] = _reason(exc)
                raise
            manifest = self._fall_back(op or mode, prompt, base, image, exc, info)
        info["latency_ms"] = round((time.perf_counter() - started) * 1000.0, 3)
        return manifest

    def _ask(self, mode: str, prompt: str | None, base: dict[str, Any] | None,
             image: ImageInput | None, info: dict[str, Any]) -> dict[str, Any]:
        self.check_config()
        current = None
        if base is not None:
            current = {"fibo": base["fibo"]}
            if self.with_controls and base.get("controls"):
                current["controls"] = base["controls"]
        request = LLMRequest(mode, prompt, current, image, self.with_controls)
        answer = self.complete(request)
        manifest, problems = self._check(answer, base, info)
        if problems:
            info["repaired"] = True
            info["problems"] = [str(p) for p in problems[:20]]
            answer = self.complete(request.repair(answer, problems))
            manifest, problems = self._check(answer, base, info)
        if problems and manifest is not None and all(
                p.path.startswith("$.controls") for p in problems):
            manifest, problems = self._without_bad_controls(manifest, base, info)
        if problems or manifest is None:
            n = len(problems)
            raise TranslatorAnswerError(
                f"the {self.name} answer is not a valid manifest after one repair round "
                f"({n} problem{'s' if n != 1 else ''})", problems)
        if base is not None:
            info["changed"] = changed_paths(base, manifest)
        return manifest

    def _without_bad_controls(self, manifest: dict[str, Any], base: dict[str, Any] | None,
                              info: dict[str, Any]) -> tuple[dict | None, list[ErrorDetail]]:
        """Controls are a bonus: invalid ones are dropped (or kept as they were)."""
        info["controls_dropped"] = True
        manifest = dict(manifest)
        if base is not None and base.get("controls"):
            manifest["controls"] = base["controls"]
        else:
            manifest.pop("controls", None)
        return self._finish(manifest)

    # reading an answer ------------------------------------------------------------------
    def _decode(self, answer: Answer) -> tuple[Any, list[ErrorDetail]]:
        if answer.data is not None:
            return answer.data, []
        text = answer.text or ""
        fenced = _FENCE.match(text)
        try:
            return json.loads(fenced.group(1) if fenced else text), []
        except ValueError as exc:
            return None, [ErrorDetail("$", f"the answer is not JSON ({exc}); answer with one "
                                           "JSON object only")]

    def _check(self, answer: Answer, base: dict[str, Any] | None,
               info: dict[str, Any]) -> tuple[dict | None, list[ErrorDetail]]:
        """The answer as a finished manifest, or the problems a repair round must fix."""
        data, problems = self._decode(answer)
        if problems:
            return None, problems
        if not isinstance(data, dict):
            return None, [ErrorDetail("$", 'expected a JSON object {"fibo": {...}}')]
        if "fibo" in data:
            fibo, controls = data.get("fibo"), data.get("controls")
        else:  # a bare caption (Bria, local VLMs)
            fibo, controls = data, None
        if not isinstance(fibo, dict):
            return None, [ErrorDetail("$.fibo", "expected an object")]
        if not (isinstance(controls, dict) and self.with_controls):
            controls = None
        return self._finish(self._wrap(fibo, controls, base, info))

    def _wrap(self, fibo: dict[str, Any], controls: dict[str, Any] | None,
              base: dict[str, Any] | None, info: dict[str, Any]) -> dict[str, Any]:
        """The answer as a manifest; nulls (strict mode's "not set") are dropped, except
        that in a refinement an explicit null removes the current value (see merge.py)."""
        if base is None:
            manifest: dict[str, Any] = {"schema_version": SCHEMA_VERSION,
                                        "fibo": strip_nulls(fibo),
                                        "render": {"engine": default_for("render.engine")}}
            if controls and strip_nulls(controls):
                manifest["controls"] = strip_nulls(controls)
            return manifest
        manifest = dict(base)
        manifest["fibo"] = strip_nulls(merge_changes(base["fibo"], fibo))
        if controls:
            manifest["controls"] = strip_nulls(merge_changes(base.get("controls") or {},
                                                             controls))
            if not manifest["controls"]:
                manifest.pop("controls")
        released = _release_overridden_controls(base, manifest)
        if released:
            info["controls_released"] = released
        return manifest

    def _finish(self, manifest: dict[str, Any]) -> tuple[dict | None, list[ErrorDetail]]:
        problems = validate_manifest(manifest)
        if problems:
            return manifest, problems
        compiled = ordered(apply_controls(manifest))
        return compiled, validate_manifest(compiled)

    # fallback -----------------------------------------------------------------------------
    def _fall_back(self, op: str, prompt: str | None, base: dict[str, Any] | None,
                   image: ImageInput | None, exc: Exception,
                   info: dict[str, Any]) -> dict[str, Any]:
        """``op``: translate (with or without a base), refine or inspire."""
        from studioflow.translate.registry import TranslatorRegistry

        reason = _reason(exc)
        # the label fits the render record's translator column (40 characters); the
        # reason is kept in the report stored with the render
        info.update(fallback=reason, error=reason,
                    label=f"{self.name}->{self.fallback} (fallback)"[:40])
        other = TranslatorRegistry(self.settings).require(self.fallback)
        if op == "inspire":
            from studioflow.translate.inspire import embedded_inspire

            assert image is not None
            return embedded_inspire(image.data, prompt, other, self.settings)
        assert prompt is not None
        if op == "refine" and base is not None:
            return other.refine(base, prompt)
        return other.translate(prompt, base)
