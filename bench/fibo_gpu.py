"""FIBO's speed on one GPU, with real-size random weights (nothing is downloaded).

    python bench/fibo_gpu.py                 # H100-class GPU, 1024x1024, real FIBO sizes
    python bench/fibo_gpu.py --tiny          # the tiny random pipeline on CPU (a smoke run)
    python bench/fibo_gpu.py --compare-steps 20 --no-compile

Builds BriaFiboPipeline with FIBO's architecture (8 + 38 transformer blocks of 24x128 heads,
SmolLM3-3B text encoder, Wan 2.2 VAE) from random weights (normal, std 0.02) straight on the
device in bfloat16; the tokenizer is the tiny BPE one, so the printed prompt token count
stands in for a real caption's. Then prints:

1. stock diffusers: text encoding, time per step, VAE decode, peak GPU memory and end to end
   at 50 steps / guidance 5 (FIBO 1.0) and 8 steps / guidance 1 (distilled variants);
2. StudioFlow's faster paths (studioflow.engines.fibo.speed, the engine's own code) against
   stock on the same seed: trimmed text-encoder logits, split guidance, attention backends,
   regional torch.compile and TeaCache, each as speed-up over stock and PSNR of the image
   against stock's (inf = bit-identical).

Random weights make the images noise, so PSNR measures numerical agreement with stock, and
TeaCache's skip pattern depends on how the random model's input changes between steps.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # fibo_tiny: the tiny pipeline builder

CAPTION = {
    "short_description": "An amber glass serum bottle with a gold dropper cap stands on a "
                         "slab of pale travertine beside a sprig of eucalyptus, lit by soft "
                         "morning window light that throws a long gentle shadow to the right.",
    "objects": [
        {"description": "amber glass serum bottle, 30 ml, with a gold metal dropper cap and a "
                        "matte cream label printed with thin black serif lettering",
         "location": "center", "relationship": "standing upright on the travertine slab",
         "relative_size": "medium", "shape_and_color": "cylindrical, warm amber and gold",
         "texture": "glossy glass, brushed metal cap", "appearance_details":
         "a single drop of serum clings to the pipette tip, catching the light"},
        {"description": "a sprig of fresh eucalyptus with round silver-green leaves",
         "location": "left foreground", "relationship": "lying diagonally in front of the "
         "bottle", "relative_size": "small", "shape_and_color": "silver green",
         "texture": "matte waxy leaves", "appearance_details": "slightly out of focus"},
    ],
    "background_setting": "pale travertine slab in front of a warm off-white plaster wall with "
                          "a subtle soft gradient",
    "lighting": {"conditions": "soft natural window light, early morning",
                 "direction": "key light from the upper left, gentle fill from the right",
                 "shadows": "long, soft shadows falling to the lower right"},
    "aesthetics": {"composition": "centered with generous negative space above",
                   "color_scheme": "warm neutrals with amber and gold accents",
                   "mood_atmosphere": "calm, natural, premium"},
    "photographic_characteristics": {"depth_of_field": "shallow, background softly blurred",
                                     "focus": "sharp focus on the bottle's label",
                                     "camera_angle": "eye-level, slightly above the slab",
                                     "lens_focal_length": "100mm macro"},
    "style_medium": "photograph",
    "text_render": [{"text": "SERUM", "location": "on the label",
                     "size": "small", "color": "black", "font": "thin serif",
                     "appearance_details": "printed, crisp"}],
    "context": "e-commerce product photograph for a skincare brand",
    "artistic_style": "minimalist, natural, refined",
}


# building -------------------------------------------------------------------------------
def build_real(device: str, dtype: Any) -> Any:
    import torch
    from diffusers import (
        AutoencoderKLWan,
        BriaFiboPipeline,
        BriaFiboTransformer2DModel,
        FlowMatchEulerDiscreteScheduler,
    )
    from transformers import SmolLM3Config, SmolLM3ForCausalLM

    from fibo_tiny import _tokenizer

    with torch.device("meta"):  # no CPU memory or init time for 9 B parameters
        transformer = BriaFiboTransformer2DModel(
            patch_size=1, in_channels=48, num_layers=8, num_single_layers=38,
            attention_head_dim=128, num_attention_heads=24, joint_attention_dim=4096,
            text_encoder_dim=2048, axes_dims_rope=[16, 56, 56])
        vae = AutoencoderKLWan(
            base_dim=160, decoder_base_dim=256, z_dim=48, is_residual=True, in_channels=12,
            out_channels=12, patch_size=2, scale_factor_spatial=16, scale_factor_temporal=4,
            latents_mean=[0.0] * 48, latents_std=[1.0] * 48)
    transformer, vae = (_materialise(m, device, dtype) for m in (transformer, vae))
    with torch.device(device):  # its rotary buffers need a real init: build it on the GPU
        text_encoder = SmolLM3ForCausalLM._from_config(SmolLM3Config(), dtype=dtype)
    _randomise(text_encoder)
    scheduler = FlowMatchEulerDiscreteScheduler(
        use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15, base_image_seq_len=256,
        max_image_seq_len=4096)
    return BriaFiboPipeline(transformer=transformer, scheduler=scheduler, vae=vae,
                            text_encoder=text_encoder.eval(), tokenizer=_tokenizer())


def _materialise(module: Any, device: str, dtype: Any) -> Any:
    module = module.to(dtype).to_empty(device=device)  # cast on meta: no float32 copy
    _randomise(module)
    return module.eval()


def _randomise(module: Any) -> None:
    import torch

    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() >= 2:
                p.normal_(0.0, 0.02)
            elif name.endswith("bias"):
                p.zero_()
            else:  # norm scales
                p.fill_(1.0)


def build(tiny: bool, device: str) -> Any:
    import torch

    if tiny:
        from fibo_tiny import build_tiny_pipeline

        return build_tiny_pipeline().to(device)
    return build_real(device, torch.bfloat16)


# measuring ------------------------------------------------------------------------------
def run(pipe: Any, prompt: str, negative: str | None, size: int, steps: int,
        guidance: float, seed: int, fast: Any = None) -> dict[str, Any]:
    """One render as the engine does it, timed by the engine's own StepClock."""
    import torch

    from studioflow.engines.fibo.device import peak_memory_bytes
    from studioflow.engines.fibo.engine_fibo import StepClock

    device = str(pipe.transformer.device)
    if fast is not None:
        fast.begin(steps)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    clock = StepClock(device)
    hook = pipe.transformer.register_forward_pre_hook(clock.first_forward)

    def on_step(_p, _i, _t, _kw):
        clock.step()
        return {}

    started = time.perf_counter()
    try:
        image = pipe(prompt=prompt, negative_prompt=negative, height=size, width=size,
                     num_inference_steps=steps, guidance_scale=guidance,
                     generator=torch.Generator(device).manual_seed(seed), output_type="np",
                     callback_on_step_end=on_step).images[0]
    finally:
        hook.remove()
    total = time.perf_counter() - started
    summary = clock.summary()
    summary.update(total=total, image=image, peak=peak_memory_bytes(device),
                   median_step=statistics.median(summary["step_seconds"]))
    return summary


