"""The core: the Studio facade, the orchestrator, the controls compiler and settings."""
