"""get_or_train_model: the corpus analysis uses the full claim model, trained once on all of the training data
(with an estimate logged first and a progress bar over the stages), saved in MODELS_DIR and loaded by every later
call; never a capped model."""
from __future__ import annotations

import gzip
import json
import logging
import re

import pytest

from arabic_news import config
from arabic_news.stance import models
from arabic_news.stance.models import ClaimStanceModel, ModelFileError, get_or_train_model, save_model

from .stance_fixtures import claim_frame

#: settings for the ten-row fixture (the class defaults need more data; the code path is the same)
TINY = {"use_embeddings": False, "min_df": 1, "C": 10.0, "k": 1, "related_classifier": "lr"}


@pytest.fixture()
def tiny_claims(tmp_path, monkeypatch):
    """Baly et al.'s file replaced by the ten hand-written pairs; models go to a fresh MODELS_DIR."""
    raw = tmp_path / "raw"
    folder = raw / "unifiedfc_stance"
    folder.mkdir(parents=True)
    with gzip.open(folder / "unifiedfc_pairs.jsonl.gz", "wt", encoding="utf-8") as fh:
        for rec in claim_frame().to_dict(orient="records"):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    monkeypatch.setattr(config, "RAW_DIR", raw)
    monkeypatch.setattr(config, "MODELS_DIR", tmp_path / "models")
    monkeypatch.setitem(models.FULL_MODEL_PARAMS, "claim", TINY)
    return tmp_path / "models" / "stance_claim.model.zip"


def test_first_call_trains_on_all_rows_with_estimate_and_progress(tiny_claims, caplog, capsys):
    with caplog.at_level(logging.INFO, logger="arabic_news.stance.models"):
        model, origin = get_or_train_model("claim", seed=7, progress=True)
    n = len(claim_frame())
    assert tiny_claims.is_file()
    assert origin.startswith(f"full model trained now on all {n} rows")
    estimate = [r.getMessage() for r in caplog.records if "about" in r.getMessage()]
    assert len(estimate) == 1
    assert f"on all {n} rows of unifiedfc_pairs.jsonl.gz" in estimate[0]
    assert re.search(r"about \d+ s here", estimate[0])
    assert f"{models.SECONDS_PER_TRAINING_ROW['claim']:.3f} CPU-s per training row" in estimate[0]
    err = capsys.readouterr().err
    assert "claim stance model" in err and "3/3" in err           # the progress bar reached its last stage
    payload = models.load_model(tiny_claims, task="claim")[1]
    assert payload["meta"]["n_train"] == n and "capped" not in payload["meta"]
    assert sorted(model.classes_) == ["agree", "disagree", "discuss", "unrelated"]


def test_later_calls_load_the_saved_model_and_never_train(tiny_claims, monkeypatch, caplog):
    get_or_train_model("claim", progress=False)
    stamp = tiny_claims.stat().st_mtime_ns

    def no_training(*args, **kwargs):
        raise AssertionError("a saved full model must be loaded, not retrained")

    monkeypatch.setattr(models, "train_full_model", no_training)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="arabic_news.stance.models"):
        model, origin = get_or_train_model("claim")
    assert origin == f"saved full model stance_claim.model.zip (trained on {len(claim_frame())} rows)"
    assert tiny_claims.stat().st_mtime_ns == stamp
    assert not [r for r in caplog.records if "training the full" in r.getMessage()]
    assert isinstance(model, ClaimStanceModel)


def test_a_capped_model_in_models_dir_is_refused(tiny_claims):
    df = claim_frame()
    capped = ClaimStanceModel(**TINY).fit(df[["claim", "article"]], df["stance"])
    save_model(capped, tiny_claims, task="claim", meta={"n_train": 6, "capped": 6, "seed": 42})
    with pytest.raises(ModelFileError, match="holds a capped model .*delete it and rerun"):
        get_or_train_model("claim")


def test_estimate_is_cpu_time_per_row_stretched_by_the_load():
    per_row = models.SECONDS_PER_TRAINING_ROW["claim"]
    assert models.training_estimate("claim", 1000, load=0.0, cpus=2) == pytest.approx(1000 * per_row)
    assert models.training_estimate("claim", 1000, load=7.0, cpus=2) == pytest.approx(4000 * per_row)


def test_no_capped_training_parameter_left():
    import inspect

    assert "max_rows" not in inspect.signature(get_or_train_model).parameters
