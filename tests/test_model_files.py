"""Model files are data, never code: arabic_news.model_files writes JSON + NumPy arrays and reads them back through
an allow-list; pickles, foreign classes and damaged archives are refused with one line."""
from __future__ import annotations

import collections
import datetime as dt
import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from arabic_news.model_files import (
    FORMAT_VERSION,
    ModelFileError,
    qualified_name,
    read_model_file,
    write_model_file,
)

TEXTS = ["ارتفعت أسعار النفط اليوم", "فاز الهلال في الدوري", "أسعار النفط تتراجع", "الهلال يتصدر الدوري"]
LABELS = ["اقتصاد", "رياضة", "اقتصاد", "رياضة"]
ALLOWED = [TfidfVectorizer, TfidfTransformer, LogisticRegression]


class Holder:
    """A plain class with an attribute dict (stands for a project estimator)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _fitted():
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(TEXTS)
    clf = LogisticRegression(C=10.0).fit(vec.transform(TEXTS), LABELS)
    return vec, clf


def _rewrite(path: Path, out: Path, **replace: bytes) -> Path:
    """A copy of the archive at *path* with some members replaced."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, replace.get(name.replace(".", "_"), src.read(name)))
    return out


def test_round_trip_of_a_fitted_pipeline_gives_identical_probabilities(tmp_path):
    vec, clf = _fitted()
    holder = Holder(vec=vec, clf=clf, same=clf, names=np.array(["a", "b"], dtype=object), n=3)
    path = write_model_file(tmp_path / "m.zip", holder, kind="test", allowed=ALLOWED + [Holder],
                            meta={"task": "demo", "sizes": (1, 2)})
    back, manifest, extra = read_model_file(path, kind="test", allowed=ALLOWED + [Holder], fix="retrain it")
    new_text = ["أسعار النفط في الدوري"]
    np.testing.assert_array_equal(back.clf.predict_proba(back.vec.transform(new_text)),
                                  clf.predict_proba(vec.transform(new_text)))
    assert back.same is back.clf  # shared references stay shared
    assert back.names.dtype == object and back.names.tolist() == ["a", "b"]
    assert manifest["kind"] == "test" and manifest["format_version"] == FORMAT_VERSION
    assert manifest["meta"] == {"task": "demo", "sizes": [1, 2]} and extra == {}
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # like any file the user writes
    assert [p.name for p in tmp_path.iterdir()] == ["m.zip"]  # no temporary file left behind
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["arrays.npz", "manifest.json", "state.json"]
        with np.load(io.BytesIO(zf.read("arrays.npz")), allow_pickle=False) as npz:
            assert all(npz[name].dtype != object for name in npz.files)


