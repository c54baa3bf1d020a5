"""Score the rule-based translator on the packaged prompt set and time it.

Prints field accuracy, the share of prompts fully right, translate / refine latency (p50 and
p99, including controls compilation and schema validation) and refine disentanglement, for
the dev split, the held-out split, both together, and the second set's dev-b split (scored
blind at 92.1% before it became tuning material).

    python bench/translator.py            # tables
    python bench/translator.py --json     # one JSON object
    python bench/translator.py --failures # also list the failed checks of dev and dev-b
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from studioflow.schema import validate_manifest
from studioflow.translate.evaluate import load_cases, percentile, run_eval
from studioflow.translate.rules import create


def _timings(translator: Any, cases: list, repeat: int) -> dict[str, dict[str, float]]:
    """Per-call latency of translate and refine, each followed by schema validation."""
    translate_ms, refine_ms = [], []
    for _ in range(repeat):
        for case in cases:
            start = time.perf_counter()
            manifest = translator.translate(case.prompt)
            validate_manifest(manifest)
            translate_ms.append((time.perf_counter() - start) * 1000)
            if case.mode == "refine":
                start = time.perf_counter()
                try:
                    validate_manifest(translator.refine(manifest, case.instruction))
                except Exception:  # noqa: BLE001 - a failed refinement still took its time
                    pass
                refine_ms.append((time.perf_counter() - start) * 1000)

    def stats(values: list[float]) -> dict[str, float]:
        return {"p50": round(percentile(values, 50), 3), "p99": round(percentile(values, 99), 3),
                "calls": len(values)}

    return {"translate_ms": stats(translate_ms), "refine_ms": stats(refine_ms)}


def score(translator: Any, split: str | None, repeat: int) -> dict[str, Any]:
    cases = load_cases(split=split)  # dev-b is read from the second packaged file
    report = run_eval(translator, cases)
    out = report.as_dict()
    out.pop("per_path_accuracy")
    out["latency"] = _timings(translator, cases, repeat)
    out["split"] = split or "all"
    out["report"] = report
    return out


def _row(r: dict[str, Any]) -> str:
    lat = r["latency"]
    return (f"{r['split']:<8} {r['field_accuracy']:>8.1%} {r['share_fully_right']:>8.1%} "
            f"{lat['translate_ms']['p50']:>7.2f} {lat['translate_ms']['p99']:>7.2f} "
            f"{lat['refine_ms']['p50']:>7.2f} {lat['refine_ms']['p99']:>7.2f} "
            f"{r['refine_untouched_identical']:>6}/{r['refine_untouched_total']:<6} "
            f"{r['invalid_manifests']:>4} {r['errors']:>4}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--failures", action="store_true",
                        help="list the failures of the dev and dev-b splits")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the cases")
    args = parser.parse_args(argv)
    translator = create()
    translator.translate("warm-up prompt: a bottle on marble")  # imports and caches
    results = [score(translator, split, args.repeat)
               for split in ("dev", "heldout", None, "dev-b")]
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k not in ("report", "failures")}
                          for r in results], indent=2))
        return 0
    print("split    accuracy  fully ok  tr p50  tr p99  rf p50  rf p99  untouched      inv  err")
    for r in results:
        print(_row(r))
    print("(latency in ms per call, including controls compilation and schema validation)")
    if args.failures:
        for r in (results[0], results[3]):
            print(f"\n== {r['split']}")
            print(r["report"].format_table(max_failures=200))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
