"""The scoreboard's report: accuracy, fully-right share, latency percentiles, failures."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Failure:
    case_id: str
    path: str
    explanation: str


@dataclass
class Report:
    checks_total: int = 0
    checks_passed: int = 0
    prompts_total: int = 0
    prompts_fully_right: int = 0
    invalid_manifests: int = 0
    errors: int = 0
    refine_untouched_identical: int = 0
    refine_untouched_total: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    per_path: dict[str, list[int]] = field(default_factory=dict)  # path -> [passed, total]

    @property
    def field_accuracy(self) -> float:
        return self.checks_passed / self.checks_total if self.checks_total else 0.0

    @property
    def share_fully_right(self) -> float:
        return self.prompts_fully_right / self.prompts_total if self.prompts_total else 0.0

    @property
    def latency_ms_p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def latency_ms_p99(self) -> float:
        return percentile(self.latencies_ms, 99)

    @property
    def refine_untouched_share(self) -> float:
        total = self.refine_untouched_total
        return self.refine_untouched_identical / total if total else 1.0

    def per_path_accuracy(self) -> dict[str, float]:
        return {p: ok / n for p, (ok, n) in sorted(self.per_path.items())}

    def as_dict(self) -> dict[str, Any]:
        return {
            "checks_total": self.checks_total,
            "checks_passed": self.checks_passed,
            "field_accuracy": round(self.field_accuracy, 4),
            "prompts_total": self.prompts_total,
            "prompts_fully_right": self.prompts_fully_right,
            "share_fully_right": round(self.share_fully_right, 4),
            "latency_ms": {"p50": round(self.latency_ms_p50, 3),
                           "p99": round(self.latency_ms_p99, 3),
                           "calls": len(self.latencies_ms)},
            "invalid_manifests": self.invalid_manifests,
            "errors": self.errors,
            "refine_untouched_identical": self.refine_untouched_identical,
            "refine_untouched_total": self.refine_untouched_total,
            "per_path_accuracy": {p: round(a, 4) for p, a in self.per_path_accuracy().items()},
            "failures": [vars(f) for f in self.failures],
        }

    def format_table(self, max_failures: int = 40) -> str:
        rows = [
            ("field accuracy", f"{self.checks_passed}/{self.checks_total}",
             f"{self.field_accuracy:.1%}"),
            ("prompts fully right", f"{self.prompts_fully_right}/{self.prompts_total}",
             f"{self.share_fully_right:.1%}"),
            ("refine: untouched leaves identical",
             f"{self.refine_untouched_identical}/{self.refine_untouched_total}",
             f"{self.refine_untouched_share:.1%}"),
            ("invalid manifests", str(self.invalid_manifests), ""),
            ("translator errors", str(self.errors), ""),
            ("latency p50 / p99", f"{self.latency_ms_p50:.2f} / {self.latency_ms_p99:.2f} ms",
             f"{len(self.latencies_ms)} calls"),
        ]
        lines = [f"{a:<36} {b:>22} {c:>10}" for a, b, c in rows]
        worst = sorted(self.per_path.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0]))
        lines += ["", "per path (weakest first):"]
        lines += [f"  {p:<58} {ok:>4}/{n:<4} {ok / n:6.1%}" for p, (ok, n) in worst if ok < n]
        lines += ["", f"failures ({len(self.failures)}):"]
        lines += [f"  {f.case_id:<10} {f.path:<44} {f.explanation}"
                  for f in self.failures[:max_failures]]
        if len(self.failures) > max_failures:
            lines.append(f"  ... {len(self.failures) - max_failures} more")
        return "\n".join(lines)
