"""Where FIBO runs: device and dtype, chosen automatically and checked when overridden."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studioflow.errors import ConfigError, ErrorDetail

DTYPES = ("bfloat16", "float16", "float32")


@dataclass(frozen=True)
class Placement:
    device: str  # "cuda", "cuda:1", "cpu", "mps"
    dtype: str  # one of DTYPES
    offload: str = "none"  # none | model | sequential

    @property
    def kind(self) -> str:
        return self.device.split(":", 1)[0]

    def torch_dtype(self) -> Any:
        import torch

        return getattr(torch, self.dtype)


def choose(device: str | None, dtype: str | None, offload: str = "none") -> Placement:
    """CUDA with bfloat16 when there is a GPU, else CPU with float32; overrides are checked
    against the machine so that a CPU-only host asked for CUDA fails with what to do."""
    import torch

    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    device = device.strip().lower()
    kind = device.split(":", 1)[0]
    if kind == "cuda":
        _check_cuda(torch, device)
    elif kind == "mps":
        if not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise _device_error(device, "this machine has no Apple GPU (MPS)")
    elif kind != "cpu":
        raise _device_error(device, "expected cuda, cuda:N, mps or cpu")
    if dtype is None:
        dtype = "bfloat16" if kind == "cuda" else "float32"
    if dtype not in DTYPES:
        raise ConfigError(f"unknown dtype {dtype!r}",
                          [ErrorDetail("STUDIOFLOW_FIBO_DTYPE", f"expected one of {DTYPES}")])
    if offload != "none" and kind == "cpu":
        raise ConfigError(
            f"CPU offload ({offload}) needs a GPU: it moves weights from CPU memory to the GPU",
            [ErrorDetail("STUDIOFLOW_FIBO_OFFLOAD",
                         "set it to 'none' on a CPU-only machine, or run on a CUDA GPU")])
    return Placement(device, dtype, offload)


def _check_cuda(torch: Any, device: str) -> None:
    if not torch.cuda.is_available():
        why = ("this PyTorch build has no CUDA support (a CPU wheel)"
               if torch.version.cuda is None else "no CUDA GPU is visible to PyTorch")
        raise _device_error(device, f"{why}; install a CUDA build of torch on a machine with an "
                                    "NVIDIA GPU, or set STUDIOFLOW_FIBO_DEVICE=cpu")
    index = _cuda_index(device)
    if index >= torch.cuda.device_count():
        raise _device_error(device, f"only {torch.cuda.device_count()} CUDA device(s) visible")


def _device_error(device: str, why: str) -> ConfigError:
    return ConfigError(f"cannot run FIBO on {device!r}: {why}",
                       [ErrorDetail("STUDIOFLOW_FIBO_DEVICE", why)])


def synchronize(device: str) -> None:
    """Wait for queued GPU work so that timings measure compute, not kernel launches."""
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize(device)


def peak_memory_bytes(device: str) -> int | None:
    import torch

    if device.startswith("cuda"):
        return int(torch.cuda.max_memory_allocated(device))
    return None


def _cuda_index(device: str) -> int:
    try:
        return int(device.split(":", 1)[1]) if ":" in device else 0
    except ValueError:
        raise _device_error(device, "expected cuda or cuda:N") from None
