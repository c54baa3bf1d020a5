"""Refinement merge: take from the model's answer only what it changed.

A model asked to change one thing returns the whole caption, and models copy imperfectly:
they reorder keys, write ``85.0`` for ``85``, trim a space, drop an optional field or fill
it with null. Taking the answer wholesale would move fields the instruction never named.
So the merge starts from the current manifest and copies a value from the answer only
where it really differs:

- objects: key by key; a key the answer leaves out keeps its value, a key it sets to null
  explicitly is removed (OpenAI's strict mode answers every key, so null is a decision
  there; "no longer a photograph" drops ``photographic_characteristics``);
- lists of the same length: element by element; a list whose length changed (an object
  added or removed) is taken as the answer has it;
- scalars: equal numbers (``85`` vs ``85.0``) and strings equal up to surrounding white
  space count as unchanged, so the current bytes stay.

Untouched fields therefore stay byte-identical, which is what the scoreboard's refine
disentanglement measures.
"""

from __future__ import annotations

import copy
from typing import Any


def _same_scalar(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return old == new


def merge_changes(current: Any, answer: Any) -> Any:
    """``current`` with the values ``answer`` changed (a new object; inputs untouched)."""
    if answer is None:
        return copy.deepcopy(current)
    if isinstance(current, dict) and isinstance(answer, dict):
        out = copy.deepcopy(current)
        for key, value in answer.items():
            if value is None:
                out.pop(key, None)
                continue
            out[key] = merge_changes(current[key], value) if key in current else \
                copy.deepcopy(value)
        return out
    if isinstance(current, list) and isinstance(answer, list):
        if len(current) != len(answer):
            return copy.deepcopy(answer)
        return [merge_changes(old, new) for old, new in zip(current, answer, strict=True)]
    if _same_scalar(current, answer):
        return copy.deepcopy(current)
    return copy.deepcopy(answer)


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Paths whose values differ (for the translation info of a refinement)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in list(before) + [k for k in after if k not in before]:
            path = f"{prefix}.{key}" if prefix else key
            if key not in before or key not in after:
                out.append(path)
            else:
                out.extend(changed_paths(before[key], after[key], path))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for i, (a, b) in enumerate(zip(before, after, strict=True))
                for p in changed_paths(a, b, f"{prefix}[{i}]")]
    return [] if before == after and type(before) is type(after) else [prefix]
