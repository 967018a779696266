import gzip
import json

import pandas as pd
import pytest

from arabic_news.stance.data import (
    StanceDataError,
    mawqif_dev_split,
    read_ans,
    read_claim_pairs,
    read_mawqif,
    read_task_data,
    stratified_dev_split,
)


def _write(path, text, bom=False):
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
    return path


def test_mawqif_keeps_none_label_and_bom(tmp_path):
    p = _write(tmp_path / "m.csv", "ID,text,target,stance,sentiment\n"
               "1,أؤيد القرار,Covid Vaccine,Favor,Positive\n"
               "2,الجو حار,Covid Vaccine,None,Neutral\n"
               "3,أرفض القرار,Covid Vaccine,Against,Negative\n", bom=True)
    df = read_mawqif(p)
    assert df.columns[0] == "ID"  # BOM stripped
    assert df["stance"].tolist() == ["Favor", "None", "Against"]
    assert df["stance"].isna().sum() == 0
    assert df["sentiment"].tolist() == ["Positive", "Neutral", "Negative"]


def test_missing_column_error_names_file_and_column(tmp_path):
    p = _write(tmp_path / "bad.csv", "text,stance\nأؤيد,Favor\n")
    with pytest.raises(StanceDataError) as exc:
        read_mawqif(p)
    msg = str(exc.value)
    assert str(p) in msg and "'target'" in msg and "\n" not in msg


def test_missing_stance_allowed_without_labels(tmp_path):
    p = _write(tmp_path / "blind.csv", "ID,text,target\n1,أؤيد,Covid Vaccine\n")
    assert read_mawqif(p, require_labels=False)["text"].tolist() == ["أؤيد"]
    with pytest.raises(StanceDataError, match="missing column 'stance'"):
        read_mawqif(p)


def test_unknown_label_is_an_error(tmp_path):
    p = _write(tmp_path / "a.csv", "s1,s2,stance\nأ,ب,agree\nج,د,maybe\n")
    with pytest.raises(StanceDataError, match=r"1 rows have unknown 'stance' labels \['maybe'\]"):
        read_ans(p)


def test_empty_rows_are_counted_not_lost(tmp_path):
    p = _write(tmp_path / "a.csv", 's1,s2,stance\nأ,ب,agree\n"",د,disagree\n')
    df = read_ans(p)
    assert len(df) == 1 and df.attrs["n_skipped"] == 1


def test_claim_pairs_jsonl_and_gz(tmp_path):
    rows = [{"pair_id": "R-1_0", "claim_id": "R-1", "fold": "Fold_1", "claim": "ادعاء", "article": "مقال",
             "stance": "agree"},
            {"pair_id": "R-1_1", "claim_id": "R-1", "fold": "Fold_1", "claim": "ادعاء", "article": "نص",
             "stance": "unrelated"}]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    plain = tmp_path / "p.jsonl"
    plain.write_text(text, encoding="utf-8")
    gz = tmp_path / "p.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(text)
    for path in (plain, gz):
        df = read_task_data("claim", path)
        assert df["stance"].tolist() == ["agree", "unrelated"]
        assert df["fold"].tolist() == ["Fold_1", "Fold_1"]


def test_claim_pairs_missing_key_and_bad_json(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text(json.dumps({"claim": "ا", "stance": "agree"}) + "\n", encoding="utf-8")
    with pytest.raises(StanceDataError, match="missing column 'article'"):
        read_claim_pairs(p)
    p.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(StanceDataError, match="line 1 is not valid JSON"):
        read_claim_pairs(p)


def test_stratified_split_is_seeded_and_stratified():
    df = pd.DataFrame({"target": ["a"] * 10 + ["b"] * 10,
                       "stance": (["Favor"] * 5 + ["Against"] * 5) * 2, "text": [str(i) for i in range(20)]})
    tr1, dev1 = mawqif_dev_split(df, dev_fraction=0.2, seed=1)
    tr2, dev2 = mawqif_dev_split(df, dev_fraction=0.2, seed=1)
    assert dev1["text"].tolist() == dev2["text"].tolist()
    assert len(dev1) == 4 and len(tr1) == 16  # one row from each of the 4 strata
    assert dev1.groupby(["target", "stance"]).size().tolist() == [1, 1, 1, 1]
    assert set(tr1["text"]).isdisjoint(dev1["text"])
    _, dev3 = stratified_dev_split(df, by=("stance",), dev_fraction=0.2, seed=2)
    assert len(dev3) == 4
