"""arabic_news.text.analyzers: backends behind one interface; per-type cache; lemma backend (qalsadi)."""
from __future__ import annotations

import pickle

import pytest

from arabic_news.text import available_analyzers, get_analyzer


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown analyzer 'porter'.*none, light, lemma, camel"):
        get_analyzer("porter")


def test_none_and_light_backends():
    none, light = get_analyzer("none"), get_analyzer("light")
    assert none.analyze("الـمَدْرَسَةُ") == "المدرسه"
    assert light.analyze("بالمدرسة") == "مدرسه"    # the light backend sees ة: feminine ending kept
    assert light.analyze("بمدرسته") == "بمدرسه"     # ... and ه after it is the pronoun (bare ب kept)
    assert light.analyze("بالمدرسه") == "مدرس"      # written with ه: read as a pronoun
    assert light.analyze_types(["والوزراء", "وزير", "والوزراء", "كلمة"]) == {
        "والوزراء": "وزراء", "وزير": "وزير", "كلمة": "كلمه"}
    assert get_analyzer("light", word_counts={"قال": 5, "وقال": 1}).analyze("وقال") == "قال"


def test_each_type_is_analysed_once():
    calls = []

    class Counting(type(get_analyzer("none"))):
        def _analyze(self, word):
            calls.append(word)
            return super()._analyze(word)

    a = Counting()
    a.analyze_types(["في", "من", "في", "في"])
    a.analyze("من")
    assert calls == ["في", "من"]
    assert a.cache_size == 2


LEMMAS = [
    ("وزير", "وزير"),        # qalsadi's own lemmatize() says زير
    ("كتب", "كتب"),          # ... and تب here
    ("الوزراء", "وزير"),
    ("يكتبون", "كتب"),
    ("يقولون", "قال"),
    ("بالمدرسة", "مدرسه"),
    ("اجتماعات", "اجتماع"),
    ("مسؤولون", "مسؤول"),
    ("أهمية", "اهميه"),
    ("لليمن", "يمن"),
    ("واشنطن", "واشنطن"),    # unknown name: unchanged
    ("2015", "2015"),
]


@pytest.mark.parametrize(("word", "lemma"), LEMMAS)
def test_lemma_backend(word, lemma):
    assert get_analyzer("lemma").analyze(word) == lemma


def test_analyzers_pickle_without_their_caches_or_resources():
    a = get_analyzer("lemma")
    assert a.analyze("الوزراء") == "وزير"
    b = pickle.loads(pickle.dumps(a))
    assert b.cache_size == 0 and b._analex is None
    assert b.analyze("الوزراء") == "وزير"
    light = pickle.loads(pickle.dumps(get_analyzer("light", word_counts={"قال": 3, "وقال": 1})))
    assert light.analyze("وقال") == "قال"


def test_available_analyzers_reports_backends(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    assert available_analyzers() == {"none": True, "light": True, "lemma": True, "camel": False}


def test_persistent_cache_is_keyed_by_backend_signature(tmp_path):
    from arabic_news.text.analysis_cache import AnalysisCache

    a = get_analyzer("lemma", cache_dir=tmp_path)
    assert a.analyze_types(["الوزراء", "يكتبون", "الوزراء"]) == {"الوزراء": "وزير", "يكتبون": "كتب"}
    (path,) = tmp_path.glob("lemma-*.sqlite")
    store = AnalysisCache(path)
    assert len(store) == 2 and store.get_many(["يكتبون", "غائب"]) == {"يكتبون": "كتب"}
    b = get_analyzer("lemma", cache_dir=tmp_path)
    assert b.cached(["الوزراء", "بلد"]) == {"الوزراء": "وزير"}   # read back, nothing computed
    assert get_analyzer("light").cached(["الوزراء"]) == {}         # non-persistent backends: memory only