def test_every_supported_value_type_survives(tmp_path):
    rng = np.random.default_rng(3)
    rng.random()
    legacy = np.random.RandomState(5)
    legacy.random_sample()
    value = {
        "tuple": (1, 2.5, "ث"), "set": {3, 1}, "frozen": frozenset({"ب", "ا"}), "none": None, "nan": float("nan"),
        "int_keys": {1: "one", (2, 3): "pair"}, "counter": collections.Counter({"نفط": 2}),
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]), "scalar": np.float32(1.5), "i64": np.int64(7),
        "str_scalar": np.str_("س"), "dtype": np.dtype("float32"), "type": np.float64, "date": dt.date(2015, 7, 1),
        "path": Path("a/b"), "bytes": b"\x00\xff", "u": np.array(["أ", "ب"]), "m": np.arange(6).reshape(2, 3),
        "csr": sp.random(5, 4, density=0.4, format="csr", random_state=1), "coo": sp.coo_matrix(np.eye(3)),
        "rng": rng, "legacy": legacy, "nested": [[1, "x"], {"k": (None,)}],
        "vocab": {f"كلمة{i}": np.int64(i) for i in range(20)},  # stored as keys + one array
    }
    path = write_model_file(tmp_path / "v.zip", value, kind="test", allowed=[])
    back, _, _ = read_model_file(path, kind="test", allowed=[], fix="x")
    assert back["tuple"] == (1, 2.5, "ث") and back["set"] == {1, 3} and back["frozen"] == frozenset({"ا", "ب"})
    assert np.isnan(back["nan"]) and back["int_keys"] == {1: "one", (2, 3): "pair"}
    assert type(back["counter"]) is collections.Counter and back["counter"]["نفط"] == 2
    assert list(back["ordered"]) == ["b", "a"]
    assert back["scalar"] == np.float32(1.5) and type(back["scalar"]) is np.float32 and type(back["i64"]) is np.int64
    assert back["str_scalar"] == "س" and back["dtype"] == np.dtype("float32") and back["type"] is np.float64
    assert back["date"] == dt.date(2015, 7, 1) and back["path"] == Path("a/b") and back["bytes"] == b"\x00\xff"
    np.testing.assert_array_equal(back["u"], value["u"])
    np.testing.assert_array_equal(back["m"], value["m"])
    assert (back["csr"] != value["csr"]).nnz == 0 and back["csr"].format == "csr"
    assert (back["coo"] != value["coo"]).nnz == 0
    assert back["rng"].random() == rng.random() and back["legacy"].random_sample() == legacy.random_sample()
    assert back["nested"] == [[1, "x"], {"k": (None,)}]
    assert back["vocab"] == value["vocab"] and {type(v) for v in back["vocab"].values()} == {np.int64}
    state = json.loads(zipfile.ZipFile(path).read("state.json"))
    assert state["$dict"]["vocab"]["$keyed"][:2] == ["كلمة0", "كلمة1"]


def test_writing_refuses_what_it_could_not_read_back(tmp_path):
    with pytest.raises(TypeError, match="not in the model file's allow-list"):
        write_model_file(tmp_path / "h.zip", Holder(x=1), kind="test", allowed=[])
    with pytest.raises(TypeError, match="function posix.system is not in the model file's allow-list"):
        write_model_file(tmp_path / "f.zip", {"f": os.system}, kind="test", allowed=[])
    assert not list(tmp_path.iterdir())  # nothing half-written


@pytest.fixture()
def saved(tmp_path):
    vec, clf = _fitted()
    return write_model_file(tmp_path / "ok.zip", Holder(vec=vec, clf=clf), kind="test", allowed=ALLOWED + [Holder])


def _refused(path, *, kind="test", allowed=ALLOWED + [Holder]) -> str:
    with pytest.raises(ModelFileError) as info:
        read_model_file(path, kind=kind, allowed=allowed, fix="retrain it with `make-model`")
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_class_outside_the_allow_list_is_not_rebuilt(saved, tmp_path):
    assert f"'{qualified_name(Holder)}', which is not in the allow-list" in _refused(saved, allowed=ALLOWED)
    state = json.loads(zipfile.ZipFile(saved).read("state.json"))
    state["$object"] = "posix.system"  # a class name the file chooses is only looked up in the allow-list
    forged = _rewrite(saved, tmp_path / "forged.zip", state_json=json.dumps(state).encode())
    assert "'posix.system', which is not in the allow-list" in _refused(forged)
    state["$object"] = qualified_name(Holder)
    state["state"] = {"$dict": {"f": {"$function": "os.system"}}}
    forged = _rewrite(saved, tmp_path / "forged2.zip", state_json=json.dumps(state).encode())
    assert "function 'os.system', which is not in the allow-list" in _refused(forged, allowed=[Holder])
    state["state"] = {"$dict": {"t": {"$type": "builtins.eval"}}}
    forged = _rewrite(saved, tmp_path / "forged3.zip", state_json=json.dumps(state).encode())
    assert "type 'builtins.eval'" in _refused(forged, allowed=[Holder])
    state["state"] = {"$dict": {"x": {"$reduce": ["os.system", ["touch x"]]}}}
    forged = _rewrite(saved, tmp_path / "forged4.zip", state_json=json.dumps(state).encode())
    assert "unknown tag '$reduce'" in _refused(forged, allowed=[Holder])


