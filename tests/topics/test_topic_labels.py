"""Readable topic labels: the most frequent written form behind each stem, and user-given topic names."""
from __future__ import annotations

import pytest

from arabic_news.topics import TopicModel, surface_forms
from arabic_news.topics.models import _without_proclitics, make_preprocessor, surface_counts
from arabic_news.topics.names import TopicNamesError, apply_topic_names, read_topic_names

DOCS = [
    "نقل المصاب إلى المستشفى بعد الحادث",
    "افتتح مستشفى جديد في المدينة",
    "وصل الوزير للمستشفى صباحا",
    "عاد الطبيب إلى المستشفى",
    "زار الأمير مستشفى الملك",
    "المهرجان يبدأ غدا",
    "مهرجان الصيف والمهرجان الثقافي",
    "انطلق مهرجان الربيع",
]


def test_surface_counts_keep_the_letters_as_written():
    counts = surface_counts(["المستشفى، مستشفى!", "مُسْتَشْفى"])
    assert counts == {"المستشفى": 1, "مستشفى": 2}       # diacritics removed, alef maksura kept


def test_each_stem_gets_its_most_frequent_written_form():
    pre = make_preprocessor("light")
    tokens = pre.fit_transform(DOCS)
    assert "مستشف" in tokens[0] and "مهرج" in tokens[5]          # what the model sees
    forms = surface_forms(DOCS, pre)
    # المستشفى 2 + للمستشفى 1 (ل + the article) beat مستشفى 2
    assert forms["مستشف"] == "المستشفى"
    # مهرجان 2 against المهرجان 1 + والمهرجان 1: a tie, won by the shorter form
    assert forms["مهرج"] == "مهرجان"
    assert forms["امير"] == "الأمير" and forms["مدينه"] == "المدينة"   # hamza and teh marbuta as written
    assert "في" not in forms.values()                                  # stop words map to no term
    assert surface_forms(DOCS, pre, terms=["مهرج"]) == {"مهرج": "مهرجان"}
    # the same for normalised forms: the letters lost in normalisation come back
    flat = make_preprocessor("normalized")
    flat.fit(DOCS)
    assert surface_forms(DOCS, flat)["المستشفي"] == "المستشفى"
    with pytest.raises(ValueError, match="fitted ArabicPreprocessor"):
        surface_forms(DOCS, make_preprocessor("light"))


def test_proclitics_before_the_article_are_dropped_only_for_a_plausible_word():
    assert _without_proclitics("والمستشفى") == "المستشفى"
    assert _without_proclitics("للمستشفى") == "المستشفى"
    assert _without_proclitics("بإلغاء") == "إلغاء"
    assert _without_proclitics("الله") is None and _without_proclitics("بالغ") is None
    assert _without_proclitics("مستشفى") is None


def test_topic_model_labels_in_readable_words(toy_docs, embedding_cache):
    model = TopicModel(model="nmf", n_topics=3, min_df=2, max_df=0.9, seed=7).fit(toy_docs)
    assert model.surface_forms_["نفط"] == "النفط" and model.surface_forms_["لاعب"] == "اللاعب"
    assert set(model.surface_forms_) == set(model.get_feature_names_out())
    oil = next(t for t, terms in enumerate(model.topic_terms_) if "نفط" in terms)
    assert "النفط" in model.topic_words_[oil] and "نفط" not in model.topic_words_[oil]
    assert model.topic_words_[oil][model.topic_terms_[oil].index("نفط")] == "النفط"
    assert model.topic_labels_[oil] == " · ".join(model.topic_words_[oil][:3])
    table = model.topics_table()
    assert list(table.columns) == ["topic", "label", "size", "words", "terms", "representative_docs"]
    assert "النفط" in table.loc[oil, "words"].split() and "نفط" in table.loc[oil, "terms"].split()
    # tokens from outside (as in a k sweep): terms shown as they are, unless a map is passed
    base = TopicModel(model="nmf", n_topics=3, min_df=2, max_df=0.9, seed=7)
    tokens = base.preprocess(toy_docs)
    bare = TopicModel(model="nmf", n_topics=3, min_df=2, max_df=0.9, seed=7).fit(toy_docs, tokens=tokens)
    assert bare.topic_words_ == bare.topic_terms_
    mapped = TopicModel(model="nmf", n_topics=3, min_df=2, max_df=0.9, seed=7).fit(
        toy_docs, tokens=tokens, surface_forms=surface_forms(toy_docs, base.preprocessor_))
    assert mapped.topic_words_ == model.topic_words_ and mapped.topic_terms_ == model.topic_terms_


def test_topic_names_from_yaml(tmp_path):
    path = tmp_path / "names.yaml"
    path.write_text("# my names\n0: Oil <prices>\n'2': Elections\n7: Sport\nfoo: Other\n1: ''\n", encoding="utf-8")
    names = read_topic_names(path)
    assert names == {0: "Oil <prices>", "2": "Elections", 7: "Sport", "foo": "Other"}
    labels, warnings = apply_topic_names(["نفط · سعر", "كرة · فريق", "انتخاب · ناخب"], names, source="names.yaml")
    assert labels == ["Oil <prices>", "كرة · فريق", "Elections"]   # kept as text: escaped where displayed
    assert warnings == ["names.yaml names topics 7, foo, which this model does not have (it has 3 topics, "
                        "numbered 0 to 2); those names are ignored."]
    assert apply_topic_names(["a"], {}) == (["a"], [])


def test_topic_names_file_errors_are_one_line(tmp_path):
    with pytest.raises(TopicNamesError, match="missing.yaml: topic names file not found"):
        read_topic_names(tmp_path / "missing.yaml")
    bad = tmp_path / "list.yaml"
    bad.write_text("- Oil\n- Sport\n", encoding="utf-8")
    with pytest.raises(TopicNamesError, match="list.yaml: expected `number: name` lines"):
        read_topic_names(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("0: [unclosed\n", encoding="utf-8")
    with pytest.raises(TopicNamesError, match="broken.yaml: not a readable YAML file") as info:
        read_topic_names(broken)
    assert "\n" not in str(info.value)


def test_the_example_topic_names_file_reads():
    from arabic_news import config

    names = read_topic_names(config.DATA_DIR / "topics" / "example_topic_names.yaml")
    assert names and all(isinstance(k, int) for k in names)


@pytest.mark.parametrize("module", ["arabic_news.topics.names", "arabic_news.topics.analysis"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
