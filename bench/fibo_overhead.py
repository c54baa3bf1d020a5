"""What StudioFlow adds around diffusers, and what keeping FIBO loaded saves, on CPU.

    python bench/fibo_overhead.py [--model DIR] [--runs 30] [--renders 20] [--size 64]

Uses the tiny random FIBO pipeline (tests/fibo_tiny.py) unless --model names a folder.

(a) Overhead: a StudioFlow render (``FiboEngine.render`` of a request built by the
    orchestrator, pipeline already loaded) against calling the same diffusers pipeline
    directly with the same arguments. Runs are interleaved (alternating which goes first)
    and medians compared; the goal is a ratio of at most 1.05.
(b) Reuse: N renders in one process that loads the pipeline once, against N separate
    processes that each import diffusers, load the pipeline and render one image (what
    Bria's reference generate.py does per image). Prints the speed-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
GOAL_RATIO = 1.05


def manifest(size: int, steps: int, guidance: float) -> dict:
    from manifests import manifest_with_controls

    return manifest_with_controls(engine="fibo", width=size, height=size, seed=11, steps=steps,
                                  guidance_scale=guidance)


def overhead(model: str, size: int, steps: int, guidance: float, runs: int) -> None:
    import numpy as np
    import torch

    from studioflow.core.orchestrator import build_request, prepare
    from studioflow.engines import EngineRegistry
    from studioflow.engines.fibo.engine_fibo import FiboEngine
    from studioflow.engines.fibo.prompt import negative_prompt, serialize
    from studioflow.engines.fibo.settings import FiboSettings

    engine = FiboEngine(FiboSettings(model=model))
    engines = EngineRegistry(None, {"fibo": lambda _: engine})
    final = prepare(manifest(size, steps, guidance), engines)
    pipe = engine.pipeline(model)[0].pipe
    fibo = final["fibo"]
    prompt, negative = serialize(fibo), negative_prompt(None, fibo, guidance)

    def studioflow() -> np.ndarray:
        return engine.render(build_request(final)).images[0]

    def direct() -> np.ndarray:
        return pipe(prompt=prompt, negative_prompt=negative, height=size, width=size,
                    num_inference_steps=steps, guidance_scale=guidance,
                    generator=torch.Generator("cpu").manual_seed(final["render"]["seed"]),
                    output_type="np", max_sequence_length=3000).images[0]

    same = np.array_equal(studioflow(), direct())  # also the warm-up
    times: dict[str, list[float]] = {"studioflow": [], "direct": []}
    for i in range(runs):
        order = (("studioflow", studioflow), ("direct", direct))
        for name, fn in order if i % 2 == 0 else reversed(order):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    sf, dd = statistics.median(times["studioflow"]), statistics.median(times["direct"])
    ratio = sf / dd
    print(f"(a) {size}x{size}, {steps} steps, guidance {guidance:g}, {runs} interleaved runs each")
    print(f"    StudioFlow render  median {sf * 1000:8.2f} ms")
    print(f"    diffusers direct   median {dd * 1000:8.2f} ms")
    verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
    print(f"    ratio {ratio:.3f} (goal <= {GOAL_RATIO}: {verdict}); same pixels: {same}")


WORKER = """
import sys, time
model, size, steps, guidance, renders, mode = sys.argv[1:7]
size, steps, guidance, renders = int(size), int(steps), float(guidance), int(renders)
if mode == "warm":
    sys.path.insert(0, {tests!r})
    from manifests import manifest_with_controls
    from studioflow.core.controls import apply_controls
    from studioflow.core.orchestrator import build_request
    from studioflow.engines.fibo.engine_fibo import FiboEngine
    from studioflow.engines.fibo.settings import FiboSettings
    # stock text encoding, as in the cold processes: only the reuse differs
    engine = FiboEngine(FiboSettings(model=model, trim_logits=False))
    for seed in range(renders):
        m = manifest_with_controls(engine="fibo", width=size, height=size, seed=seed,
                                   steps=steps, guidance_scale=guidance)
        engine.render(build_request(apply_controls(m)))
else:  # like Bria's generate.py: import, load, render one image, exit
    import torch
    from diffusers import BriaFiboPipeline
    pipe = BriaFiboPipeline.from_pretrained(model, dtype=torch.float32)
    pipe.set_progress_bar_config(disable=True)
    pipe(prompt='{{"short_description":"a bottle"}}', height=size, width=size,
         num_inference_steps=steps, guidance_scale=guidance,
         generator=torch.Generator("cpu").manual_seed(0), output_type="np")
"""


def reuse(model: str, size: int, steps: int, guidance: float, renders: int) -> None:
    code = WORKER.format(tests=str(ROOT / "tests"))

    def spawn(mode: str, n: int) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, model, str(size), str(steps),
                        str(guidance), str(n), mode], check=True, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started

    warm = spawn("warm", renders)
    cold = [spawn("cold", 1) for _ in range(renders)]
    print(f"(b) {renders} renders, {size}x{size}, {steps} steps")
    print(f"    one warm process (load once)       {warm:7.2f} s  ({warm / renders:.3f} s/image)")
    print(f"    {renders} processes (load per image)   {sum(cold):7.2f} s  "
          f"({statistics.median(cold):.3f} s/image median)")
    print(f"    speed-up x{sum(cold) / warm:.1f}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", help="a BriaFiboPipeline folder (default: a tiny random one)")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--guidance", type=float, default=5.0)
    p.add_argument("--runs", type=int, default=30, help="interleaved runs for (a)")
    p.add_argument("--renders", type=int, default=20, help="renders for (b); 0 skips it")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            from fibo_tiny import save_tiny_pipeline

            model = str(save_tiny_pipeline(Path(tmp) / "fibo-tiny"))
        overhead(model, args.size, args.steps, args.guidance, args.runs)
        if args.renders:
            reuse(model, args.size, args.steps, args.guidance, args.renders)


if __name__ == "__main__":
    main()
