import json
from pathlib import Path

import pandas as pd
import pytest

from arabic_news.cli import main

from .stance_fixtures import claim_frame, pair_frame, target_frame


def _last_json(capsys):
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_target_train_eval_round_trip(tmp_path, capsys):
    data = tmp_path / "mawqif.csv"
    target_frame().to_csv(data, index=False, encoding="utf-8-sig")
    model = tmp_path / "target.model.zip"
    assert main(["stance", "train", "--task", "target", "--data", str(data), "--out", str(model),
                 "--no-embeddings", "--C", "10", "--seed", "1"]) == 0
    trained = _last_json(capsys)
    assert trained["n_train"] == 15 and trained["class_counts"]["None"] == 3
    assert main(["stance", "eval", "--task", "target", "--model", str(model), "--data", str(data),
                 "--json", "--n-resamples", "50"]) == 0
    res = _last_json(capsys)
    assert res["n"] == 15
    assert {"macro_f1", "accuracy", "stanceeval", "f1_Favor", "f1_Against", "f1_None"} <= set(res)
    assert res["stanceeval"] > 0.9 and len(res["stanceeval_ci"]) == 2


def test_target_train_reads_the_sentiment_column(tmp_path, capsys):
    from arabic_news.stance.models import load_model

    df = pd.concat([target_frame()] * 2, ignore_index=True)  # >= 5 rows per sentiment class (5-fold stacking)
    df["sentiment"] = df["stance"].map({"Favor": "Positive", "Against": "Negative", "None": "Neutral"})
    data = tmp_path / "mawqif_sentiment.csv"
    df.to_csv(data, index=False, encoding="utf-8-sig")
    out = tmp_path / "target.model.zip"
    assert main(["stance", "train", "--task", "target", "--data", str(data), "--out", str(out),
                 "--no-embeddings"]) == 0  # the defaults: NB-weighted LR with sentiment stacking
    model, _ = load_model(out, task="target")
    assert model.classifier == "nbsvm" and model.sentiment_clf_ is not None
    assert main(["stance", "eval", "--task", "target", "--model", str(out), "--data", str(data),
                 "--json", "--n-resamples", "20"]) == 0
    assert _last_json(capsys)["n"] == 30
    plain = tmp_path / "plain.model.zip"
    assert main(["stance", "train", "--task", "target", "--data", str(data), "--out", str(plain),
                 "--no-embeddings", "--no-sentiment-stacking"]) == 0
    model, _ = load_model(plain, task="target")
    assert model.sentiment_features is False and getattr(model, "sentiment_clf_", None) is None
    capsys.readouterr()
    pairs = tmp_path / "ans.csv"
    pair_frame().to_csv(pairs, index=False)
    assert main(["stance", "train", "--task", "pair", "--data", str(pairs), "--out", str(tmp_path / "p.model.zip"),
                 "--no-sentiment-stacking"]) == 2
    assert "--no-sentiment-stacking applies to --task target only" in capsys.readouterr().err


def test_pair_and_claim_round_trip(tmp_path, capsys):
    pairs = tmp_path / "ans.csv"
    pair_frame().to_csv(pairs, index=False)
    assert main(["stance", "train", "--task", "pair", "--data", str(pairs), "--out", str(tmp_path / "p.model.zip"),
                 "--no-embeddings"]) == 0
    capsys.readouterr()
    assert main(["stance", "eval", "--task", "pair", "--model", str(tmp_path / "p.model.zip"), "--data", str(pairs),
                 "--json", "--n-resamples", "0"]) == 0
    res = _last_json(capsys)
    assert {"f1_agree", "f1_disagree", "f1_other"} <= set(res) and res["n"] == 11

    claims = tmp_path / "pairs.jsonl"
    claim_frame().to_json(claims, orient="records", lines=True, force_ascii=False)
    assert main(["stance", "train", "--task", "claim", "--data", str(claims), "--out", str(tmp_path / "c.model.zip"),
                 "--no-embeddings"]) == 0
    capsys.readouterr()
    assert main(["stance", "eval", "--task", "claim", "--model", str(tmp_path / "c.model.zip"), "--data", str(claims),
                 "--json", "--n-resamples", "20"]) == 0
    res = _last_json(capsys)
    assert {"f1_agree", "f1_disagree", "f1_discuss", "f1_unrelated"} <= set(res) and res["n"] == 10


