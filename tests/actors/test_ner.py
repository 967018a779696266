"""Tests for the CRF NER tagger (arabic_news.actors.ner) on a tiny hand-written CoNLL fixture."""
from __future__ import annotations

import json
import pickle
import zipfile

import pandas as pd
import pytest
from sklearn.base import clone

from arabic_news.actors.ner import (
    ConllFormatError,
    NERTagger,
    candidate_key,
    check_crfsuite_model,
    discover_candidates,
    entity_scores,
    evaluate_ner,
    extract_entities,
    load_tagger,
    read_conll,
    save_tagger,
    split_dev,
    split_tokens_tags,
    train_ner,
)
from arabic_news.actors.ner_features import (
    build_word_clusters,
    match_names,
    proclitic_variants,
    sentence_features,
    split_proclitic,
    strip_conjunction_preposition,
)
from arabic_news.model_files import ModelFileError

# Hand-written sentences (token/tag pairs separated by "/"), ANERcorp conventions: clitics attached, PERS/ORG/LOC/MISC.
FIXTURE = """
قال/O الرئيس/O محمد/B-PERS علي/I-PERS في/O القاهرة/B-LOC إن/O الحكومة/O ستجتمع/O ./O
وصل/O الرئيس/O سمير/B-PERS حسن/I-PERS إلى/O بغداد/B-LOC أمس/O ./O
أعلنت/O شركة/O النور/B-ORG للاتصالات/I-ORG في/O دبي/B-LOC عن/O أرباح/O كبيرة/O ./O
قالت/O منظمة/O الصحة/B-ORG العالمية/I-ORG إن/O الوضع/O في/O دمشق/B-LOC صعب/O ./O
وقال/O الوزير/O خالد/B-PERS يوسف/I-PERS إن/O بلاده/O تدعم/O الاتفاق/O ./O
زار/O الرئيس/O محمد/B-PERS علي/I-PERS مدينة/O الرياض/B-LOC ./O
أكد/O الوزير/O سمير/B-PERS حسن/I-PERS أن/O بغداد/B-LOC آمنة/O ./O
ذكرت/O وكالة/O الأنباء/B-ORG العربية/I-ORG أن/O الرئيس/O خالد/B-PERS يوسف/I-PERS سافر/O إلى/O عمان/B-LOC ./O
وأضاف/O أن/O شركة/O النور/B-ORG للاتصالات/I-ORG تعمل/O في/O القاهرة/B-LOC ./O
عقد/O مجلس/B-ORG الأمن/I-ORG جلسة/O في/O نيويورك/B-LOC أمس/O ./O
قال/O المتحدث/O باسم/O منظمة/O الصحة/B-ORG العالمية/I-ORG إن/O اللقاح/O آمن/O ./O
وصل/O الوزير/O محمد/B-PERS علي/I-PERS إلى/O دمشق/B-LOC ./O
فاز/O المنتخب/O في/O كأس/B-MISC العالم/I-MISC ./O
شارك/O اللاعب/O سمير/B-PERS حسن/I-PERS في/O كأس/B-MISC العالم/I-MISC ./O
انعقد/O مجلس/B-ORG الأمن/I-ORG لبحث/O الوضع/O في/O بغداد/B-LOC ./O
وقال/O الرئيس/O خالد/B-PERS يوسف/I-PERS في/O الرياض/B-LOC إن/O الاقتصاد/O ينمو/O ./O
ذكرت/O وكالة/O الأنباء/B-ORG العربية/I-ORG أن/O مجلس/B-ORG الأمن/I-ORG سيجتمع/O ./O
تعمل/O شركة/O النور/B-ORG للاتصالات/I-ORG في/O عمان/B-LOC ودبي/B-LOC ./O
قال/O الوزير/O سمير/B-PERS حسن/I-PERS إن/O الحكومة/O مستعدة/O ./O
أعلن/O الرئيس/O محمد/B-PERS علي/I-PERS أن/O القاهرة/B-LOC ستستضيف/O كأس/B-MISC العالم/I-MISC ./O
"""


def _sentences():
    out = []
    for line in FIXTURE.strip().splitlines():
        out.append([tuple(pair.rsplit("/", 1)) for pair in line.split()])
    return out


def _write_conll(path, sentences, *, sep=" "):
    path.write_text("\n\n".join("\n".join(f"{t}{sep}{g}" for t, g in s) for s in sentences) + "\n",
                    encoding="utf-8")
    return path


SMALL = dict(feature_groups=("word", "clitic", "shape", "context", "trigger"), name_sources=(), clusters=None,
             c1=0.0, c2=0.01, max_iterations=80)


