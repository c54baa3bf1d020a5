"""Faster denoising for FIBO's transformer, each behind an option and off by default.

* ``cfg="split"``: diffusers runs the negative and the positive prompt as one batch, padding
  the short negative prompt to the long JSON prompt's length and masking the padding. Split
  guidance runs each prompt group without its padding and without a mask: the same result
  (padded keys are masked out anyway) with fewer tokens, and attention kernels that need no
  mask (flash, cuDNN) become usable.
* ``cache="teacache"``: TeaCache (Liu et al. 2024) as in Bria's reference code: the first
  block's modulated input is compared with the previous step's; while the accumulated,
  polynomially rescaled relative L1 change stays under a threshold, the transformer's blocks
  are skipped and the last step's residual (block output minus block input) is reused.
  The first and last steps are always computed.
* ``compile``: ``torch.compile`` of the repeated blocks (regional compilation).
* ``attention``: a diffusers attention backend such as ``_native_cudnn``.
* ``trim_logits`` (on by default, exact): the pipeline only reads the text encoder's hidden
  states, but SmolLM3 also computes vocabulary logits for every prompt token (a
  tokens x 128k matrix); asking it for the last token's logits only leaves the prompt
  embeddings unchanged.

With every option off, nothing is installed and the pipeline is stock diffusers.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from studioflow.errors import ConfigError, ErrorDetail

# Flux's TeaCache rescaling polynomial (highest power first), which Bria's reference
# TeaCache for FIBO uses too.
TEACACHE_COEFFICIENTS = (4.98651651e02, -2.83781631e02, 5.58554382e01, -3.82021401e00,
                         2.64230861e-01)


def _rescale(x: float) -> float:
    y = 0.0
    for c in TEACACHE_COEFFICIENTS:
        y = y * x + c
    return y


@dataclass
class StepStats:
    computed: int = 0
    skipped: int = 0
    split_calls: int = 0


@dataclass
class _TeaState:
    steps: int = 0
    count: int = 0
    accumulated: float = 0.0
    previous_input: Any = None
    residual: Any = None


@dataclass
class FastTransformer:
    """Wraps ``transformer.forward`` for split guidance and/or TeaCache."""

    transformer: Any
    cache: str = "none"
    threshold: float = 0.4
    split_cfg: bool = False
    stats: StepStats = field(default_factory=StepStats)
    _tea: _TeaState = field(default_factory=_TeaState)
    _captured: dict[str, Any] = field(default_factory=dict)

    def install(self) -> None:
        t = self.transformer
        self._original = t.forward
        # hooks see the blocks' input (x_embedder's output) and output (norm_out's input)
        t.x_embedder.register_forward_hook(self._capture_input)
        t.norm_out.register_forward_pre_hook(self._capture_output)
        t.forward = self.forward

    def begin(self, steps: int) -> None:
        """Reset per-render state; ``steps`` transformer calls follow (one per step)."""
        self._tea = _TeaState(steps=steps)
        self.stats = StepStats()

    # hooks ---------------------------------------------------------------------------
    def _capture_input(self, _module: Any, _args: Any, output: Any) -> None:
        if self._captured.get("on"):
            self._captured["input"] = output

    def _capture_output(self, _module: Any, args: tuple) -> None:
        if self._captured.get("on"):
            self._captured["output"] = args[0]

    # forward -------------------------------------------------------------------------
    def forward(self, **kw: Any) -> Any:
        if self.cache != "teacache":
            return self._blocks(kw)[0]
        t = self.transformer
        x = t.x_embedder(kw["hidden_states"])
        temb = t.time_embed(kw["timestep"].to(x.dtype), dtype=x.dtype)
        if self._should_compute(t.transformer_blocks[0].norm1(x, emb=temb)[0]):
            out, residual = self._blocks(kw, capture=True)
            self._tea.residual = residual
            self.stats.computed += 1
            return out
        self.stats.skipped += 1
        sample = t.proj_out(t.norm_out(x + self._tea.residual, temb))
        return self._wrap(sample, kw)

    def _should_compute(self, modulated: Any) -> bool:
        tea = self._tea
        index, tea.count = tea.count, tea.count + 1
        previous, tea.previous_input = tea.previous_input, modulated
        if (index == 0 or index >= tea.steps - 1 or previous is None or tea.residual is None
                or previous.shape != modulated.shape):
            tea.accumulated = 0.0
            return True
        change = float(((modulated - previous).abs().mean()
                        / previous.abs().mean().clamp_min(1e-12)).item())
        tea.accumulated += _rescale(change)
        if tea.accumulated < self.threshold:
            return False
        tea.accumulated = 0.0
        return True

    def _blocks(self, kw: dict[str, Any], capture: bool = False) -> tuple[Any, Any]:
        groups = self._groups(kw) if self.split_cfg else None
        if not groups:
            return self._run(kw, capture)
        import torch

        self.stats.split_calls += 1
        outs, residuals, order = [], [], []
        for rows, keep in groups:
            out, residual = self._run(_subset(kw, rows, keep), capture)
            outs.append(_sample(out))
            residuals.append(residual)
            order.append(rows)
        inverse = torch.argsort(torch.cat(order))
        sample = torch.cat(outs)[inverse]
        residual = torch.cat(residuals)[inverse] if capture else None
        return self._wrap(sample, kw), residual

    def _run(self, kw: dict[str, Any], capture: bool) -> tuple[Any, Any]:
        self._captured["on"] = capture
        try:
            out = self._original(**kw)
        finally:
            self._captured["on"] = False
        if not capture:
            return out, None
        return out, self._captured.pop("output") - self._captured.pop("input")

    @staticmethod
    def _groups(kw: dict[str, Any]) -> list[tuple[Any, Any]] | None:
        """Rows that share a text mask, with the text positions they keep; None when
        nothing is padded (then one batched call is best)."""
        import torch

        mask = (kw.get("joint_attention_kwargs") or {}).get("attention_mask")
        if mask is None:
            return None
        text_len = kw["encoder_hidden_states"].shape[1]
        full = mask.reshape(mask.shape[0], -1)
        if not bool(full[:, text_len:].all()):
            return None  # padded image tokens: not a layout we know how to split
        text = full[:, :text_len]
        groups: dict[bytes, list[int]] = {}
        for row in range(text.shape[0]):
            groups.setdefault(text[row].cpu().numpy().tobytes(), []).append(row)
        device = text.device
        return [(torch.tensor(rows, device=device), text[rows[0]].nonzero().squeeze(1))
                for rows in groups.values()]

    @staticmethod
    def _wrap(sample: Any, kw: dict[str, Any]) -> Any:
        if kw.get("return_dict", True):
            from diffusers.models.modeling_outputs import Transformer2DModelOutput

            return Transformer2DModelOutput(sample=sample)
        return (sample,)


def _sample(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out.sample


def _subset(kw: dict[str, Any], rows: Any, keep: Any) -> dict[str, Any]:
    sub = dict(kw)
    sub["hidden_states"] = kw["hidden_states"][rows]
    sub["timestep"] = kw["timestep"][rows]
    sub["encoder_hidden_states"] = kw["encoder_hidden_states"][rows][:, keep]
    sub["text_encoder_layers"] = [layer[rows][:, keep] for layer in kw["text_encoder_layers"]]
    txt_ids = kw["txt_ids"]
    sub["txt_ids"] = txt_ids[:, keep] if txt_ids.dim() == 3 else txt_ids[keep]
    extra = {k: v for k, v in (kw.get("joint_attention_kwargs") or {}).items()
             if k != "attention_mask"}
    sub["joint_attention_kwargs"] = extra
    return sub


def trim_logits(text_encoder: Any) -> bool:
    """Make the text encoder compute logits for the last token only (when it can)."""
    original = text_encoder.forward
    if "logits_to_keep" not in inspect.signature(original).parameters:
        return False

    def forward(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("logits_to_keep", 1)
        return original(*args, **kwargs)

    text_encoder.forward = forward
    return True


def apply(pipe: Any, *, cache: str = "none", threshold: float = 0.4, cfg: str = "batched",
          compile_blocks: bool = False, attention: str | None = None,
          trim: bool = True) -> FastTransformer | None:
    """Install the chosen options on a loaded pipeline (before any CPU offload hooks)."""
    if trim:
        trim_logits(pipe.text_encoder)
    fast = None
    if cache != "none" or cfg == "split":
        fast = FastTransformer(pipe.transformer, cache=cache, threshold=threshold,
                               split_cfg=cfg == "split")
        fast.install()
    if attention:
        try:
            pipe.transformer.set_attention_backend(attention)
        except (ValueError, RuntimeError, ImportError) as exc:
            raise ConfigError(f"attention backend {attention!r} cannot be used: {exc}",
                              [ErrorDetail("STUDIOFLOW_FIBO_ATTENTION", str(exc))]) from exc
    if compile_blocks:
        pipe.transformer.compile_repeated_blocks(fullgraph=True)
    return fast
