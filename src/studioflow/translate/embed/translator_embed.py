"""``rules+embed``: the rules translator, plus embeddings for the phrases it left unmapped.

A clause of the prompt (split at commas, semicolons and "and"/"with") counts as unmapped
when one of its content words appears nowhere in the manifest the rules produced. Each
unmapped clause is embedded and compared with the concept anchors; above ``THRESHOLD`` the
closest concept's edit is applied and the controls are compiled again. Refinements are the
rules translator's unchanged.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import numpy as np

from studioflow.core.controls import apply_controls
from studioflow.schema import check_manifest, ordered
from studioflow.translate.embed.concepts import CONCEPTS, Concept
from studioflow.translate.embed.encoder import MiniLM

THRESHOLD = 0.55
_SPLIT = re.compile(r"[,;.]|\band\b|\bwith\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z-]{3,}")
STOP = {"with", "from", "that", "this", "very", "into", "onto", "over", "under", "shot",
        "photo", "image", "product", "some", "then", "make", "more", "less"}


def unmapped_clauses(prompt: str, manifest: dict[str, Any]) -> list[str]:
    text = json.dumps(manifest["fibo"], ensure_ascii=False).lower()
    out = []
    for clause in _SPLIT.split(prompt):
        words = [w for w in _WORD.findall(clause.lower()) if w not in STOP]
        if words and not all(w in text for w in words):
            out.append(clause.strip())
    return out


class RulesEmbedTranslator:
    name = "rules+embed"

    def __init__(self, rules: Any, encoder: MiniLM | None = None) -> None:
        self.rules = rules
        self.encoder = encoder or MiniLM()
        self._anchors: tuple[np.ndarray, list[Concept]] | None = None

    def _anchor_matrix(self) -> tuple[np.ndarray, list[Concept]]:
        if self._anchors is None:
            owners = [c for c in CONCEPTS for _ in c.anchors]
            vectors = self.encoder.encode([a for c in CONCEPTS for a in c.anchors])
            self._anchors = (vectors, owners)
        return self._anchors

    def concepts_for(self, clauses: list[str]) -> list[tuple[str, Concept, float]]:
        if not clauses:
            return []
        anchors, owners = self._anchor_matrix()
        scores = self.encoder.encode(clauses) @ anchors.T
        out = []
        for clause, row in zip(clauses, scores, strict=True):
            best = int(row.argmax())
            if row[best] >= THRESHOLD:
                out.append((clause, owners[best], float(row[best])))
        return out

    def translate(self, prompt: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
        manifest = self.rules.translate(prompt, base)
        found = self.concepts_for(unmapped_clauses(prompt, manifest))
        if not found:
            return manifest
        edited = copy.deepcopy(manifest)
        for _clause, concept, _score in found:
            concept.edit(edited)
        return check_manifest(ordered(apply_controls(edited)), source="rules+embed manifest")

    def refine(self, manifest: dict[str, Any], instruction: str) -> dict[str, Any]:
        return self.rules.refine(manifest, instruction)


def create(settings: Any = None) -> RulesEmbedTranslator:
    """Factory for the ``rules+embed`` experiment (not registered by default)."""
    from studioflow.translate.rules import create as create_rules

    return RulesEmbedTranslator(create_rules(settings))
