"""The ``comfyui`` engine: renders a manifest through a team's ComfyUI server.

    manifest -> template placeholders filled -> graph checked against /object_info
             -> POST /prompt (own client id) -> websocket progress -> /history -> /view

The server's models, custom nodes and versions are outside StudioFlow's control, so the
engine does not promise identical pixels for identical requests (``deterministic=False``);
it records the server, the template and its hash and ComfyUI's prompt id instead. A failed
item is always an error: an image of the wrong size or a blank one (what some API nodes put
in place of a failed item) fails the render instead of being stored.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import time
import uuid
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from studioflow.engines.comfyui.client import ComfyUIClient, ImageRef
from studioflow.engines.comfyui.follow import Cancel, Progress, follow
from studioflow.engines.comfyui.workflow import Template, check_graph, coerce_ints, load_template
from studioflow.engines.engine_base import (
    Capabilities,
    EngineStatus,
    ProgressCallback,
    RenderRequest,
    RenderResult,
)
from studioflow.errors import ConfigError, EngineError, StudioFlowError, UnsupportedError

DEFAULT_STEPS = 50  # FIBO 1.0's defaults, used when neither the request nor the template says
DEFAULT_GUIDANCE = 5.0


class ComfyUISettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIOFLOW_COMFYUI_", extra="ignore",
                                      populate_by_name=True)

    url: str | None = Field(None, description="Base URL of the ComfyUI server, "
                                              "e.g. http://gpu-box:8188.")
    workflow: str = Field("fibo2_native", description="Shipped template name "
                          "(fibo2_native, fibo_bria_api) or path of an API-format JSON file.")
    timeout: float = Field(600.0, gt=0, description="Longest wait for one render (s).")
    connect_timeout: float = Field(5.0, gt=0, description="TCP connect timeout (s).")
    read_timeout: float = Field(60.0, gt=0, description="Timeout of one HTTP call (s).")
    status_timeout: float = Field(3.0, gt=0, description="How quickly the server must "
                                                         "answer to count as available (s).")
    input_image: Path | None = Field(None, description="Image uploaded for {{input_image}}.")
    bria_api_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("STUDIOFLOW_COMFYUI_BRIA_API_TOKEN",
                                            "BRIA_API_TOKEN", "bria_api_token"),
        description="Token for Bria's API nodes ({{bria_api_token}}); never recorded.")


class ComfyUIEngine:
    name = "comfyui"

    def __init__(self, settings: ComfyUISettings):
        self.settings = settings
        self.template: Template | None = None
        self.template_error: StudioFlowError | None = None
        try:
            self.template = load_template(settings.workflow)
        except StudioFlowError as exc:
            self.template_error = exc
        batch = self.template is not None and "batch_size" in self.template.placeholders
        self.capabilities = Capabilities(
            label="comfyui", size_multiple=16, max_images=8 if batch else 1,
            negative_prompt=True, steps=(1, 200), guidance=True, deterministic=False,
            float_output=False, needs_gpu=False, remote=True)

    @property
    def client(self) -> ComfyUIClient:
        if not self.settings.url:
            raise ConfigError("the comfyui engine needs a server: set STUDIOFLOW_COMFYUI_URL")
        if not self.settings.url.startswith(("http://", "https://")):
            raise ConfigError("STUDIOFLOW_COMFYUI_URL must start with http:// or https://, "
                              f"got {self.settings.url!r}")
        return ComfyUIClient(self.settings.url, self.settings.connect_timeout,
                             self.settings.read_timeout)

    # -- status ---------------------------------------------------------------------------

    def status(self) -> EngineStatus:
        missing = [m for m in ("httpx", "websocket") if importlib.util.find_spec(m) is None]
        if missing:
            return EngineStatus(False, False, False, "install the extra: pip install "
                                "'studioflow[comfyui]'")
        details: dict[str, Any] = {"url": self.settings.url, "workflow": self.settings.workflow}
        if not self.settings.url:
            return EngineStatus(True, False, False, "set STUDIOFLOW_COMFYUI_URL to the ComfyUI "
                                "server (e.g. http://127.0.0.1:8188)", details)
        if self.template_error is not None:
            return EngineStatus(True, False, False, "; ".join(self.template_error.lines()),
                                details)
        try:
            client = self.client
        except ConfigError as exc:
            return EngineStatus(True, False, False, str(exc), details)
        try:
            stats = self._answer_quickly(client)
        except StudioFlowError as exc:
            return EngineStatus(True, True, False, str(exc), details)
        version = (stats.get("system") or {}).get("comfyui_version")
        return EngineStatus(True, True, True, None, {**details, "comfyui_version": version})

    def _answer_quickly(self, client: ComfyUIClient) -> dict[str, Any]:
        client.connect_timeout = min(client.connect_timeout, self.settings.status_timeout)
        try:
            return client.system_stats(timeout=self.settings.status_timeout)
        except EngineError as exc:
            if "HTTP 404" not in str(exc):
                raise
        client.read_timeout = self.settings.status_timeout  # very old servers: no stats
        client.object_info()
        return {}

    # -- render ---------------------------------------------------------------------------

    def render(self, request: RenderRequest,
               on_progress: ProgressCallback | None = None) -> RenderResult:
        request.cancel.raise_if_cancelled()
        if self.template is None:
            raise self.template_error or ConfigError("no ComfyUI workflow template")
        template, client, started = self.template, self.client, time.monotonic()
        render_id = uuid.uuid4().hex
        values = self._values(request, template, render_id, client)
        graph, filled = template.fill(values)
        object_info = client.object_info()
        _raise_problems(graph, filled, object_info, template)
        coerce_ints(graph, object_info)

        sampling = values["steps"] if "steps" in template.placeholders else 0
        progress = Progress(graph, sampling, on_progress)
        cancel = Cancel(client)
        request.cancel.on_cancel(cancel)
        events = client.events(render_id)
        try:
            request.cancel.raise_if_cancelled()
            prompt_id = client.submit(graph, render_id, str(uuid.uuid4()))
            cancel.submitted(prompt_id)
            entry = follow(client, events, prompt_id, progress, cancel,
                           started + self.settings.timeout, self.settings.timeout)
        finally:
            cancel.finished = True
            events.close()
        refs = output_refs(entry, graph)
        images = [decode(client.view(ref), ref) for ref in refs]
        check_images(images, refs, request, template)
        progress.finish()
        return RenderResult(
            images=images, model=request.model or f"comfyui:{template.name}",
            model_revision=f"{template.name}@{template.digest[:12]}",
            steps=values["steps"] if "steps" in template.placeholders else None,
            guidance_scale=values["guidance"] if "guidance" in template.placeholders else None,
            metadata={"server_url": client.url, "template": template.name,
                      "template_sha256": template.digest, "prompt_id": prompt_id,
                      "client_id": render_id, "seconds": round(time.monotonic() - started, 3),
                      "outputs": [f"{r.subfolder}/{r.filename}".lstrip("/") for r in refs]})

    def _values(self, request: RenderRequest, template: Template, render_id: str,
                client: ComfyUIClient) -> dict[str, Any]:
        from studioflow.engines.fibo import prompt as fibo_prompt

        steps = int(request.steps or template.default("steps", DEFAULT_STEPS))
        guidance = float(request.guidance_scale if request.guidance_scale is not None
                         else template.default("guidance", DEFAULT_GUIDANCE))
        divisor = math.gcd(request.width, request.height)
        values: dict[str, Any] = {
            "fibo_json": fibo_prompt.serialize(request.fibo),
            "negative_prompt": fibo_prompt.negative_prompt(
                request.negative_prompt, request.fibo, guidance) or "",
            "seed": request.seed, "steps": steps, "guidance": guidance,
            "width": request.width, "height": request.height,
            "aspect_ratio": f"{request.width // divisor}:{request.height // divisor}",
            "batch_size": request.num_images, "filename_prefix": f"studioflow/{render_id}",
        }
        used = template.placeholders
        if "input_image" in used:
            values["input_image"] = self._upload_input(client)
        if "bria_api_token" in used:
            token = self.settings.bria_api_token
            if token is None or not token.get_secret_value().strip():
                raise ConfigError(f"workflow {template.name!r} calls Bria's API: set "
                                  "STUDIOFLOW_COMFYUI_BRIA_API_TOKEN (or BRIA_API_TOKEN)")
            values["bria_api_token"] = token.get_secret_value().strip()
        return values

    def _upload_input(self, client: ComfyUIClient) -> str:
        path = self.settings.input_image
        if path is None or not Path(path).is_file():
            raise ConfigError("the workflow loads an input image ({{input_image}}): set "
                              "STUDIOFLOW_COMFYUI_INPUT_IMAGE to an image file"
                              + (f"; {path} does not exist" if path else ""))
        data = Path(path).read_bytes()
        # named by content: re-uploading the same image overwrites it instead of piling up
        name = f"studioflow_{hashlib.sha256(data).hexdigest()[:16]}{Path(path).suffix.lower()}"
        return client.upload_image(name, data)


def _raise_problems(graph: dict[str, Any], filled: set[tuple[str, str]],
                    object_info: dict[str, Any], template: Template) -> None:
    problems = check_graph(graph, object_info, filled)
    if not problems:
        return
    details = [p.detail for p in problems]
    if all(p.from_request for p in problems):
        raise UnsupportedError(f"workflow {template.name!r} cannot take this request", details)
    raise ConfigError(f"workflow {template.name!r} does not match the ComfyUI server's nodes "
                      f"({len(details)} problem{'s' if len(details) > 1 else ''})", details)


def output_refs(entry: dict[str, Any], graph: dict[str, Any]) -> list[ImageRef]:
    """Saved images in graph order; previews (type "temp") only when nothing was saved."""
    outputs = entry.get("outputs") or {}
    refs = [ImageRef(str(img.get("filename")), str(img.get("subfolder") or ""),
                     str(img.get("type") or "output"))
            for node_id in sorted(outputs, key=lambda n: list(graph).index(n)
                                  if n in graph else len(graph))
            for img in (outputs[node_id] or {}).get("images") or []]
    saved = [r for r in refs if r.type == "output"]
    return saved or refs


def decode(data: bytes, ref: ImageRef) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as img:
            return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise EngineError(f"ComfyUI's output {ref.filename!r} is not an image: {exc}") from None


def check_images(images: list[np.ndarray], refs: list[ImageRef], request: RenderRequest,
                 template: Template) -> None:
    """A render is whole or it is an error: right count, right size, nothing blank."""
    if len(images) != request.num_images:
        raise EngineError(f"ComfyUI returned {len(images)} image(s) for a request of "
                          f"{request.num_images} (workflow {template.name!r}); a missing item "
                          "is a failed item")
    sized = {"width", "height"} <= template.placeholders
    for index, (image, ref) in enumerate(zip(images, refs, strict=True)):
        h, w = image.shape[:2]
        what = f"image {index + 1} ({ref.filename})"
        if sized and (w, h) != (request.width, request.height):
            raise EngineError(f"{what} is {w}x{h}, not the requested "
                              f"{request.width}x{request.height}: treated as a failed item")
        if not sized and abs(w / h - request.width / request.height) > 0.02:
            raise EngineError(f"{what} is {w}x{h}, not the requested aspect "
                              f"{request.width}:{request.height}: treated as a failed item")
        if bool((image == image[0, 0]).all()):
            raise EngineError(f"{what} is a single flat colour, the placeholder some nodes "
                              "return for a failed item; it is not stored as a render")


def create(settings: Any = None) -> ComfyUIEngine:
    """Entry-point factory; reads ``STUDIOFLOW_COMFYUI_*`` (cheap: no network)."""
    return ComfyUIEngine(ComfyUISettings())
