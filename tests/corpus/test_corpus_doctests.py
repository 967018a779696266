"""The examples in the corpus modules' docstrings run and give the documented outputs."""
from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["decode", "seed_layout"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(f"arabic_news.corpus.{name}"))
    assert result.attempted > 0 and result.failed == 0
