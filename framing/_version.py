"""The version of framing, in a module of its own: the report's provenance and ``framing --version``
read it without importing the package's namespace (``framing/__init__.py`` re-exports it)."""

__version__ = "0.1.0"
