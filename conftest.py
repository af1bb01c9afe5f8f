"""Doctests run from the repository root so that examples can say ``load_corpus("data/seed")``."""

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _doctest_cwd(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent)
