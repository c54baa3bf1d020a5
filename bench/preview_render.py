"""How fast the preview engine renders a realistic manifest on one CPU core.

    python bench/preview_render.py [--runs 20] [--size 1024] [--save out.png]

Pins itself to one core and one BLAS/OpenMP thread, renders a product shot with several
objects, text and a shallow depth of field, and prints the median and 95th percentile
time per image against the goal of 0.5 s at 1024x1024.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

GOAL_SECONDS = 0.5


def manifest(size: int) -> dict:
    return {
        "schema_version": "1.0",
        "fibo": {
            "short_description": "An amber glass serum bottle with a gold dropper cap on light "
                                 "oak, with a ceramic jar, two lemons and a gift box behind.",
            "objects": [
                {"description": "amber glass serum bottle with a gold cap and a white label",
                 "location": "center", "relationship": "the hero product",
                 "relative_size": "large", "texture": "glossy glass"},
                {"description": "white ceramic jar with a silver lid",
                 "location": "center-left", "relationship": "beside the bottle",
                 "relative_size": "medium"},
                {"description": "yellow lemon", "location": "bottom-right foreground",
                 "relationship": "in front of the bottle", "relative_size": "small",
                 "number_of_objects": 2},
                {"description": "kraft paper gift box", "location": "background right",
                 "relationship": "behind the products", "relative_size": "medium"},
            ],
            "background_setting": "light oak wood tabletop in front of a warm beige wall",
            "lighting": {"conditions": "soft window light",
                         "direction": "key light from the upper left, gentle fill from the right",
                         "shadows": "soft shadows falling to the lower right"},
            "aesthetics": {"composition": "centered product shot",
                           "color_scheme": "warm neutrals and amber",
                           "mood_atmosphere": "fresh and natural"},
            "photographic_characteristics": {
                "depth_of_field": "shallow, bokeh background", "focus": "sharp on the bottle",
                "camera_angle": "slightly elevated", "lens_focal_length": "100mm macro"},
            "style_medium": "photograph",
            "text_render": [
                {"text": "GLOW SERUM", "location": "top", "size": "large", "color": "white",
                 "font": "bold sans-serif"},
                {"text": "vitamin C - 30 ml", "location": "bottom center", "size": "small",
                 "color": "dark brown", "font": "minimalist sans-serif"},
            ],
            "context": "a hero image for a product page",
        },
        "controls": {
            "camera": {"elevation": 15, "focal_length_mm": 100, "aperture": 2.0,
                       "distance_m": 0.8},
            "lights": [
                {"role": "key", "azimuth": -50, "elevation": 40, "intensity": 1.0,
                 "softness": 0.75, "color_temperature": 5200},
                {"role": "fill", "azimuth": 60, "elevation": 15, "intensity": 0.3},
                {"role": "rim", "azimuth": 150, "elevation": 30, "intensity": 0.6},
            ],
            "background": {"color": "#E8D8BF", "surface": "light oak wood", "style": "flat"},
            "shadows": {"style": "cast", "intensity": 0.55, "reflection": True},
        },
        "render": {"engine": "preview", "width": size, "height": size, "seed": 7},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--save", help="write the last image to this PNG path")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from studioflow.engines.engine_base import RenderRequest
    from studioflow.engines.preview.engine_preview import create
    from studioflow.schema import validate_manifest

    m = manifest(args.size)
    errors = validate_manifest(m)
    if errors:
        print("benchmark manifest is invalid:", *errors, sep="\n  ")
        return 1
    engine = create(None)

    def once(seed: int):
        request = RenderRequest(m, args.size, args.size, seed)
        t0 = time.perf_counter()
        result = engine.render(request)
        return time.perf_counter() - t0, result

    once(0)  # warm-up: imports, caches
    times, result = [], None
    for run in range(args.runs):
        seconds, result = once(run + 1)
        times.append(seconds)
    times.sort()
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else "n/a"
    print(f"preview engine, {args.size}x{args.size}, {args.runs} runs, cpu affinity {cpus}")
    print(f"median {median:.3f} s   p95 {p95:.3f} s   min {times[0]:.3f} s")
    stages = result.metadata["stage_ms"][0] if result else {}
    print("last run by stage (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))
    met = p95 <= GOAL_SECONDS if args.size == 1024 else None
    print(f"goal 1024x1024 <= {GOAL_SECONDS} s on one core: "
          + ("met" if met else "NOT met" if met is False else "n/a at this size"))
    if args.save and result:
        from PIL import Image

        Image.fromarray(result.images[0]).save(args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
