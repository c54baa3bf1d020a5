"""The image's palette: k-means on a downsampled copy, clusters named with core.colors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studioflow.core.colors import hex_to_name, rgb_to_hex

SAMPLE_SIDE = 64
MIN_SHARE = 0.04  # smaller clusters are noise (anti-aliased edges, specks)


@dataclass(frozen=True)
class Swatch:
    hex: str
    name: str
    share: float  # of the pixels
    saturation: float  # 0..1 (HSV)
    hue: float  # degrees, meaningless when saturation is ~0


def _kmeans(pixels: np.ndarray, k: int, iterations: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic k-means: centres start at luminance quantiles, so the same image
    always gives the same palette."""
    order = np.argsort(pixels @ np.array([0.299, 0.587, 0.114]))
    centres = pixels[order[np.linspace(0, len(order) - 1, k).astype(int)]].astype(float)
    labels = np.zeros(len(pixels), dtype=int)
    for _ in range(iterations):
        dist = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = dist.argmin(axis=1)
        for j in range(k):
            members = pixels[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    return centres, labels


def _hsv(rgb: np.ndarray) -> tuple[float, float]:
    r, g, b = (rgb / 255.0).tolist()
    hi, lo = max(r, g, b), min(r, g, b)
    saturation = 0.0 if hi == 0 else (hi - lo) / hi
    if hi == lo:
        return 0.0, saturation
    if hi == r:
        hue = (g - b) / (hi - lo) % 6
    elif hi == g:
        hue = (b - r) / (hi - lo) + 2
    else:
        hue = (r - g) / (hi - lo) + 4
    return hue * 60.0, saturation


def palette(image: np.ndarray, k: int = 6) -> list[Swatch]:
    """Up to ``k`` colours, largest share first; clusters with the same colour name merge."""
    from PIL import Image

    small = Image.fromarray(image).resize((SAMPLE_SIDE, SAMPLE_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(small, dtype=float).reshape(-1, 3)
    centres, labels = _kmeans(pixels, k)
    shares = np.bincount(labels, minlength=k) / len(labels)
    merged: dict[str, list] = {}
    for j in np.argsort(-shares):
        if shares[j] < MIN_SHARE:
            continue
        hex_value = rgb_to_hex(tuple(centres[j]))
        name = hex_to_name(hex_value)
        if name in merged:
            merged[name][1] += shares[j]
        else:
            merged[name] = [centres[j], shares[j]]
    out = []
    for name, (centre, share) in merged.items():
        hue, saturation = _hsv(centre)
        out.append(Swatch(rgb_to_hex(tuple(centre)), name, round(float(share), 3),
                          round(saturation, 3), round(hue, 1)))
    return sorted(out, key=lambda s: -s.share)


def scheme_words(swatches: list[Swatch], contrast: float) -> str:
    """A colour-scheme phrase: the named colours plus what the pixels say about them."""
    names = [s.name for s in swatches[:4]]
    colourful = [s for s in swatches if s.saturation > 0.25]
    if not colourful:
        kind = "monochrome, neutral"
    else:
        warm = sum(s.share for s in colourful if s.hue < 70 or s.hue > 320)
        cool = sum(s.share for s in colourful if 160 <= s.hue <= 280)
        kind = "warm" if warm > 1.5 * cool else "cool" if cool > 1.5 * warm else \
            "mixed warm and cool"
    if contrast > 0.7:
        kind += ", high contrast"
    elif contrast < 0.3:
        kind += ", low contrast"
    return f"{kind} palette of {_join(names)}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
