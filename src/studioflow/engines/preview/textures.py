"""Cheap procedural surface textures: marble veins, wood grain, fabric, concrete, paper.

Each texture is a function of surface coordinates (u, v) and a seeded random lattice, so the
same seed gives the same pattern and another seed another one. They are evaluated on a
reduced grid by the backdrop and upsampled: a preview needs the character of a surface,
not its finest detail.
"""

from __future__ import annotations

import numpy as np

from studioflow.engines.preview.raster import F32

LATTICE = 64  # side of the periodic random lattice value noise samples


def lattice(rng: np.random.Generator) -> np.ndarray:
    """A periodic random lattice, flattened with its first row and column repeated at the
    ends so that a cell's four corners are at flat offsets 0, 1, STRIDE and STRIDE + 1."""
    table = rng.random((LATTICE, LATTICE), dtype=F32)
    return np.pad(table, ((0, 1), (0, 1)), mode="wrap").ravel()


STRIDE = LATTICE + 1


def value_noise(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Smooth value noise in [0, 1] at lattice coordinates (u, v)."""
    iu, iv = np.floor(u), np.floor(v)
    fu, fv = u - iu, v - iv
    fu = fu * fu * (3.0 - 2.0 * fu)
    fv = fv * fv * (3.0 - 2.0 * fv)
    m = LATTICE - 1
    corner = (iv.astype(np.int32) & m) * STRIDE + (iu.astype(np.int32) & m)
    c00 = table.take(corner)
    c01 = table.take(corner + 1)
    c10 = table.take(corner + STRIDE)
    c11 = table.take(corner + (STRIDE + 1))
    top = c00 + (c01 - c00) * fu
    bottom = c10 + (c11 - c10) * fu
    return top + (bottom - top) * fv


def fbm(table: np.ndarray, u: np.ndarray, v: np.ndarray, octaves: int = 3) -> np.ndarray:
    """Fractal noise in about [0, 1]: octaves of value noise at doubling frequencies."""
    total = np.zeros(np.broadcast_shapes(u.shape, v.shape), dtype=F32)
    amp, norm = 1.0, 0.0
    for k in range(octaves):
        scale = F32(2.0**k)
        shift = F32(17.0 * k)  # decorrelates the octaves that share one lattice
        total += F32(amp) * value_noise(table, u * scale + shift, v * scale - shift)
        norm += amp
        amp *= 0.5
    return total * F32(1.0 / norm)


def marble(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Darkening in [0, 1]: a few long meandering veins over soft clouding."""
    turbulence = fbm(table, u * 0.45, v * 0.45, 4)
    phase = (u * 0.42 + v * 0.26 + turbulence * 1.6) * np.pi
    veins = (1.0 - np.abs(np.sin(phase))) ** 14
    branch = fbm(table, u * 0.9 + 31.0, v * 0.9 - 7.0, 3)
    minor = (1.0 - np.abs(np.sin((u * 0.2 - v * 0.5 + branch * 2.4) * np.pi))) ** 30
    return np.clip(0.6 * veins + 0.15 * minor + 0.35 * (turbulence - 0.5), 0.0, 1.0)


def wood(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Dark-grain amount in [0, 1]: grain lines running across the frame, plank seams."""
    warp = fbm(table, u * 0.35, v * 3.0, 3)
    rings = 0.5 + 0.5 * np.sin((v * 9.0 + warp * 6.0) * np.pi)
    streaks = fbm(table, u * 0.2 + 40.0, v * 14.0, 2)
    seams = (np.abs(((v * 1.6 + 0.5) % 1.0) - 0.5) < 0.012).astype(F32)
    return np.clip(0.4 * rings**3 + 0.4 * streaks + 0.35 * seams, 0.0, 1.0)


def fabric(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Soft sheen variation in about [-0.5, 0.5]: folds and nap of cloth."""
    return fbm(table, u * 0.8, v * 0.8, 3) - 0.5


def concrete(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Mottling in about [-0.5, 0.5] with small dark pores."""
    mottle = fbm(table, u * 2.0, v * 2.0, 4) - 0.5
    pores = (value_noise(table, u * 40.0 + 5.0, v * 40.0 - 9.0) > 0.93).astype(F32)
    return mottle - 0.6 * pores


def paper(table: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Barely visible unevenness of a paper sweep, in about [-0.5, 0.5]."""
    return fbm(table, u * 0.6, v * 0.6, 2) - 0.5
