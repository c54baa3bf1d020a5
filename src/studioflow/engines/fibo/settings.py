"""Settings of the FIBO engine, read from ``STUDIOFLOW_FIBO_*`` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "briaai/FIBO"


class FiboSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIOFLOW_FIBO_", extra="ignore",
                                      protected_namespaces=())

    model: str = Field(DEFAULT_MODEL, description="Local folder or Hugging Face id (already in "
                                                  "the local cache) of a BriaFiboPipeline.")
    preset: str | None = Field(None, description="Step/guidance preset: fibo, fibo-1.5, fibo-lite "
                                                 "(default: guessed from the model name).")
    allow_download: bool = Field(False, description="Let Hugging Face download missing weights "
                                                    "(off: only local folders and the cache).")
    device: str | None = Field(None, description="cuda, cuda:1, cpu, mps (default: cuda if any).")
    dtype: Literal["bfloat16", "float16", "float32"] | None = Field(
        None, description="Weights' dtype (default: bfloat16 on CUDA, float32 elsewhere).")
    offload: Literal["none", "model", "sequential"] = Field(
        "none", description="Keep weights in CPU memory and move them to the GPU per model "
                            "(model) or per layer (sequential, slowest, least memory).")
    vae_tiling: bool = Field(False, description="Decode in tiles to save GPU memory.")
    memory_budget_gb: float = Field(48.0, ge=0, description="Loaded pipelines kept in this "
                                    "process, by parameter size; the newest always stays.")
    max_sequence_length: int = Field(3000, ge=16, le=3000,
                                     description="Prompt tokens kept (FIBO's limit is 3000).")
    cache: Literal["none", "teacache"] = Field(
        "none", description="Step caching: skip transformer passes whose input barely changed.")
    cache_threshold: float = Field(0.4, gt=0, description="TeaCache's accumulated change "
                                   "below which a step reuses the last residual.")
    cfg: Literal["batched", "split"] = Field(
        "batched", description="Guidance: one padded batch (diffusers) or one unpadded pass "
                               "per prompt (less work for short negative prompts).")
    trim_logits: bool = Field(True, description="Skip the text encoder's unused vocabulary "
                                                "logits (exact: same prompt embeddings).")
    compile: bool = Field(False, description="torch.compile the repeated transformer blocks.")
    attention: str | None = Field(None, description="diffusers attention backend, e.g. "
                                                    "_native_cudnn, _native_flash, flash.")
