"""Scoring translators against a labelled set of product-photography prompts.

A case is a sentence (``generate``) or a sentence plus an instruction (``refine``) with
checks on the manifest a correct translator must produce. Each check names a path and
one or more operators::

    {"path": "fibo.lighting.direction", "contains_any": ["left"]}
    {"path": "controls.lights[role=key].azimuth", "range": [-60, -30]}
    {"path": "fibo.objects[*].description", "contains": ["lemon"]}
    {"path": "fibo.objects[0]", "matches": "\\bred\\b"}   # a whole object: any of its fields

Operators: ``equals``, ``contains`` (every substring, case-insensitive), ``contains_any``,
``not_contains``, ``matches`` (a case-insensitive regular expression), ``length`` (of a
list; an absent list has length 0), ``range`` ([min, max] inclusive), ``absent``. A path
that reaches an object or list is matched against the text of all its values.

Paths are dotted with ``[i]`` (an index), ``[*]`` (any element) and ``[field=value]``
(any element whose ``field`` equals ``value``, e.g. the key light). A wildcard check passes
when some element passes, except for the negative operators (``not_contains``,
``absent``), which must hold for every element: "no object mentions lemons". Several
operators in one check must hold on the same element. ``"if_present": true`` makes a check
conditional: it passes when the path reaches nothing, else every value must pass ("the key
light, if the manifest sets controls at all, comes from the right").

Refine cases also measure disentanglement: every leaf outside the case's ``may_change``
prefixes must be byte-identical (``json.dumps``) before and after the refinement.

Run ``python -m studioflow.translate.evaluate --translator rules`` for a table.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studioflow.translate.eval_report import Failure, Report, percentile

__all__ = ["Case", "Failure", "Report", "check", "load_cases", "parse_path", "percentile",
           "resolve", "run_eval", "schema_path", "untouched_diff"]

DEFAULT_CASES = Path(__file__).with_name("evalset") / "product_prompts.jsonl"
SECOND_CASES = Path(__file__).with_name("evalset") / "product_prompts_b.jsonl"
# dev / heldout: the first set (product_prompts.jsonl; heldout is never tuned on). dev-b: the
# second set (product_prompts_b.jsonl), written blind after the translator and scored blind at
# 92.1% of field checks (71/130 cases fully right) before it became tuning material.
SPLITS = ("dev", "heldout", "dev-b")
MODES = ("generate", "refine")
OPERATORS = ("equals", "contains", "contains_any", "not_contains", "matches", "length", "range",
             "absent")
_NEGATIVE = ("not_contains", "absent")
_FLAGS = ("if_present",)
_MISSING = object()

# One path step: a name, [3], [*] or [role=key].
_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*|[A-Za-z_][A-Za-z0-9_]*=[^\]]+)\]")


@dataclass(frozen=True)
class Case:
    id: str
    split: str
    mode: str
    prompt: str
    expect: list[dict[str, Any]]
    instruction: str | None = None
    may_change: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- paths


def parse_path(path: str) -> list[str | int | tuple[str, str]]:
    """Split a check path into steps; ``ValueError`` when it is not well formed.

    Steps are a field name (str), an index (int), ``"*"`` inside a tuple ``("*", "")`` or a
    filter ``(field, value)``.
    """
    steps: list[str | int | tuple[str, str]] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m or (pos == 0 and path.startswith(".")) or (pos > 0 and m.group(1)
                                                           and path[pos] != "."):
            raise ValueError(f"malformed path {path!r} at character {pos}")
        name, bracket = m.group(1), m.group(2)
        if name:
            steps.append(name)
        elif bracket.isdigit():
            steps.append(int(bracket))
        elif bracket == "*":
            steps.append(("*", ""))
        else:
            key, _, value = bracket.partition("=")
            steps.append((key, value))
        pos = m.end()
    if not steps or not isinstance(steps[0], str):
        raise ValueError(f"malformed path {path!r}: it must start with a field name")
    return steps


def schema_path(path: str) -> str:
    """The path in ``studioflow.schema.subschema`` form: every index or filter becomes ``[]``."""
    out = ""
    for step in parse_path(path):
        out += f".{step}" if isinstance(step, str) else "[]"
    return out.lstrip(".")


def _matches_filter(item: Any, key: str, value: str) -> bool:
    return isinstance(item, dict) and key in item and str(item[key]) == value


def resolve(data: Any, path: str) -> list[Any]:
    """Every value the path reaches (``_MISSING`` where a concrete step is absent).

    A concrete path gives one value; each ``[*]`` or filter fans out over its elements
    (an empty fan-out gives an empty list).
    """
    nodes = [data]
    for step in parse_path(path):
        nxt: list[Any] = []
        for node in nodes:
            if node is _MISSING:
                nxt.append(_MISSING)
            elif isinstance(step, tuple):
                items = node if isinstance(node, list) else []
                nxt.extend(i for i in items if step[0] == "*" or _matches_filter(i, *step))
            elif isinstance(step, int):
                ok = isinstance(node, list) and -len(node) <= step < len(node)
                nxt.append(node[step] if ok else _MISSING)
            else:
                nxt.append(node[step] if isinstance(node, dict) and step in node else _MISSING)
        nodes = nxt
    return nodes


# ---------------------------------------------------------------- operators


def _text(value: Any) -> str:
    """A value as text; an object or list as its leaf values, one a line (keys left out,
    so that ``not_contains ["text"]`` on ``fibo`` is not tripped by ``text_render``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        return "\n".join(_text(v) for v in items)
    return json.dumps(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _op(op: str, value: Any, arg: Any) -> tuple[bool, str]:
    """One operator on one value: (passed, why it failed)."""
    if op == "absent":
        present = value is not _MISSING
        return present != bool(arg), "is present" if present else "is missing"
    if value is _MISSING:
        if op == "not_contains":
            return True, ""
        if op == "length" and arg == 0:  # an absent list holds nothing
            return True, ""
        return False, "is missing"
    if op == "equals":
        if _is_number(arg) and _is_number(value):
            return math.isclose(value, arg, rel_tol=1e-9, abs_tol=1e-9), f"is {value!r}"
        return value == arg and type(value) is type(arg), f"is {value!r}"
    if op == "range":
        low, high = arg
        ok = _is_number(value) and low <= value <= high
        return ok, f"is {value!r}, expected {low}..{high}"
    if op == "length":
        if not isinstance(value, list | str | dict):
            return False, f"is {value!r}, not a list"
        return len(value) == arg, f"has {len(value)} item(s)"
    text = _text(value).casefold()
    words = [arg] if isinstance(arg, str) else list(arg)
    found = [w for w in words if w.casefold() in text]
    if op == "contains":
        missing = [w for w in words if w not in found]
        return not missing, f"{_text(value)!r} lacks {missing}"
    if op == "contains_any":
        return bool(found), f"{_text(value)!r} has none of {words}"
    if op == "not_contains":
        return not found, f"{_text(value)!r} contains {found}"
    if op == "matches":
        return bool(re.search(arg, _text(value), re.IGNORECASE)), f"{_text(value)!r} does not match"
    raise ValueError(f"unknown operator {op!r}")


def _all_ops(ops: list[str], value: Any, expectation: dict[str, Any]) -> list[str]:
    """The failed operators of ``ops`` on one value, each with its reason."""
    out = []
    for op in ops:
        ok, why = _op(op, value, expectation[op])
        if not ok:
            out.append(f"{op} {json.dumps(expectation[op], ensure_ascii=False)}: {why}")
    return out


def check(manifest: dict[str, Any], expectation: dict[str, Any]) -> tuple[bool, str]:
    """Apply one expectation to a manifest: ``(passed, explanation)``.

    Several operators in one expectation must hold together: on one value for a concrete
    path, on the same element for a ``[*]`` or filter path (negative operators on every
    element). With ``"if_present": true`` a path that reaches nothing passes and every value
    it does reach must pass: "the key light, if the manifest sets one, comes from the right".
    """
    path = expectation["path"]
    ops = [op for op in OPERATORS if op in expectation]
    if not ops:
        raise ValueError(f"expectation on {path!r} has no operator; expected one of {OPERATORS}")
    values = resolve(manifest, path)
    positive = [op for op in ops if op not in _NEGATIVE]
    negative = [op for op in ops if op in _NEGATIVE]
    if expectation.get("if_present"):
        values = [v for v in values if v is not _MISSING]
        problems = [f"{path} {why}" for v in values for why in _all_ops(ops, v, expectation)]
        return (not problems), ("ok" if not problems else "; ".join(problems))
    problems = [f"{path} {why}" for v in values for why in _all_ops(negative, v, expectation)]
    if positive:
        per_value = [_all_ops(positive, v, expectation) for v in values]
        if not any(not p for p in per_value):
            reasons = "; ".join(why for p in per_value for why in p)
            problems.append(f"{path} {reasons or 'reaches no element'}")
    return (not problems), ("ok" if not problems else "; ".join(problems))


# ---------------------------------------------------------------- loading


def _validate_case(raw: dict[str, Any], where: str) -> Case:
    for key in ("id", "split", "mode", "prompt", "expect"):
        if key not in raw:
            raise ValueError(f"{where}: missing {key!r}")
    if raw["split"] not in SPLITS or raw["mode"] not in MODES:
        raise ValueError(f"{where}: split must be one of {SPLITS}, mode one of {MODES}")
    if raw["mode"] == "refine" and not (raw.get("instruction") and "may_change" in raw):
        raise ValueError(f"{where}: a refine case needs 'instruction' and 'may_change'")
    for exp in raw["expect"]:
        parse_path(exp.get("path", ""))
        unknown = set(exp) - {"path", *OPERATORS, *_FLAGS}
        if unknown or not set(exp) & set(OPERATORS):
            raise ValueError(f"{where}: bad expectation {exp}; operators are {OPERATORS}")
    for prefix in raw.get("may_change", []):
        parse_path(prefix)
    return Case(id=raw["id"], split=raw["split"], mode=raw["mode"], prompt=raw["prompt"],
                expect=list(raw["expect"]), instruction=raw.get("instruction"),
                may_change=list(raw.get("may_change", [])))


def load_cases(path: str | Path | None = None, split: str | None = None,
               mode: str | None = None) -> list[Case]:
    """Cases from a JSON-lines file, optionally filtered. Without a file: the packaged first
    set, or the second one when the split asked for is ``dev-b``."""
    source = Path(path) if path is not None else \
        SECOND_CASES if split == "dev-b" else DEFAULT_CASES
    cases = []
    for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{source.name}:{n}"
        try:
            case = _validate_case(json.loads(line), where)
        except (ValueError, TypeError, AttributeError) as exc:
            text = str(exc)
            raise ValueError(text if text.startswith(where) else f"{where}: {text}") from exc
        if (split is None or case.split == split) and (mode is None or case.mode == mode):
            cases.append(case)
    return cases


# ---------------------------------------------------------------- disentanglement


def leaves(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(path, json.dumps(value))`` for every leaf; empty objects and lists are leaves too."""
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list) and data:
        for i, value in enumerate(data):
            yield from leaves(value, f"{prefix}[{i}]")
    else:
        yield prefix, json.dumps(data, sort_keys=True, ensure_ascii=False)


def _prefix_regex(prefixes: list[str]) -> re.Pattern[str] | None:
    if not prefixes:
        return None
    parts = [re.escape(p).replace(r"\[\*\]", r"\[\d+\]") for p in prefixes]
    return re.compile(rf"^(?:{'|'.join(parts)})(?:$|[.\[])")


def untouched_diff(before: dict[str, Any], after: Any,
                   may_change: list[str]) -> tuple[int, int, list[str]]:
    """Leaves outside ``may_change``: (identical, total, paths that differ).

    ``after`` that is not a manifest (``None`` from a failed refinement) has no leaves.
    """
    allowed = _prefix_regex(may_change)
    old = dict(leaves(before))
    new = dict(leaves(after)) if isinstance(after, dict) and after else {}
    paths = sorted(p for p in old.keys() | new.keys() if not (allowed and allowed.match(p)))
    changed = [p for p in paths if old.get(p) != new.get(p)]
    return len(paths) - len(changed), len(paths), changed


# ---------------------------------------------------------------- running


def _timed(call: Callable[[], Any], report: Report, clock: Callable[[], float]) -> Any:
    start = clock()
    try:
        return call()
    finally:
        report.latencies_ms.append((clock() - start) * 1000.0)


def _produce(translator: Any, case: Case, report: Report, clock: Callable[[], float],
             out: dict[str, Any]) -> None:
    """Fill ``out["before"]`` (refine only) and ``out["after"]``; lets translator errors out."""
    first = _timed(lambda: translator.translate(case.prompt), report, clock)
    if case.mode == "generate":
        out["after"] = first
        return
    out["before"] = json.loads(json.dumps(first))  # a refine that mutates its input is caught
    out["after"] = _timed(lambda: translator.refine(first, case.instruction), report, clock)


def _record_checks(report: Report, case: Case, manifest: dict[str, Any] | None,
                   reason: str | None) -> bool:
    """Score every check of a case; ``reason`` fails them all (error, invalid manifest)."""
    all_ok = True
    for exp in case.expect:
        if reason is not None:
            ok, why = False, reason
        else:
            ok, why = check(manifest or {}, exp)
        counts = report.per_path.setdefault(exp["path"], [0, 0])
        counts[1] += 1
        report.checks_total += 1
        if ok:
            counts[0] += 1
            report.checks_passed += 1
        else:
            all_ok = False
            if reason is None:
                report.failures.append(Failure(case.id, exp["path"], why))
    return all_ok


def _run_case(translator: Any, case: Case, report: Report, validate: bool,
              clock: Callable[[], float]) -> None:
    from studioflow.schema import validate_manifest

    report.prompts_total += 1
    out: dict[str, Any] = {}
    reason = None
    try:
        _produce(translator, case, report, clock, out)
    except Exception as exc:  # a translator bug is a failed case, never a crashed run
        report.errors += 1
        reason = f"translator raised {type(exc).__name__}: {exc}"
        report.failures.append(Failure(case.id, "", reason))
    before, after = out.get("before"), out.get("after")
    if reason is None and validate:
        errors = [e for m in (before, after) if m is not None for e in validate_manifest(m)]
        if errors:
            report.invalid_manifests += 1
            reason = "invalid manifest: " + "; ".join(map(str, errors[:5]))
            report.failures.append(Failure(case.id, "", reason))
    ok = _record_checks(report, case, after, reason)
    if case.mode == "refine" and isinstance(before, dict):
        # A refinement that raised or returned garbage preserved nothing.
        same, total, changed = untouched_diff(before, after, case.may_change)
        report.refine_untouched_identical += same
        report.refine_untouched_total += total
        for p in changed:
            report.failures.append(Failure(case.id, p, "changed outside may_change"))
        ok = ok and not changed
    report.prompts_fully_right += int(ok)


def run_eval(translator: Any, cases: list[Case], validate: bool = True, *,
             clock: Callable[[], float] = time.perf_counter) -> Report:
    """Score ``translator`` on ``cases``.

    A case is fully right when every check passes, its manifests are valid and, for a
    refinement, nothing outside ``may_change`` moved. A failed refinement (an exception)
    still counts the base manifest's untouched leaves as the denominator, none identical.
    """
    report = Report()
    for case in cases:
        _run_case(translator, case, report, validate, clock)
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    from studioflow.core.config import Settings
    from studioflow.translate.registry import TranslatorRegistry

    parser = argparse.ArgumentParser(description="Score a translator on the prompt set.")
    parser.add_argument("--translator", default="rules")
    parser.add_argument("--cases", default=None, help="JSON-lines file (default: packaged set)")
    parser.add_argument("--split", choices=SPLITS,
                        help=f"one split only: {', '.join(SPLITS)} (dev-b is read from "
                             f"{SECOND_CASES.name} unless --cases names a file)")
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    translator = TranslatorRegistry(Settings()).require(args.translator)
    report = run_eval(translator, load_cases(args.cases, args.split, args.mode))
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.format_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