def test_object_arrays_in_the_npz_are_refused(saved, tmp_path):
    buf = io.BytesIO()
    np.savez(buf, a0=np.array([{"x": 1}], dtype=object))  # needs pickle to read back
    forged = _rewrite(saved, tmp_path / "objects.zip", arrays_npz=buf.getvalue())
    assert "unreadable arrays.npz" in _refused(forged)


def test_a_sparse_matrix_with_out_of_range_indices_is_refused(tmp_path):
    m = sp.csr_matrix(np.eye(3))
    path = write_model_file(tmp_path / "s.zip", {"m": m}, kind="test", allowed=[])
    with zipfile.ZipFile(path) as zf:
        with np.load(io.BytesIO(zf.read("arrays.npz")), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    key = json.loads(zipfile.ZipFile(path).read("state.json"))["$dict"]["m"]["indices"]["$array"]
    arrays[key] = np.array([0, 1, 7], dtype=arrays[key].dtype)  # column 7 of a 3-column matrix
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    forged = _rewrite(path, tmp_path / "bad.zip", arrays_npz=buf.getvalue())
    assert "malformed sparse matrix" in _refused(forged, allowed=[])


@pytest.mark.parametrize("content,expected", [
    (b"", "is empty"),
    ("ليس نموذجا\n".encode(), "is not a zip archive"),
    (b'{"format": "arabic-news-model", "format_version": 1}', "is not a zip archive"),
    (pickle.dumps({"format": "arabic-news-stance/1"}, protocol=5), "a pickle (the model format of earlier versions"),
    (pickle.dumps([1], protocol=2), "a pickle"),
    (b"\x78\x9c" + b"\x00" * 20, "a compressed joblib/pickle file"),
])
def test_files_that_are_not_model_archives(tmp_path, content, expected):
    path = tmp_path / "model.bin"
    path.write_bytes(content)
    message = _refused(path)
    assert expected in message and message.endswith("retrain it with `make-model`")


def test_truncated_and_damaged_archives(saved, tmp_path):
    data = saved.read_bytes()
    for n in (len(data) // 3, len(data) - 30):
        cut = tmp_path / f"cut{n}.zip"
        cut.write_bytes(data[:n])
        assert "damaged or truncated archive" in _refused(cut)
    flipped = bytearray(data)
    start = data.index(b"state.json") + 40  # inside the compressed state
    flipped[start:start + 20] = b"\x00" * 20
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(flipped))
    assert "damaged or truncated archive" in _refused(bad) or "unreadable state.json" in _refused(bad)


def test_manifest_checks(saved, tmp_path):
    manifest = json.loads(zipfile.ZipFile(saved).read("manifest.json"))
    newer = _rewrite(saved, tmp_path / "newer.zip",
                     manifest_json=json.dumps({**manifest, "format_version": 99}).encode())
    assert "written by a newer arabic-news (model format version 99" in _refused(newer)
    bad = _rewrite(saved, tmp_path / "bad.zip", manifest_json=json.dumps({**manifest, "format_version": "1"}).encode())
    assert "malformed format_version" in _refused(bad)
    other = _rewrite(saved, tmp_path / "other.zip", manifest_json=json.dumps({**manifest, "format": "x"}).encode())
    assert "not an arabic-news model file" in _refused(other)
    assert "is an arabic-news 'test' model, not a stance model" in _refused(saved, kind="stance")
    lying = _rewrite(saved, tmp_path / "lying.zip", manifest_json=json.dumps({**manifest, "class": "x.Y"}).encode())
    assert "not the x.Y its manifest names" in _refused(lying)
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tmp_path / "nostate.zip", "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
    assert "has no state.json" in _refused(tmp_path / "nostate.zip")
    assert "no such model file" in _refused(tmp_path / "missing.zip")
    assert "is not a file" in _refused(tmp_path)
