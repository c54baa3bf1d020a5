"""Image files that carry their provenance: the stored PNG masters (``png``) and exports
to other formats (``exporter``), each embedding the manifest, seed, engine and render id."""