def test_cli_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,stance\nأؤيد,Favor\n", encoding="utf-8")
    assert main(["stance", "train", "--task", "target", "--data", str(bad),
                 "--out", str(tmp_path / "m.model.zip")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "missing column 'target'" in err and str(bad) in err
    data = tmp_path / "ok.csv"
    pair_frame().to_csv(data, index=False)
    assert main(["stance", "eval", "--task", "pair", "--model", str(tmp_path / "none.model.zip"), "--data", str(data),
                 "--json"]) == 2
    assert "no such model file" in capsys.readouterr().err


def _tiny_corpus(folder):
    import pandas as pd

    folder.mkdir()
    pd.DataFrame({
        "doc_id": ["a1", "a2", "a3"], "title": ["", "", ""], "source": ["okaz", "okaz", "alriyadh"],
        "date": pd.to_datetime(["2015-07-01", "2015-07-02", "2015-08-01"]),
        "body": ["أكد مسؤول أن الحكومة أعلنت رفع أسعار الوقود هذا الأسبوع. وقالت إيران إن الاتفاق نجاح كبير.",
                 "نفت الحكومة أنها أعلنت رفع أسعار الوقود ووصفت الخبر بأنه شائعة. الهجوم على إيران فشل.",
                 "فاز المنتخب في مباراة كرة القدم. وتحدثت الصحف عن الطقس."],
    }).to_parquet(folder / "articles.parquet")
    return folder


def test_track_and_tone_commands(tmp_path, capsys):
    corpus = _tiny_corpus(tmp_path / "corpus")
    claims_data = tmp_path / "pairs.jsonl"
    claim_frame().to_json(claims_data, orient="records", lines=True, force_ascii=False)
    model = tmp_path / "c.model.zip"
    assert main(["stance", "train", "--task", "claim", "--data", str(claims_data), "--out", str(model),
                 "--no-embeddings", "--C", "10"]) == 0
    # a corpus where the two fuel articles are short, clear matches (the calibrated cut-off is about 1.0: an
    # average-length article naming each claim term once)
    track_corpus = tmp_path / "track_corpus"
    track_corpus.mkdir()
    pd.DataFrame({
        "doc_id": ["a1", "a2", "a3", "a4"], "title": ["", "", "", ""], "source": ["okaz", "okaz", "alriyadh", "okaz"],
        "date": pd.to_datetime(["2015-07-01", "2015-07-02", "2015-08-01", "2015-08-02"]),
        "body": ["الحكومة أعلنت رفع أسعار الوقود.", "نفت الحكومة أنها أعلنت رفع أسعار الوقود.",
                 "فاز المنتخب في مباراة كرة القدم.",
                 "تحدثت الصحف عن الطقس الحار في المدن الساحلية وعن موسم الصيف والإجازات والسفر إلى الخارج "
                 "وعن الرحلات الجوية والفنادق والمهرجانات الصيفية في المنطقة."],
    }).to_parquet(track_corpus / "articles.parquet")
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": "fuel", "claim": "الحكومة أعلنت رفع أسعار الوقود"}\n'
                      '{"id": "old", "claim": "الحكومة أعلنت رفع أسعار الخبز", '
                      '"period": {"start": "2001-01-01", "end": "2001-12-31"}}\n', encoding="utf-8")
    capsys.readouterr()
    # thresholds and cut-off from the toy pairs' folds (beside the model file, computed on first use)
    argv = ["stance", "track", str(track_corpus), "--claims", str(claims), "--model", str(model), "--out",
            str(tmp_path / "track"), "--calibration-data", str(claims_data), "--min-support", "1", "--precision",
            "0.5", "--json"]
    assert main(argv) == 0
    res = _last_json(capsys)
    assert res["n_claims"] == 2 and res["n_applied"] == 1  # the 2001 claim is not applied to a 2015 corpus
    notes = [n for n in res["period_notes"] if "not applied" in n]
    assert len(notes) == 1 and "2001-01-01 to 2001-12-31" in notes[0] and "2015-07-01 to 2015-08-02" in notes[0]
    assert any("states no period" in n for n in res["period_notes"])  # the other claim applies, said so
    assert Path(res["thresholds"]).is_file()
    by_claim = pd.read_csv(tmp_path / "track" / "claims_by_claim.csv")
    matches = pd.read_csv(tmp_path / "track" / "claims_matches.csv")
    assert set(matches["doc_id"]) == {"a1", "a2"}  # a3 and a4 share no word with the claim
    assert (matches["retrieval_score"] >= res["retrieval_cutoff"]).all()
    fuel = by_claim.set_index("claim_id").loc["fuel"]
    assert fuel["n_classified"] == len(matches) == res["n_rows"]
    assert fuel["n_related"] == (matches["stance"] != "unrelated").sum()
    assert (tmp_path / "track" / "claims_by_outlet.csv").is_file() and (tmp_path / "track" / "claims_by_day.csv").is_file()

    from arabic_news.corpus import DatasetNotAvailable, dataset_path

    try:
        dataset_path("sentiment_lexicons")
    except DatasetNotAvailable:
        pytest.skip("sentiment_lexicons dataset not available (stance tone reads it at run time)")
    mentions = tmp_path / "mentions.csv"
    mentions.write_text("doc_id,sentence,actor_id\na1,1,iran\na2,1,iran\nzz,0,iran\n", encoding="utf-8")
    assert main(["stance", "tone", str(corpus), "--out", str(tmp_path / "tone"), "--mentions", str(mentions),
                 "--json"]) == 0
    res = _last_json(capsys)
    assert res["n_mentions"] == 3 and res["n_scored"] == 2  # the unknown doc is reported, not dropped
    assert (tmp_path / "tone" / "tone_by_outlet.csv").is_file()


def test_split_writes_seeded_stratified_files(tmp_path, capsys):
    data = tmp_path / "mawqif.csv"
    target_frame().to_csv(data, index=False, encoding="utf-8-sig")
    assert main(["stance", "split", "--task", "target", "--data", str(data), "--out-dir", str(tmp_path / "s"),
                 "--dev-fraction", "0.5", "--seed", "3"]) == 0
    res = _last_json(capsys)
    assert res["n_train"] + res["n_dev"] == 15
    from arabic_news.stance.data import read_mawqif

    train, dev = read_mawqif(res["train"]), read_mawqif(res["dev"])
    # each (target, None) stratum is a singleton: it stays in train, and "None" survives the CSV round trip
    assert (train["stance"] == "None").sum() == 3 and "None" not in set(dev["stance"])
    assert len(dev) == 6  # half of each of the 6 (target, Favor/Against) strata of size 2
