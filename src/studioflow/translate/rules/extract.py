"""Sentence -> ``Findings``: each extractor takes the words it understands, in an order that
lets the more specific phrases win ("negative space on the left" before "on the left",
"rim light" before "light", "shot from above" before "from above")."""

from __future__ import annotations

from studioflow.translate.rules.extract_camera import extract_camera
from studioflow.translate.rules.extract_light import extract_lighting
from studioflow.translate.rules.extract_objects import extract_objects
from studioflow.translate.rules.extract_scene import extract_scene
from studioflow.translate.rules.extract_style import extract_meta, extract_mood, extract_style
from studioflow.translate.rules.extract_text import extract_texts
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.scan import Scan

EXTRACTORS = (extract_meta, extract_texts, extract_style, extract_lighting, extract_camera,
              extract_scene, extract_mood)


def extract(text: str) -> Findings:
    """What ``text`` says, objects included."""
    scan = Scan(text)
    findings = extract_scan(scan)
    extract_objects(scan, findings)
    return findings


def extract_scan(scan: Scan) -> Findings:
    """Like ``extract`` on a prepared scan, without the object step (refine reads objects
    itself)."""
    findings = Findings()
    for step in EXTRACTORS:
        step(scan, findings)
    return findings
