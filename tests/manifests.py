"""Small valid manifests built for tests (checked against the schema where used)."""

from __future__ import annotations

import copy


def minimal_manifest(**render) -> dict:
    return copy.deepcopy({
        "schema_version": "1.0",
        "fibo": {
            "short_description": "A frosted glass perfume bottle on white marble.",
            "objects": [{"description": "frosted glass perfume bottle with a gold cap",
                         "location": "center", "relationship": "standing alone on the marble",
                         "relative_size": "medium"}],
            "background_setting": "white marble surface in front of a soft grey wall",
            "lighting": {"conditions": "soft window light", "direction": "from the left",
                         "shadows": "soft shadows to the right"},
            "aesthetics": {"composition": "centered", "color_scheme": "white and gold",
                           "mood_atmosphere": "calm, luxurious"},
            "style_medium": "photograph",
            "text_render": [],
            "context": "e-commerce product photograph",
        },
        "render": {"engine": "preview", "width": 256, "height": 256, **render},
    })


def manifest_with_controls(**render) -> dict:
    m = minimal_manifest(**render)
    m["controls"] = {
        "camera": {"azimuth": 0, "elevation": 10, "focal_length_mm": 85, "aperture": 2},
        "lights": [{"role": "key", "azimuth": -60, "elevation": 45, "intensity": 1.0,
                    "softness": 0.8, "color_temperature": 5600, "source": "window"},
                   {"role": "fill", "azimuth": 60, "elevation": 10, "intensity": 0.3,
                    "softness": 0.9}],
        "background": {"color": "#F2EDE4", "surface": "white marble", "style": "sweep"},
        "shadows": {"style": "cast", "intensity": 0.5},
    }
    return m
