"""Every command that takes --model treats the file as data: a hostile or unusable file gets one error line naming
it and the fix, exit status 2, and nothing inside it runs (a pickle/joblib payload would create a marker file)."""
from __future__ import annotations

import json
import os
import pickle
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from arabic_news.actors.ner import NERTagger, save_tagger, split_tokens_tags
from arabic_news.cli import main
from arabic_news.stance.models import ClaimStanceModel, TargetStanceModel, save_model

ROOT = Path(__file__).resolve().parents[2]
CONLL = "قال O\nالرئيس O\nمحمد B-PERS\nعلي I-PERS\nفي O\nبغداد B-LOC\n. O\n\n" \
        "زار O\nالوزير O\nسمير B-PERS\nحسن I-PERS\nدمشق B-LOC\n. O\n"


class Payload:
    """Unpickling this runs ``touch MARKER`` (what a malicious model file does)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {shlex.quote(str(self.marker))}",)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Valid models of each kind and the data files the commands need."""
    root = tmp_path_factory.mktemp("model_cli")
    target = pd.DataFrame({"text": ["أؤيد القرار", "أرفض القرار", "قرار رائع", "قرار سيئ"],
                           "target": ["Covid Vaccine"] * 4, "stance": ["Favor", "Against", "Favor", "Against"]})
    target.to_csv(root / "target.csv", index=False)
    m = TargetStanceModel(use_embeddings=False, min_df=1, classifier="lr").fit(target[["text", "target"]],
                                                                                target["stance"])
    claims = pd.DataFrame({"claim": ["الحكومة رفعت أسعار الوقود"] * 4,
                           "article": ["أكدت الحكومة رفع أسعار الوقود.", "نفت الحكومة رفع أسعار الوقود.",
                                       "فاز الفريق في المباراة.", "أكدت الحكومة رفع الأسعار."],
                           "stance": ["agree", "disagree", "unrelated", "agree"]})
    c = ClaimStanceModel(use_embeddings=False, min_df=1, k=1, related_classifier="lr").fit(
        claims[["claim", "article"]], claims["stance"])
    (root / "claims.csv").write_text("id,claim\nfuel,الحكومة رفعت أسعار الوقود\n", encoding="utf-8")
    corpus = root / "corpus"
    corpus.mkdir()
    pd.DataFrame({"doc_id": ["a1"], "title": ["خبر"], "body": ["قال الرئيس محمد علي في بغداد إن الحكومة رفعت الأسعار."],
                  "source": ["okaz"], "date": pd.to_datetime(["2015-07-01"])}).to_parquet(corpus / "articles.parquet")
    (root / "gold.conll").write_text(CONLL, encoding="utf-8")
    sents = [[tuple(line.split()) for line in block.splitlines()] for block in CONLL.strip().split("\n\n")]
    X, y = split_tokens_tags(sents)
    tagger = NERTagger(feature_groups=("word",), name_sources=(), clusters=None, max_iterations=20).fit(X, y)
    return {"root": root, "target_model": save_model(m, root / "target.model.zip", task="target"),
            "claim_model": save_model(c, root / "claim.model.zip", task="claim"),
            "ner_model": save_tagger(tagger, root / "ner.model.zip"), "corpus": corpus}


def _commands(inputs, model: Path) -> dict[str, list[str]]:
    r = inputs["root"]
    return {
        "stance eval": ["stance", "eval", "--task", "target", "--model", str(model), "--data", str(r / "target.csv")],
        "stance track": ["stance", "track", str(inputs["corpus"]), "--claims", str(r / "claims.csv"), "--model",
                         str(model), "--out", str(r / "track_out")],
        "actors eval-ner": ["actors", "eval-ner", "--data", str(r / "gold.conll"), "--model", str(model)],
        "actors discover": ["actors", "discover", str(inputs["corpus"]), "--model", str(model), "--min-count", "1"],
    }


def _hostile_files(folder: Path, marker: Path, base: Path) -> dict[str, Path]:
    """Hostile or unusable files; the archives among them are made from the valid model file *base*."""
    import joblib

    folder.mkdir()
    files = {
        "pickle": pickle.dumps(Payload(marker), protocol=pickle.HIGHEST_PROTOCOL),
        "pickle_protocol0": pickle.dumps(Payload(marker), protocol=0),  # plain ASCII
        "text": "هذا ملف نصي وليس نموذجا\n".encode(),
        "empty": b"",
        "truncated_zip": base.read_bytes()[:400],
    }
    out = {name: folder / f"{name}.model.zip" for name in files}
    for name, data in files.items():
        out[name].write_bytes(data)
    out["joblib"] = folder / "ner_crf.joblib"
    joblib.dump(Payload(marker), out["joblib"], compress=3)  # the NER format of earlier versions
    out["joblib_raw"] = folder / "raw.joblib"
    joblib.dump(Payload(marker), out["joblib_raw"])
    with zipfile.ZipFile(base) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    out["newer_version"] = folder / "newer.model.zip"
    with zipfile.ZipFile(out["newer_version"], "w") as zf:
        zf.writestr("manifest.json", json.dumps({**manifest, "format_version": 99}))
        zf.writestr("state.json", members["state.json"])
        zf.writestr("arrays.npz", members["arrays.npz"])
    out["json_manifest"] = folder / "manifest.json"
    out["json_manifest"].write_bytes(members["manifest.json"])
    out["forged_class"] = folder / "forged.model.zip"  # a valid archive naming a class outside the allow-list
    forged_state = json.dumps({"$object": "posix.system", "id": 0, "state": {"$dict": {"cmd": f"touch {marker}"}}})
    with zipfile.ZipFile(out["forged_class"], "w") as zf:
        for member, content in members.items():
            zf.writestr(member, forged_state if member == "state.json" else content)
    return out