def best_of(repeats: int, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The median run (by end-to-end time) of ``repeats`` identical runs."""
    runs = sorted((run(*args, **kwargs) for _ in range(max(1, repeats))),
                  key=lambda r: r["total"])
    return runs[len(runs) // 2]


def psnr(a: Any, b: Any) -> float:
    import numpy as np

    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def gib(n: int | None) -> str:
    return "n/a (CPU)" if n is None else f"{n / 2**30:.1f} GiB"


# variants -------------------------------------------------------------------------------
def variants(args: argparse.Namespace, device: str) -> list[tuple[str, dict[str, Any]]]:
    """(label, options) tried in order; "best" is the fastest attention backend so far."""
    out: list[tuple[str, dict[str, Any]]] = [("trim text-encoder logits", {"trim": True}),
                                             ("split guidance", {"cfg": "split"})]
    backends = args.attention or (["_native_cudnn", "_native_flash", "flash"]
                                  if device.startswith("cuda") else [])
    out += [(f"split + attention {b}", {"cfg": "split", "attention": b}) for b in backends]
    out.append(("teacache", {"cache": "teacache"}))
    exact = {"trim": True, "cfg": "split", "attention": "best"}
    out.append(("trim + split + best attention", exact))
    out.append(("trim + split + best attention + teacache", {**exact, "cache": "teacache"}))
    if args.compile:  # last: compiled blocks stay compiled
        out.append(("trim + split + best attention + compile", {**exact, "compile": True}))
        out.append(("trim + split + best attention + compile + teacache",
                    {**exact, "compile": True, "cache": "teacache"}))
    return out


def configure(pipe: Any, fast: Any, options: dict[str, Any], best_attention: str | None,
              threshold: float, text_forward: Any) -> None:
    from studioflow.engines.fibo import speed

    pipe.text_encoder.forward = text_forward  # untrimmed, then trimmed again if asked
    if options.get("trim"):
        speed.trim_logits(pipe.text_encoder)
    fast.split_cfg = options.get("cfg") == "split"
    fast.cache = options.get("cache", "none")
    fast.threshold = threshold
    attention = options.get("attention")
    if attention == "best":
        attention = best_attention
    with _quiet_diffusers():
        pipe.transformer.set_attention_backend(attention or "native")
    if options.get("compile") and not getattr(pipe.transformer, "_studioflow_compiled", False):
        pipe.transformer.compile_repeated_blocks(fullgraph=True)
        pipe.transformer._studioflow_compiled = True


@contextlib.contextmanager
def _quiet_diffusers():
    from diffusers.utils import logging as dlog

    level = dlog.get_verbosity()
    dlog.set_verbosity_error()
    try:
        yield
    finally:
        dlog.set_verbosity(level)


# main -----------------------------------------------------------------------------------
def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tiny", action="store_true", help="tiny random pipeline (CPU smoke run)")
    p.add_argument("--device", default=None, help="default: cuda, or cpu with --tiny")
    p.add_argument("--size", type=int, default=None, help="square side (1024; --tiny: 64)")
    p.add_argument("--steps", type=int, default=None,
                   help="FIBO 1.0 steps (50; --tiny: 4); the distilled run uses --fast-steps")
    p.add_argument("--fast-steps", type=int, default=None, help="distilled steps (8; tiny: 2)")
    p.add_argument("--compare-steps", type=int, default=None,
                   help="steps for the stock-vs-faster comparison (default: --steps)")
    p.add_argument("--attention", action="append", help="attention backend to try (repeat)")
    p.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                   help="include torch.compile variants (default: on CUDA only)")
    p.add_argument("--tea-threshold", type=float, default=0.4)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeats", type=int, default=None,
                   help="timed runs per configuration, the median kept (1; --tiny: 5)")
    args = p.parse_args(argv)
    args.device = args.device or ("cpu" if args.tiny else "cuda")
    args.size = args.size or (64 if args.tiny else 1024)
    args.steps = args.steps or (4 if args.tiny else 50)
    args.fast_steps = args.fast_steps or (2 if args.tiny else 8)
    args.compare_steps = args.compare_steps or args.steps
    args.repeats = args.repeats or (5 if args.tiny else 1)
    if args.compile is None:
        args.compile = args.device.startswith("cuda")
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    import torch

    from studioflow.engines.fibo import speed
    from studioflow.engines.fibo.prompt import negative_prompt, serialize

    args = parse(argv)
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU here: run with --tiny for the CPU smoke run")
    torch.set_grad_enabled(False)
    started = time.perf_counter()
    pipe = build(args.tiny, args.device)
    pipe.set_progress_bar_config(disable=True)
    params = {k: sum(p.numel() for p in m.parameters()) / 1e9
              for k, m in pipe.components.items() if hasattr(m, "parameters")}
    prompt = serialize(CAPTION)
    negative = negative_prompt(None, CAPTION, 5.0)
    tokens = len(pipe.tokenizer(prompt).input_ids)
    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else "CPU"
    print(f"device {args.device} ({name}), torch {torch.__version__}, "
          f"built in {time.perf_counter() - started:.1f} s")
    print("parameters (B): " + ", ".join(f"{k} {v:.2f}" for k, v in params.items()))
    print(f"prompt {len(prompt)} chars = {tokens} tokens (tiny tokenizer), "
          f"negative {len(negative)} chars; {args.size}x{args.size}")
    results: dict[str, Any] = {"stock": {}, "variants": {}}

    run(pipe, prompt, negative, args.size, 2, 5.0, args.seed)  # warm-up: kernels, allocator
    print("\n1. stock diffusers")
    for steps, guidance in ((args.steps, 5.0), (args.fast_steps, 1.0)):
        neg = negative if guidance > 1 else None
        r = best_of(args.repeats, pipe, prompt, neg, args.size, steps, guidance, args.seed)
        results["stock"][(steps, guidance)] = r
        print(f"  {steps:>3} steps, guidance {guidance:g}: text encoding "
              f"{r['text_encode_seconds']:.3f} s, step {r['median_step']:.3f} s (median), "
              f"VAE decode {r['decode_seconds']:.3f} s, peak {gib(r['peak'])}, "
              f"end to end {r['total']:.2f} s")

    steps = args.compare_steps
    base = results["stock"].get((steps, 5.0)) or best_of(
        args.repeats, pipe, prompt, negative, args.size, steps, 5.0, args.seed)
    print(f"\n2. faster paths vs stock at {steps} steps, guidance 5 "
          f"(stock {base['total']:.2f} s; diffusers already batches cond+uncond in one pass)")
    fast = speed.FastTransformer(pipe.transformer)
    fast.install()
    text_forward = pipe.text_encoder.forward
    best_attention, best_time = None, math.inf
    for label, options in variants(args, args.device):
        try:
            configure(pipe, fast, options, best_attention, args.tea_threshold, text_forward)
            run(pipe, prompt, negative, args.size, 2, 5.0, args.seed, fast)  # warm-up/compile
            r = best_of(args.repeats, pipe, prompt, negative, args.size, steps, 5.0,
                        args.seed, fast)
        except Exception as exc:  # noqa: BLE001 - a backend missing here is a result too
            print(f"  {label:<46} unavailable: {str(exc).splitlines()[0][:80]}")
            continue
        r["ratio"] = r["total"] / base["total"]
        r["psnr"] = psnr(r["image"], base["image"])
        r["skipped"] = fast.stats.skipped
        results["variants"][label] = r
        if options.get("attention") not in (None, "best") and r["total"] < best_time:
            best_attention, best_time = options["attention"], r["total"]
        skipped = f", {fast.stats.skipped}/{steps} steps reused" if fast.cache != "none" else ""
        print(f"  {label:<46} {r['total']:7.2f} s  speed-up x{1 / r['ratio']:.2f}  "
              f"PSNR {r['psnr']:.1f} dB{skipped}")
    return results


if __name__ == "__main__":
    main()
