"""camel-tools morphology path: detection without importing camel_tools.data, and a hand-made database fixture.

The fixture in tests/text/fixtures/camel_data/ is written by hand in camel-tools' database format: a stub
catalogue.json, data/morphology_db/calima-msa-r13/morphology.db (6 prefixes, 2 suffixes, 8 stems incl. the
NOAN backoff stem, compatibility tables) and data/disambig_mle/calima-msa-r13/model.json (an MLE entry that
prefers the noun كُتُب "books" for كتب over the verb كَتَبَ, which the pos-lex log-probabilities prefer).
camel-tools reads CAMELTOOLS_DATA when camel_tools.data is first imported, so the camel path runs in a
subprocess with CAMELTOOLS_DATA (and HOME) pointed at the fixture / a temporary folder.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from arabic_news.text import CamelDataNotFound, get_analyzer
from arabic_news.text.camel_data import camel_data_dir, find_camel_data

FIXTURE = Path(__file__).parent / "fixtures" / "camel_data"

SCRIPT = r"""
import json, sys
from pathlib import Path
from arabic_news.text import get_analyzer, ArabicPreprocessor
from arabic_news.text.analysis_cache import AnalysisCache
words = json.loads(sys.argv[1])
cached = get_analyzer("camel", cache_dir=sys.argv[2])
cached.analyze_types(words)
(cache_file,) = Path(sys.argv[2]).glob("camel-*.sqlite")
lex = get_analyzer("camel")
stem = get_analyzer("camel", feature="stem")
pre = ArabicPreprocessor(stemmer="camel", remove_stopwords=False, min_token_len=1)
out = {
    "lex": {w: lex.analyze(w) for w in words},
    "stem": {w: stem.analyze(w) for w in words},
    "pos": {w: (lex.analysis(w) or {}).get("pos") for w in words},
    "mle": str(lex.data.mle_path) if lex.data.mle_path else None,
    "pre": pre.fit_transform(["والمدرسة كتب، وقال الوزراء!"]),
    "catalogue_loaded": "camel_tools.data" in sys.modules,
    "cache": AnalysisCache(cache_file).get_many(words),
}
print(json.dumps(out, ensure_ascii=False))
"""
WORDS = ["كتب", "الوزراء", "وزير", "المدرسة", "والمدرسة", "بالمدرسة", "قال", "وقال", "زير", "واشنطن", "A380"]


def _run(data_dir: Path, home: Path) -> dict:
    env = {**os.environ, "CAMELTOOLS_DATA": str(data_dir), "HOME": str(home)}
    cache_dir = home / "analysis_cache"
    args = [sys.executable, "-c", SCRIPT, json.dumps(WORDS, ensure_ascii=False), str(cache_dir)]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_camel_backend_with_hand_made_database_and_mle_model(tmp_path):
    out = _run(FIXTURE, tmp_path)
    assert out["mle"] is not None and out["mle"].endswith("model.json")
    assert out["lex"] == {
        "كتب": "كتاب",        # the MLE model picks the noun كُتُب (lemma كِتاب)
        "الوزراء": "وزير",
        "وزير": "وزير",       # not و + زير: وَزِير has the better pos-lex log-probability
        "المدرسة": "مدرسه",
        "والمدرسة": "مدرسه",
        "بالمدرسة": "مدرسه",
        "قال": "قال",
        "وقال": "قال",
        "زير": "زير",
        "واشنطن": "واشنطن",   # NOAN_PROP backoff: proper noun, lemma = the word
        "A380": "A380",
    }
    assert out["stem"]["الوزراء"] == "وزراء" and out["stem"]["والمدرسة"] == "مدرسه"
    assert out["pos"]["كتب"] == "noun" and out["pos"]["وقال"] == "verb" and out["pos"]["واشنطن"] == "noun_prop"
    assert out["pre"] == [["مدرسه", "كتاب", "قال", "وزير"]]
    assert out["catalogue_loaded"] is True
    assert out["cache"] == out["lex"]   # the persistent cache holds the same analyses


def test_camel_backend_without_mle_model_uses_pos_lex_ranking(tmp_path):
    data = tmp_path / "camel"
    shutil.copytree(FIXTURE, data)
    (data / "data" / "disambig_mle" / "calima-msa-r13" / "model.json").unlink()
    out = _run(data, tmp_path)
    assert out["mle"] is None
    assert out["lex"]["كتب"] == "كتب"     # the verb كَتَب wins on pos_lex_logprob (-3.5 > -4.0)
    assert out["pos"]["كتب"] == "verb"
    assert out["lex"]["الوزراء"] == "وزير"


def test_missing_data_is_a_clear_error_and_never_imports_camel_catalogue(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "nothing"))
    assert camel_data_dir() == tmp_path / "nothing"
    before = "camel_tools.data" in sys.modules
    with pytest.raises(CamelDataNotFound, match=r"no .*catalogue\.json.*camel_data -i morphology-db-msa-r13"):
        get_analyzer("camel").analyze("كتب")
    assert ("camel_tools.data" in sys.modules) == before  # nothing tried to load (download) the catalogue


def test_incomplete_installation_names_the_missing_file(monkeypatch, tmp_path):
    shutil.copy(FIXTURE / "catalogue.json", tmp_path / "catalogue.json")
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    with pytest.raises(CamelDataNotFound, match=r"'calima-msa-r13' not installed: no .*morphology\.db"):
        find_camel_data()
    with pytest.raises(CamelDataNotFound, match="not a camel-tools catalogue"):
        find_camel_data("calima-egy-r13")
    monkeypatch.setenv("CAMELTOOLS_DATA", str(FIXTURE))
    found = find_camel_data()
    assert found.db_name == "calima-msa-r13" and found.db_path.is_file() and found.mle_path.is_file()


def test_default_data_dir_is_home_camel_tools(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMELTOOLS_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert camel_data_dir() == tmp_path / ".camel_tools"