@pytest.fixture(scope="module")
def fitted():
    X, y = split_tokens_tags(_sentences())
    return NERTagger(**SMALL).fit(X, y)


# -- read_conll --------------------------------------------------------------------------------------------------

def test_read_conll_roundtrip(tmp_path):
    sents = _sentences()
    got = read_conll(_write_conll(tmp_path / "a.txt", sents))
    assert got == sents
    assert len(got) == 20 and got[0][2] == ("محمد", "B-PERS")


def test_read_conll_tolerates_bom_crlf_tabs_trailing_space_and_extra_blank_lines(tmp_path):
    p = tmp_path / "b.txt"
    p.write_bytes("\ufeffقال\tO\r\nمحمد B-PERS  \r\nعلي\tI-PERS\r\n\r\n\r\n\r\nفي O\r\nبغداد B-LOC".encode("utf-8"))
    assert read_conll(p) == [[("قال", "O"), ("محمد", "B-PERS"), ("علي", "I-PERS")], [("في", "O"), ("بغداد", "B-LOC")]]


def test_read_conll_takes_first_and_last_column(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("بغداد NNP B-NP B-LOC\n", encoding="utf-8")
    assert read_conll(p) == [[("بغداد", "B-LOC")]]


def test_read_conll_errors_name_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("قال O\nمحمد B-PERS\nعلي\n", encoding="utf-8")
    with pytest.raises(ConllFormatError, match=r"bad\.txt:3: expected 'token tag'"):
        read_conll(p)
    p.write_text("قال O\n\nمحمد PERSON\n", encoding="utf-8")
    with pytest.raises(ConllFormatError, match=r"bad\.txt:3: 'PERSON' is not a BIO tag"):
        read_conll(p)
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        read_conll(tmp_path / "missing.txt")


def test_read_conll_tag_map(tmp_path):
    p = tmp_path / "aq.txt"
    p.write_text("ابن B-PER\nسينا I-PER\nكتب O\nالقانون B-MIS1\n", encoding="utf-8")
    mapping = {"B-PER": "B-PERS", "I-PER": "I-PERS", "B-MIS1": "B-MISC"}
    assert read_conll(p, tag_map=lambda t: mapping.get(t, t)) == [
        [("ابن", "B-PERS"), ("سينا", "I-PERS"), ("كتب", "O"), ("القانون", "B-MISC")]]


# -- features ----------------------------------------------------------------------------------------------------

def test_proclitics():
    assert split_proclitic("وبالعراق") == ("وبال", "عراق")
    assert split_proclitic("للاتصالات") == ("لل", "اتصالات")
    assert split_proclitic("بلد") == ("", "بلد")  # too short to split
    assert split_proclitic("وزير") == ("و", "زير")  # known over-split of a bare word; the full word is a feature too
    assert strip_conjunction_preposition("وبالعراق") == "العراق"
    assert strip_conjunction_preposition("للعراق") == "العراق"
    assert proclitic_variants("وبغداد") == ("وبغداد", "بغداد", "غداد")
    assert proclitic_variants("للعراق") == ("للعراق", "لعراق", "العراق", "عراق")


def test_match_names_longest_match_with_proclitic():
    names = {("مجلس", "الامن"): frozenset({"ORG"}), ("مجلس",): frozenset({"ORG"}), ("بغداد",): frozenset({"LOC"})}
    got = match_names(["عقد", "مجلس", "الامن", "جلسه", "وبغداد"], names)
    assert got == [[], ["B-ORG"], ["I-ORG"], [], ["B-LOC"]]


def test_sentence_features_groups():
    feats = sentence_features(["وقال", "الرئيس", "محمد"], groups=("word",))
    assert feats[2]["w"] == "محمد" and feats[2]["s2"] == "مد" and "-1:w" not in feats[2]
    rich = sentence_features(["وقال", "الرئيس", "محمد"], groups=("word", "clitic", "context", "trigger", "cluster"),
                             clusters={"محمد": [1, 7, 42]})
    assert rich[0]["pro"] == "و" and rich[0]["stem"] == "قال" and rich[0]["trig"] == "T_SAY"
    assert rich[2]["-1:trig"] == "T_PERS" and rich[2]["-1:w"] == "الرئيس"
    assert rich[2]["cl2"] == "42" and rich[1]["+1:cl2"] == "42" and rich[0]["cl"] == "oov"


def test_build_word_clusters_on_tiny_corpus_is_deterministic():
    sents = [["قال", "الرئيس", "محمد"], ["قال", "الوزير", "خالد"], ["في", "بغداد", "اليوم"]] * 30
    a = build_word_clusters(sentences=sents, ks=(2, 3), min_count=1, dim=8, epochs=2, seed=3)
    b = build_word_clusters(sentences=sents, ks=(2, 3), min_count=1, dim=8, epochs=2, seed=3)
    assert a == b
    assert set(a) == {"قال", "الرئيس", "محمد", "الوزير", "خالد", "في", "بغداد", "اليوم"}
    assert all(len(v) == 2 and 0 <= v[0] < 2 and 0 <= v[1] < 3 for v in a.values())


# -- tagger ------------------------------------------------------------------------------------------------------

def test_tagger_predicts_held_in_sentence(fitted):
    sent = _sentences()[7]
    tokens = [t for t, _ in sent]
    assert fitted.predict([tokens]) == [[g for _, g in sent]]
    assert fitted.predict([[]]) == [[]]
    assert set(fitted.classes_) == {"O", "B-PERS", "I-PERS", "B-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"}
    names = fitted.get_feature_names_out()
    assert "w:محمد" in set(names) or any(n.startswith("w:") for n in names)


def test_tagger_pickle_and_clone_roundtrip(fitted):
    restored = pickle.loads(pickle.dumps(fitted))
    X, _ = split_tokens_tags(_sentences())
    assert restored.predict(X) == fitted.predict(X)
    twin = clone(fitted)
    assert twin.get_params() == fitted.get_params()
    assert not hasattr(twin, "crf_")


def test_model_file_round_trip_gives_identical_tags_and_marginals(fitted, tmp_path):
    path = save_tagger(fitted, tmp_path / "ner.model.zip")
    with zipfile.ZipFile(path) as zf:  # JSON, arrays and crfsuite's own binary model: no pickle
        assert sorted(zf.namelist()) == ["arrays.npz", "manifest.json", "model.crfsuite", "state.json"]
    loaded = load_tagger(path)
    X, _ = split_tokens_tags(_sentences())
    X = X + [["زار", "الوزير", "عمر", "كريم", "مدينة", "جدة"]]  # unseen names
    assert loaded.predict(X) == fitted.predict(X)
    marg = [[dict(d) for d in s] for s in fitted.crf_.predict_marginals(fitted.transform(X))]
    assert [[dict(d) for d in s] for s in loaded.crf_.predict_marginals(loaded.transform(X))] == marg
    assert loaded.get_params() == fitted.get_params() and list(loaded.classes_) == list(fitted.classes_)
    assert loaded.name_list_sizes_ == fitted.name_list_sizes_ and loaded.n_features_ == fitted.n_features_


def test_damaged_crf_and_old_joblib_files_are_refused(fitted, tmp_path):
    import joblib

    path = save_tagger(fitted, tmp_path / "ner.model.zip")
    with zipfile.ZipFile(path) as zf:
        crf = zf.read("model.crfsuite")
        members = {n: zf.read(n) for n in zf.namelist()}
    assert check_crfsuite_model(crf) is None
    bad_crfs = {"truncated": crf[:len(crf) // 2], "garbage": b"lCRF" + bytes(60),
                "offsets": crf[:28] + (len(crf) + 5).to_bytes(4, "little") + crf[32:]}
    for name, data in bad_crfs.items():
        assert check_crfsuite_model(data) is not None, name
        damaged = tmp_path / f"{name}.model.zip"
        with zipfile.ZipFile(damaged, "w") as zf:
            for member, content in members.items():
                zf.writestr(member, data if member == "model.crfsuite" else content)
        with pytest.raises(ModelFileError) as info:
            load_tagger(damaged)
        assert str(info.value).startswith(f"{damaged} is not a usable arabic-news ner model: its CRF")
        assert str(info.value).endswith(f"retrain it with `arabic-news actors train-ner --model {damaged}`")
    old = tmp_path / "ner_crf.joblib"  # the format of earlier versions: refused unopened
    joblib.dump(fitted, old, compress=3)
    with pytest.raises(ModelFileError, match=r"compressed joblib/pickle file \(the model format of earlier versions"):
        load_tagger(old)
    with pytest.raises(FileNotFoundError, match=r"ner_crf.joblib there is a pickle from an earlier version"):
        load_tagger(tmp_path / "ner_crf.model.zip")


def test_tagger_rejects_unknown_feature_group():
    with pytest.raises(ValueError, match="unknown feature groups"):
        NERTagger(feature_groups=("word", "bogus")).fit([["a"]], [["O"]])


# -- scoring -----------------------------------------------------------------------------------------------------

def test_entity_scores_exact_values():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PERS", "I-PERS", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    s = entity_scores(gold, pred)
    assert s["micro_f1"] == pytest.approx(0.3333, abs=1e-4)
    assert s["precision"] == pytest.approx(0.3333, abs=1e-4) and s["recall"] == pytest.approx(0.3333, abs=1e-4)
    assert s["support"] == 3 and s["n_pred"] == 3
    assert s["per_type"] == {"LOC": 0.0, "ORG": 0.0, "PERS": 1.0}
    assert s["per_type_support"] == {"LOC": 1, "ORG": 1, "PERS": 1}
    assert s["per_type_precision"] == {"LOC": 0.0, "ORG": 0.0, "PERS": 1.0}


def test_extract_entities():
    assert extract_entities(["قال", "محمد", "علي", "في", "بغداد"], ["O", "B-PERS", "I-PERS", "O", "B-LOC"]) == [
        ("PERS", 1, 3, "محمد علي"), ("LOC", 4, 5, "بغداد")]


def test_split_dev_is_seeded_blockwise_and_disjoint():
    sents = list(range(200))
    tr, dv = split_dev(sents, dev_fraction=0.1, seed=1)
    assert len(dv) == 20 and len(tr) == 180 and sorted(tr + dv) == sents
    assert dv == list(range(dv[0], dv[0] + 20))  # one contiguous block of 20
    assert split_dev(sents, dev_fraction=0.1, seed=1) == (tr, dv)
    small_tr, small_dv = split_dev(list(range(20)), dev_fraction=0.2, seed=0)
    assert len(small_dv) == 4 and len(small_tr) == 16


def test_train_and_evaluate_ner_files(tmp_path):
    data = _write_conll(tmp_path / "train.txt", _sentences())
    model = tmp_path / "models" / "ner.model.zip"
    res = train_ner(data, model, dev_fraction=0.2, seed=0, **SMALL)
    assert model.is_file() and res["model_bytes"] == model.stat().st_size
    assert res["n_train_sentences"] == 16 and res["n_dev_sentences"] == 4
    assert {"micro_f1", "precision", "recall", "per_type", "support"} <= set(res)
    saved = json.loads((tmp_path / "models" / "ner.model.zip.metrics.json").read_text(encoding="utf-8"))
    assert saved["micro_f1"] == res["micro_f1"]
    # evaluate on the first training sentences (held in): every entity is found
    gold = _write_conll(tmp_path / "gold.txt", _sentences()[:3], sep="\t")
    ev = evaluate_ner(gold, model)
    assert {"micro_f1", "precision", "recall", "per_type", "per_type_support", "support"} <= set(ev)
    assert ev["support"] == 6 and ev["per_type_support"] == {"LOC": 3, "ORG": 1, "PERS": 2}
    assert 0.0 <= ev["micro_f1"] <= 1.0
    json.dumps(ev)  # JSON-serialisable


# -- discovery ---------------------------------------------------------------------------------------------------

def test_candidate_key():
    assert candidate_key(["وبالعراق"]) == "العراق"
    assert candidate_key(["للاتصالات"]) == "الاتصالات"
    assert candidate_key(["وبغداد"]) == "وبغداد"  # without corpus counts a bare ب/و is kept
    counts = {"وبغداد": 1, "بغداد": 9, "غداد": 0, "وليد": 4, "ليد": 0}
    assert candidate_key(["وبغداد"], counts) == "بغداد"
    assert candidate_key(["وليد", "خالد"], counts) == "وليد خالد"
    assert candidate_key(["خالد", "يوسف", "،"]) == "خالد يوسف"


def test_discover_candidates_lists_unknown_names(fitted):
    texts = [" ".join(t for t, _ in s) for s in _sentences()]
    articles = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "title": ["", "", ""],
                             "body": [texts[0] + "\n" + texts[5], texts[1], texts[11]]})
    # sentences 0, 5, 11 hold محمد علي (twice in d1, once in d3); 1 holds سمير حسن and بغداد
    known = {"القاهره", "الرياض", "بغداد", "دمشق"}
    df = discover_candidates(articles, known, tagger=fitted, min_count=1)
    assert list(df.columns) == ["name", "type", "types", "count", "n_docs", "examples", "forms"]
    top = df.iloc[0]
    assert (top["name"], top["type"], top["count"], top["n_docs"]) == ("محمد علي", "PERS", 3, 2)
    assert len(top["examples"]) == 3
    assert "سمير حسن" in set(df["name"]) and not set(df["name"]) & known
    assert discover_candidates(articles, known, tagger=fitted, min_count=2)["name"].tolist() == ["محمد علي"]
    only_loc = discover_candidates(articles, set(), tagger=fitted, min_count=1, types=("LOC",))
    assert set(only_loc["type"]) == {"LOC"} and "بغداد" in set(only_loc["name"])
