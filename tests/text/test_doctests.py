"""The examples in the text modules' docstrings run and give the documented outputs."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["normalize", "tokenize", "stopwords", "clitics", "stemming", "analyzers"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"arabic_news.text.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
