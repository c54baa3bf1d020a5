"""StudioFlow: controllable, reproducible AI product photography with Bria's FIBO."""

__version__ = "0.1.0"

__all__ = ["__version__"]
