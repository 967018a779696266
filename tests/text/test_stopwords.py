"""arabic_news.text.stopwords: the Arabic-Stopwords package, normalised like the text."""
from __future__ import annotations

from arabic_news.text import normalize_text, stopwords


def test_function_words_are_stop_words_in_normalised_form():
    sw = stopwords()
    for word in ["في", "من", "على", "إلى", "الذي", "التي", "هذه", "ذلك", "كان", "لكن", "أن", "إن", "عن", "مع"]:
        assert normalize_text(word) in sw, word
    # normalised spellings are what is stored: علي (على), الي (إلى), ان (أن / إن), هذه
    assert {"علي", "الي", "ان", "هذه"} <= sw


def test_clitic_attached_forms_are_included_by_default_only():
    sw, base = stopwords(), stopwords(with_clitics=False)
    for word in ["وفي", "لهم", "بعدها", "فإن", "وهو"]:
        assert normalize_text(word) in sw, word
    assert "وفي" not in base and "في" in base
    assert base < sw
    assert len(base) > 400 and len(sw) > 10_000


def test_content_words_are_not_stop_words():
    sw = stopwords()
    for word in ["وزير", "المملكة", "السعودية", "حكومة", "قال", "اليوم", "رئيس", "بلد", "كلمة"]:
        assert normalize_text(word) not in sw, word


def test_every_entry_is_normalised_and_result_is_cached():
    sw = stopwords()
    assert all(w == normalize_text(w) and w.strip() == w and w for w in sw)
    assert not any(c in w for w in sw for c in "أإآىةـ")
    assert stopwords() is sw
    assert isinstance(sw, frozenset)
