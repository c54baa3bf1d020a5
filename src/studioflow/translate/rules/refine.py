"""``refine``: manifest + instruction -> a new manifest that differs only where asked.

The instruction is read in three passes over one ``Scan``: clause verbs ("make the bottle
red", "replace the marble with black velvet", "remove the lemons", "change the text to
'NEW'"), relative words ("softer", "warmer", "closer", "more blur") and then the same
extractors ``translate`` uses ("light from the right", "35mm", "16:9"), whose findings are
merged like a base-manifest translation. Controls carry every edit to the text they own and
are recompiled; text owned by controls that did not change is restored byte for byte.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from studioflow.core.controls import apply_controls
from studioflow.errors import ErrorDetail, PromptError
from studioflow.schema import ordered
from studioflow.translate.rules.build import merge_findings, text_items
from studioflow.translate.rules.describe import update_summary
from studioflow.translate.rules.extract import extract_scan
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.fit import fit_lengths
from studioflow.translate.rules.refine_clauses import clause_edits, leftover_adds, protect_objects
from studioflow.translate.rules.refine_objects import refresh_main_relationship
from studioflow.translate.rules.refine_ops import MORE_RELATIVE, RELATIVE, ROTATE, rotate
from studioflow.translate.rules.refine_values import MOOD_INTENT
from studioflow.translate.rules.scan import Scan

# control group -> the FIBO fields it owns (see core.controls)
OWNED = {
    "lights": [("lighting", "conditions"), ("lighting", "direction"), ("lighting", "shadows"),
               ("aesthetics", "color_scheme")],
    "shadows": [("lighting", "shadows")],
    "camera": [("photographic_characteristics", "camera_angle"),
               ("photographic_characteristics", "lens_focal_length"),
               ("photographic_characteristics", "depth_of_field")],
    "background": [("background_setting",), ("aesthetics", "color_scheme")],
    "color_palette": [("aesthetics", "color_scheme")],
}


def refine_manifest(manifest: dict[str, Any], instruction: str) -> dict[str, Any]:
    m = copy.deepcopy(manifest)
    scan = Scan(instruction)
    understood = clause_edits(scan, m)
    protect_objects(scan, m)
    for pattern, edit in (*MORE_RELATIVE, *RELATIVE):
        if scan.first(pattern):
            edit(m)
            understood = True
    for match in scan.matches(ROTATE):
        rotate(m, match)
        understood = True
    findings = extract_scan(scan)
    if not MOOD_INTENT.search(instruction):
        findings.mood = []  # a passing "clean" or "bold" is not a request for a new mood
    if _says_something(findings):
        _merge(findings, m)
        understood = True
    understood = leftover_adds(scan, m) or understood
    if not understood:
        raise PromptError(f"could not find anything to change in: {instruction!r}",
                          [ErrorDetail("instruction", "name what to change, e.g. 'light from the "
                                                      "right', 'make the bottle red', "
                                                      "'add two lemons', 'use a 35mm lens'")])
    refresh_main_relationship(m)
    result = _recompile(manifest, m, findings)
    result["fibo"]["short_description"] = update_summary(manifest, result)
    return ordered(fit_lengths(result))



def _says_something(f: Findings) -> bool:
    empty = Findings()
    return any(getattr(f, name) != getattr(empty, name) for name in vars(empty)
               if name not in ("light_words", "camera_words", "objects"))


def _merge(f: Findings, m: dict[str, Any]) -> None:
    texts, f.texts = f.texts, []
    if texts:  # an instruction adds text to what is there; it does not replace it
        fibo = m["fibo"]
        fibo["text_render"] = [*fibo.get("text_render", []), *text_items(texts, f, m)][:8]
    merge_findings(f, m, fresh=False)


def _recompile(before: dict[str, Any], after: dict[str, Any], f: Findings) -> dict[str, Any]:
    """Compile the controls; keep the old text of fields whose controls did not change."""
    old_controls = before.get("controls") or {}
    new_controls = after.get("controls") or {}
    changed = {group for group in OWNED
               if json.dumps(old_controls.get(group), sort_keys=True)
               != json.dumps(new_controls.get(group), sort_keys=True)}
    compiled = apply_controls(fit_lengths(after))
    if f.focus and "photographic_characteristics" in compiled["fibo"]:
        compiled["fibo"]["photographic_characteristics"]["focus"] = f.focus
    recompiled = {field for group in changed for field in OWNED[group]}
    for fields in OWNED.values():
        for field in fields:
            if field in recompiled:
                continue
            old = _get(before["fibo"], field)
            new_parent = _get(compiled["fibo"], field[:-1]) if len(field) > 1 else compiled["fibo"]
            if old is not None and isinstance(new_parent, dict) and field[-1] in new_parent:
                new_parent[field[-1]] = old
    if "photographic_characteristics" not in after["fibo"] and "camera" not in new_controls:
        compiled["fibo"].pop("photographic_characteristics", None)
    return compiled


def _get(d: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d