def test_the_payload_is_live(tmp_path):
    """The hostile pickle and joblib files really run their payload when unpickled (so the tests below mean it)."""
    import joblib

    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.exists()
    marker.unlink()
    joblib.dump(Payload(marker), tmp_path / "p.joblib", compress=3)
    joblib.load(tmp_path / "p.joblib")
    assert marker.exists()


def _assert_one_line(err: str, path: Path, command: str) -> str:
    line = err.strip()
    assert line and "\n" not in line, err
    assert "Traceback" not in line and line.startswith(f"arabic-news {command}: error: ")
    assert str(path) in line
    return line


@pytest.mark.parametrize("command", ["stance eval", "stance track", "actors eval-ner", "actors discover"])
def test_hostile_and_unusable_model_files_are_refused_unopened(command, inputs, tmp_path, capsys):
    marker = tmp_path / "pwned_marker"
    base = inputs["target_model"] if command.startswith("stance") else inputs["ner_model"]
    hostile = _hostile_files(tmp_path / "hostile", marker, base)
    fixes = {"stance": "retrain it with `arabic-news stance train --task", "actors": "arabic-news actors train-ner"}
    for name, path in hostile.items():
        capsys.readouterr()
        code = main(_commands(inputs, path)[command])
        err = capsys.readouterr().err
        assert code == 2, (name, err)
        line = _assert_one_line(err, path, command)
        assert fixes[command.split()[0]] in line or "upgrade arabic-news" in line, (name, line)
        assert not marker.exists(), f"{name}: the payload ran"
    assert "a pickle (the model format of earlier versions" in _run_line(inputs, hostile["pickle"], command, capsys)
    assert "compressed joblib/pickle file" in _run_line(inputs, hostile["joblib"], command, capsys)
    assert "'posix.system', which is not in the allow-list" in _run_line(inputs, hostile["forged_class"], command,
                                                                          capsys)


def _run_line(inputs, path, command, capsys) -> str:
    capsys.readouterr()
    assert main(_commands(inputs, path)[command]) == 2
    return capsys.readouterr().err.strip()


def test_models_of_another_kind_or_task_are_refused(inputs, capsys):
    stance_for_ner = _run_line(inputs, inputs["target_model"], "actors eval-ner", capsys)
    assert "is an arabic-news 'stance' model, not a ner model" in stance_for_ner
    assert "is an arabic-news 'stance' model, not a ner model" in _run_line(
        inputs, inputs["claim_model"], "actors discover", capsys)
    assert "is an arabic-news 'ner' model, not a stance model" in _run_line(
        inputs, inputs["ner_model"], "stance eval", capsys)
    assert "trained for --task target, not --task claim" in _run_line(inputs, inputs["target_model"], "stance track",
                                                                      capsys)
    capsys.readouterr()
    assert main(["stance", "eval", "--task", "pair", "--model", str(inputs["claim_model"]),
                 "--data", str(inputs["root"] / "target.csv")]) == 2
    assert "trained for --task claim, not --task pair" in capsys.readouterr().err


def _hand_made_reliability(model_path: Path) -> None:
    """Thresholds and cut-off written beside a tiny claim model by hand (the real ones come from a cross-validation
    over Baly et al.'s 3,042 pairs: minutes), so that `stance track` uses them instead of computing them."""
    from arabic_news.stance.calibration import ClaimReliability, model_file_sha256, write_reliability
    from arabic_news.stance.reliability import ReliabilityThresholds

    entry = {"threshold": 0.3, "precision": 0.8, "recall": 0.5, "n_predicted": 25, "reached": True, "coverage": 0.4}
    write_reliability(ClaimReliability(
        thresholds=ReliabilityThresholds(precision_target=0.7, min_support=20, related=entry,
                                         labels={"agree": entry, "disagree": entry, "discuss": entry},
                                         n_pairs=100, coverage=0.8, source={"protocol": "hand-made for this test"}),
        cutoff={"cutoff": 0.1, "recall_target": 0.9, "recall": 0.9, "unrelated_passing": 0.5},
        model_sha256=model_file_sha256(model_path), cv={}), model_path)


def test_valid_models_still_work(inputs, capsys):
    assert main(_commands(inputs, inputs["target_model"])["stance eval"] + ["--json", "--n-resamples", "0"]) == 0
    _hand_made_reliability(inputs["claim_model"])
    assert main(_commands(inputs, inputs["claim_model"])["stance track"] + ["--json"]) == 0
    assert main(_commands(inputs, inputs["ner_model"])["actors eval-ner"]) == 0
    assert main(_commands(inputs, inputs["ner_model"])["actors discover"] + ["--json"]) == 0


@pytest.mark.parametrize("command", ["stance eval", "actors discover"])
def test_the_installed_command_refuses_a_malicious_pickle(command, inputs, tmp_path):
    """The real entry point in a fresh process: exit 2, one stderr line, and the payload never runs."""
    marker = tmp_path / "pwned_subprocess"
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(Payload(marker), protocol=pickle.HIGHEST_PROTOCOL))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "arabic_news.cli", *_commands(inputs, path)[command]],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 2, proc.stderr
    _assert_one_line(proc.stderr, path, command)
    assert not marker.exists()
