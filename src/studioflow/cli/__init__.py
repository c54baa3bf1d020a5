"""The ``studioflow`` command line: a thin caller of the Studio."""
