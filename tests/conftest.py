"""Shared fixtures: the seed corpus, a small two-outlet corpus, paths to the shared corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed"
SHARED = ROOT.parent / "shared"
UKRAINE = SHARED / "corpora" / "ukraine-media-2022" / "articles.csv.gz"
CONVENTION = SHARED / "corpora" / "convention2012" / "speeches.csv"


@pytest.fixture(autouse=True)
def close_figs():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def seed_corpus():
    from framing import load_corpus

    return load_corpus(SEED)


@pytest.fixture(scope="session")
def ukraine_path():
    if not UKRAINE.exists():
        pytest.skip(f"shared corpus absent: {UKRAINE}")
    return UKRAINE


@pytest.fixture(scope="session")
def convention_path():
    if not CONVENTION.exists():
        pytest.skip(f"shared corpus absent: {CONVENTION}")
    return CONVENTION
