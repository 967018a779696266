"""Model files that are data, never code: a zip archive of JSON and NumPy arrays, read through an allow-list.

Every model the project saves (stance models, the NER tagger, topic models, the scale runner's topic state) is
written by :func:`write_model_file` and read by :func:`read_model_file`. Nothing is pickled, so opening a model
file cannot run code: the loader parses JSON (``json``) and ``.npy`` arrays (``numpy.load(allow_pickle=False)``)
and rebuilds objects only of the classes the caller allows.

Layout of a model file (an ordinary zip archive; ``unzip -l`` shows it)::

    manifest.json   {"format": "arabic-news-model", "format_version": 1, "kind": "stance",
                     "class": "arabic_news.stance.models.TargetStanceModel", "params": {...}, "meta": {...},
                     "versions": {"arabic_news": ..., "python": ..., "numpy": ..., "scikit-learn": ...},
                     "created_utc": "..."}
    state.json      the fitted object graph (below)
    arrays.npz      every numeric and string array of the graph (``numpy.savez``; no object arrays)
    ...             members a model kind adds (the NER tagger's ``model.crfsuite``)

The object graph in ``state.json`` is plain JSON (strings, numbers, booleans, null, lists) plus tagged objects:
``{"$tuple": [...]}``, ``{"$dict": {...}}`` (string keys), ``{"$items": [[key, value], ...]}`` (other keys),
``{"$keyed": [keys], "values": {"$array": ...}}`` (string keys -> NumPy numbers, e.g. a vocabulary),
``{"$set": [...]}``, ``{"$frozenset": [...]}``, ``{"$array": "a3"}`` (a member of ``arrays.npz``),
``{"$objarray": [...], "shape": [...]}`` (an array of Python objects, e.g. class labels), ``{"$scalar": "<f8",
"value": ...}`` (a NumPy scalar), ``{"$dtype": "<f8"}``, ``{"$type": "numpy.float64"}`` (a NumPy scalar type or a
builtin, from a fixed table), ``{"$sparse": "csr_matrix", ...}`` (a SciPy sparse matrix, checked in full on
load), ``{"$rng": "PCG64", "state": {...}}`` / ``{"$randomstate": {...}}`` (random generators),
``{"$bytes": "a4"}``, ``{"$date": "2020-01-31"}``, ``{"$path": "..."}``, ``{"$counter": {...}}`` /
``{"$ordereddict": {...}}``, ``{"$function": "module.name"}`` (only functions the caller
allows), ``{"$object": "module.Class", "id": 7, "state": {...}}`` (an instance of an allowed class: created
with ``cls.__new__`` and given its attribute dict through ``__setstate__``, never ``__init__`` or
``__reduce__``) and ``{"$ref": 7}`` (the same instance again).

Anything else, a class outside the allow-list, a wrong ``kind`` or ``format_version``, a truncated archive or a
pickle (the format of earlier versions, and of joblib) raises :class:`ModelFileError` with one line naming the
file and the fix.
"""
from __future__ import annotations

import collections
import datetime as _dt
import io
import json
import logging
import math
import os
import platform
import tempfile
import time
import types
import zipfile
from pathlib import Path, PurePath
from typing import Callable, Iterable, Mapping

import numpy as np

logger = logging.getLogger(__name__)

FORMAT = "arabic-news-model"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STATE = "state.json"
ARRAYS = "arrays.npz"

#: NumPy dtype kinds stored as ``.npy`` members (never object arrays: those are JSON lists of decoded items)
_ARRAY_KINDS = frozenset("biufcUSMm")
#: sparse formats a model may hold, rebuilt from their component arrays
_SPARSE = ("csr_matrix", "csc_matrix", "coo_matrix", "csr_array", "csc_array", "coo_array")
#: bit generators a ``numpy.random.Generator`` may use
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
#: values written to JSON as they are
_PLAIN = frozenset((str, int, float, bool, type(None)))


def _all_plain(values) -> bool:
    """Whether every value is a JSON scalar (``set(map(type, ...))`` runs in C: vocabularies are large)."""
    return set(map(type, values)) <= _PLAIN


def _type_table() -> dict[str, type]:
    names = ("float16", "float32", "float64", "longdouble", "int8", "int16", "int32", "int64", "uint8", "uint16",
             "uint32", "uint64", "bool_", "complex64", "complex128", "str_", "bytes_")
    table = {f"numpy.{n}": getattr(np, n) for n in names if hasattr(np, n)}
    table.update({"builtins.float": float, "builtins.int": int, "builtins.bool": bool, "builtins.str": str,
                  "builtins.bytes": bytes, "builtins.complex": complex})
    return table


_TYPES = _type_table()


class ModelFileError(ValueError):
    """A model file that cannot be used: missing, not one of ours, damaged, another kind, or a pickle.

    The message is always one line (it names the file and the fix)."""

    def __init__(self, message: str):
        super().__init__(str(message).replace("\r", " ").replace("\n", " "))


def qualified_name(obj) -> str:
    """``module.QualName`` of a class or function."""
    return f"{obj.__module__}.{obj.__qualname__}"


def _type_name(t: type) -> str | None:
    for name, known in _TYPES.items():
        if known is t:
            return name
    return None


# ---------------------------------------------------------------------------------------------------- writing
class _Encoder:
    def __init__(self, allowed: Mapping[str, object]):
        self.allowed = allowed
        self.arrays: dict[str, np.ndarray] = {}
        self.memo: dict[int, dict] = {}
        self.keep: list = []  # keeps every memoised object alive, so that ids are not reused while encoding

    def _array_key(self, arr: np.ndarray) -> str:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = arr
        return key

    def encode(self, obj, where: str = "model"):  # noqa: C901 - one branch per supported type
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if type(obj) is int or type(obj) is float:
            return obj
        if isinstance(obj, np.generic):
            if obj.dtype.kind not in _ARRAY_KINDS or obj.dtype.kind in "Mm":
                raise TypeError(f"{where}: NumPy scalar of dtype {obj.dtype} cannot be stored")
            value = obj.item()
            if isinstance(value, complex):
                value = [value.real, value.imag]
            elif isinstance(value, bytes):
                value = value.decode("latin-1")
            return {"$scalar": obj.dtype.str, "value": value}
        if isinstance(obj, list):
            if _all_plain(obj):
                return list(obj)
            return [self.encode(x, f"{where}[{i}]") for i, x in enumerate(obj)]
        if isinstance(obj, tuple) and type(obj) is tuple:
            return {"$tuple": [self.encode(x, f"{where}[{i}]") for i, x in enumerate(obj)]}
        if type(obj) in (set, frozenset):
            tag = "$set" if type(obj) is set else "$frozenset"
            items = sorted(obj, key=repr)
            return {tag: [self.encode(x, f"{where}{{}}") for x in items]}
        if type(obj) is dict:
            return self._encode_dict(obj, where)
        if type(obj) in (collections.Counter, collections.OrderedDict):
            tag = "$counter" if type(obj) is collections.Counter else "$ordereddict"
            return {tag: self._encode_dict(obj, where)}
        if type(obj) is np.ndarray:
            return self._encode_array(obj, where)
        if type(obj) in (bytes, bytearray):
            return {"$bytes": self._array_key(np.frombuffer(bytes(obj), dtype=np.uint8))}
        if type(obj) is _dt.date:
            return {"$date": obj.isoformat()}
        if isinstance(obj, PurePath):
            return {"$path": str(obj)}
        if isinstance(obj, np.dtype):
            if obj.kind not in _ARRAY_KINDS or obj.names is not None:
                raise TypeError(f"{where}: dtype {obj} cannot be stored")
            return {"$dtype": obj.str}
        if isinstance(obj, type) and _type_name(obj) is not None:
            return {"$type": _type_name(obj)}
        sparse = _encode_sparse(obj, self)
        if sparse is not None:
            return sparse
        if isinstance(obj, np.random.Generator):
            bg = obj.bit_generator
            if type(bg).__name__ not in _BIT_GENERATORS:
                raise TypeError(f"{where}: bit generator {type(bg).__name__} cannot be stored")
            return {"$rng": type(bg).__name__, "state": self.encode(bg.state, where)}
        if isinstance(obj, np.random.RandomState):
            return {"$randomstate": self.encode(obj.get_state(legacy=False), where)}
        if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
            name = qualified_name(obj)
            if self.allowed.get(name) is not obj:
                raise TypeError(f"{where}: function {name} is not in the model file's allow-list")
            return {"$function": name}
        return self._encode_object(obj, where)

    def _encode_dict(self, obj, where):
        if all(type(k) is str for k in obj):
            if _all_plain(obj.values()):
                return {"$dict": dict(obj)}
            first = type(next(iter(obj.values()), None))
            if len(obj) >= 16 and issubclass(first, np.generic) and np.dtype(first).kind in "biuf" \
                    and all(type(v) is first for v in obj.values()):  # e.g. a vocabulary: term -> np.int64 column
                values = np.fromiter(obj.values(), dtype=np.dtype(first), count=len(obj))
                return {"$keyed": list(obj), "values": {"$array": self._array_key(values)}}
            return {"$dict": {k: self.encode(v, f"{where}.{k}") for k, v in obj.items()}}
        return {"$items": [[self.encode(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in obj.items()]}

    def _encode_array(self, arr: np.ndarray, where: str):
        if id(arr) in self.memo:
            return self.memo[id(arr)]
        if arr.dtype.kind == "O":
            out = {"$objarray": [self.encode(x, f"{where}[]") for x in arr.ravel().tolist()],
                   "shape": list(arr.shape)}
        elif arr.dtype.kind in _ARRAY_KINDS or (arr.dtype.kind == "V" and arr.dtype.names is not None
                                                and not arr.dtype.hasobject):
            out = {"$array": self._array_key(arr)}
        else:
            raise TypeError(f"{where}: array of dtype {arr.dtype} cannot be stored")
        self.memo[id(arr)] = out
        self.keep.append(arr)
        return out

    def _encode_object(self, obj, where: str):
        name = qualified_name(type(obj))
        if self.allowed.get(name) is not type(obj):
            raise TypeError(f"{where}: {name} is not in the model file's allow-list")
        if id(obj) in self.memo:
            return {"$ref": self.memo[id(obj)]["id"]}
        ident = len(self.memo)
        self.memo[id(obj)] = {"id": ident}
        self.keep.append(obj)
        state = obj.__getstate__() if hasattr(obj, "__getstate__") else obj.__dict__
        if state is None:
            state = {}
        if not isinstance(state, dict):
            raise TypeError(f"{where}: {name} has a non-dict state ({type(state).__name__})")
        return {"$object": name, "id": ident, "state": self._encode_dict(state, where)}


def _encode_sparse(obj, enc: _Encoder):
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover - scipy is a dependency
        return None
    if not sp.issparse(obj):
        return None
    kind = type(obj).__name__
    if kind not in _SPARSE:
        obj = obj.tocsr()
        kind = "csr_array" if isinstance(obj, sp.sparray) else "csr_matrix"
    out = {"$sparse": kind, "shape": [int(s) for s in obj.shape], "data": enc.encode(np.asarray(obj.data))}
    if kind.startswith("coo"):
        out.update(row=enc.encode(np.asarray(obj.row)), col=enc.encode(np.asarray(obj.col)))
    else:
        out.update(indices=enc.encode(np.asarray(obj.indices)), indptr=enc.encode(np.asarray(obj.indptr)))
    return out


def _versions() -> dict:
    import sys

    out = {"python": platform.python_version()}
    for dist, module in (("arabic_news", "arabic_news"), ("numpy", "numpy"), ("scipy", "scipy"),
                         ("scikit-learn", "sklearn")):
        mod = sys.modules.get(module)
        if mod is not None:
            out[dist] = getattr(mod, "__version__", "?")
    return out


def json_safe(value, *, max_items: int | None = None):
    """*value* with tuples as lists and NumPy scalars as Python numbers (for the human-readable manifest);
    containers longer than *max_items* are summarised (``"<dict of 120000 items>"``)."""
    if isinstance(value, (dict, list, tuple, set, frozenset)) and max_items is not None and len(value) > max_items:
        return f"<{type(value).__name__} of {len(value)} items>"
    if isinstance(value, dict):
        return {str(k): json_safe(v, max_items=max_items) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [json_safe(v, max_items=max_items) for v in items]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.ndarray):
        return f"<array {value.dtype} {list(value.shape)}>"
    return f"<{type(value).__name__}>"


def write_model_file(path: str | Path, obj, *, kind: str, allowed: Iterable, meta: Mapping | None = None,
                     members: Mapping[str, bytes] | None = None) -> Path:
    """Write *obj* to *path* as a model file of *kind* (atomically: a temporary file renamed into place).

    *allowed*: the classes and functions the object graph may contain (anything else raises ``TypeError``: the
    same list must be given to :func:`read_model_file`). *meta*: JSON-able facts kept in the manifest (task,
    training file, sizes). *members*: extra archive members (name -> bytes).
    """
    path = Path(path)
    table = {qualified_name(a): a for a in allowed}
    enc = _Encoder(table)
    state = enc.encode(obj)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
                "class": qualified_name(type(obj)),
                "params": json_safe(obj.get_params(deep=False), max_items=100) if hasattr(obj, "get_params") else None,
                "meta": json_safe(dict(meta or {})), "versions": _versions(),
                "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    arrays = io.BytesIO()
    np.savez(arrays, **enc.arrays)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # the permissions of any file the user writes (mkstemp's are 0600)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED,
                                                         compresslevel=6) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            zf.writestr(STATE, json.dumps(state, ensure_ascii=False, separators=(",", ":")))
            zf.writestr(ARRAYS, arrays.getvalue())
            for name, data in (members or {}).items():
                zf.writestr(name, data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------------------- reading
class _Decoder:
    def __init__(self, allowed: Mapping[str, object], arrays: Mapping[str, np.ndarray],
                 fail: Callable[[str], Exception]):
        self.allowed = allowed
        self.arrays = arrays
        self.objects: dict[int, object] = {}
        self.array_cache: dict[str, np.ndarray] = {}
        self.fail = fail

    def array(self, key) -> np.ndarray:
        if not isinstance(key, str) or key not in self.arrays:
            raise self.fail(f"refers to a missing array {key!r}")
        if key not in self.array_cache:
            self.array_cache[key] = self.arrays[key]
        return self.array_cache[key]

    def decode(self, value):  # noqa: C901 - one branch per tag
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            if _all_plain(value):
                return value
            return [self.decode(v) for v in value]
        if not isinstance(value, dict) or not value:
            raise self.fail(f"holds an unexpected JSON value of type {type(value).__name__}")
        tag = next(iter(value))
        body = value[tag]
        if tag == "$dict":
            if not isinstance(body, dict):
                raise self.fail("has a malformed $dict")
            if _all_plain(body.values()):
                return body
            return {k: self.decode(v) for k, v in body.items()}
        if tag == "$keyed":
            values = self.decode(value.get("values"))
            if not isinstance(body, list) or not all(type(k) is str for k in body) or \
                    not isinstance(values, np.ndarray) or values.shape != (len(body),) or \
                    values.dtype.kind not in "biuf":
                raise self.fail("has a malformed $keyed")
            return dict(zip(body, values))
        if tag == "$items":
            if not isinstance(body, list) or not all(isinstance(p, list) and len(p) == 2 for p in body):
                raise self.fail("has a malformed $items")
            out = {}
            for k, v in body:
                key = self.decode(k)
                try:
                    hash(key)
                except TypeError:
                    raise self.fail("has a dict key that is not hashable") from None
                out[key] = self.decode(v)
            return out
        if tag in ("$counter", "$ordereddict"):
            inner = self.decode(body)
            if not isinstance(inner, dict):
                raise self.fail(f"has a malformed {tag}")
            return (collections.Counter if tag == "$counter" else collections.OrderedDict)(inner)
        if tag in ("$tuple", "$set", "$frozenset"):
            if not isinstance(body, list):
                raise self.fail(f"has a malformed {tag}")
            items = [self.decode(v) for v in body]
            try:
                return {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag](items)
            except TypeError:
                raise self.fail(f"has a {tag} with unhashable items") from None
        if tag == "$array":
            return self.array(body)
        if tag == "$bytes":
            arr = self.array(body)
            if arr.dtype != np.uint8 or arr.ndim != 1:
                raise self.fail("has a malformed $bytes")
            return arr.tobytes()
        if tag == "$objarray":
            shape = value.get("shape")
            if not isinstance(body, list) or not isinstance(shape, list) or \
                    not all(isinstance(s, int) and s >= 0 for s in shape) or math.prod(shape) != len(body):
                raise self.fail("has a malformed $objarray")
            arr = np.empty(len(body), dtype=object)
            for i, v in enumerate(body):
                arr[i] = self.decode(v)
            return arr.reshape(shape)
        if tag == "$scalar":
            try:
                dtype = np.dtype(body)
            except TypeError:
                raise self.fail(f"has an unknown scalar dtype {body!r}") from None
            if dtype.kind not in _ARRAY_KINDS or dtype.kind in "Mm":
                raise self.fail(f"has a scalar of dtype {body!r}")
            v = value.get("value")
            if dtype.kind == "c" and isinstance(v, list) and len(v) == 2:
                v = complex(*v)
            elif dtype.kind == "S" and isinstance(v, str):
                v = v.encode("latin-1")
            try:
                return dtype.type(v)
            except (TypeError, ValueError, OverflowError):
                raise self.fail(f"has a malformed {body} scalar") from None
        if tag == "$dtype":
            try:
                dtype = np.dtype(body)
            except TypeError:
                raise self.fail(f"has an unknown dtype {body!r}") from None
            if dtype.kind not in _ARRAY_KINDS:
                raise self.fail(f"has a dtype {body!r} outside the allowed kinds")
            return dtype
        if tag == "$type":
            if body not in _TYPES:
                raise self.fail(f"names the type {body!r}, which model files may not hold")
            return _TYPES[body]
        if tag == "$date":
            try:
                return _dt.date.fromisoformat(body)
            except (TypeError, ValueError):
                raise self.fail(f"has a malformed date {body!r}") from None
        if tag == "$path":
            if not isinstance(body, str):
                raise self.fail("has a malformed $path")
            return Path(body)
        if tag == "$function":
            fn = self.allowed.get(body) if isinstance(body, str) else None
            if fn is None or isinstance(fn, type):
                raise self.fail(f"names the function {body!r}, which is not in the allow-list")
            return fn
        if tag == "$sparse":
            return self._sparse(value)
        if tag == "$rng":
            if body not in _BIT_GENERATORS:
                raise self.fail(f"names the bit generator {body!r}")
            bg = getattr(np.random, body)()
            try:
                bg.state = self.decode(value.get("state"))
            except (TypeError, ValueError, KeyError):
                raise self.fail(f"has a malformed {body} state") from None
            return np.random.Generator(bg)
        if tag == "$randomstate":
            rs = np.random.RandomState()
            try:
                rs.set_state(self.decode(body))
            except (TypeError, ValueError, KeyError):
                raise self.fail("has a malformed RandomState state") from None
            return rs
        if tag == "$ref":
            if body not in self.objects:
                raise self.fail(f"refers to an unknown object {body!r}")
            return self.objects[body]
        if tag == "$object":
            return self._object(value)
        raise self.fail(f"holds an unknown tag {tag!r}")

    def _sparse(self, value):
        import scipy.sparse as sp

        kind = value.get("$sparse")
        if kind not in _SPARSE:
            raise self.fail(f"names the sparse format {kind!r}")
        shape = value.get("shape")
        if not isinstance(shape, list) or len(shape) != 2 or not all(isinstance(s, int) and s >= 0 for s in shape):
            raise self.fail("has a sparse matrix with a malformed shape")
        cls = getattr(sp, kind)
        try:
            data = self.decode(value.get("data"))
            if kind.startswith("coo"):
                row, col = self.decode(value.get("row")), self.decode(value.get("col"))
                if not all(isinstance(a, np.ndarray) and a.ndim == 1 for a in (data, row, col)) or \
                        not len(data) == len(row) == len(col):
                    raise ValueError("component arrays")
                if len(row) and (row.min() < 0 or row.max() >= shape[0] or col.min() < 0 or col.max() >= shape[1]):
                    raise ValueError("indices out of range")
                return cls((data, (row, col)), shape=tuple(shape))
            indices, indptr = self.decode(value.get("indices")), self.decode(value.get("indptr"))
            if not all(isinstance(a, np.ndarray) and a.ndim == 1 for a in (data, indices, indptr)):
                raise ValueError("component arrays")
            m = cls((data, indices, indptr), shape=tuple(shape))
            m.check_format(full_check=True)  # indices in range, indptr monotone: sparsetools trusts both
            return m
        except (TypeError, ValueError) as exc:
            raise self.fail(f"has a malformed sparse matrix ({exc})") from None

    def _object(self, value):
        name, ident, state = value.get("$object"), value.get("id"), value.get("state")
        cls = self.allowed.get(name) if isinstance(name, str) else None
        if cls is None or not isinstance(cls, type):
            raise self.fail(f"holds an object of class {name!r}, which is not in the allow-list")
        if not isinstance(ident, int) or ident in self.objects:
            raise self.fail("has a malformed or repeated object id")
        obj = cls.__new__(cls)
        self.objects[ident] = obj
        if not isinstance(state, dict) or set(state) != {"$dict"}:
            raise self.fail(f"has a malformed state for {name}")
        attrs = self.decode(state)
        try:
            if hasattr(obj, "__setstate__"):
                obj.__setstate__(attrs)
            elif attrs:
                obj.__dict__.update(attrs)
        except Exception as exc:  # noqa: BLE001 - a state the class rejects means a damaged file
            raise self.fail(f"has a state {name} rejects ({type(exc).__name__}: {exc})") from None
        return obj


def _sniff(head: bytes) -> str | None:
    """What a file that is not a model archive is (a phrase for the error message), or None for a zip."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return None
    if head[:1] == b"\x80" and len(head) > 1 and 2 <= head[1] <= 5:
        return "is a pickle (the model format of earlier versions of arabic-news, and of joblib) and was not " \
               "opened: unpickling can run code"
    if head[:1] == b"\x78" and len(head) > 1 and head[1] in (0x01, 0x5E, 0x9C, 0xDA):
        return "is a compressed joblib/pickle file (the model format of earlier versions of arabic-news) and was " \
               "not opened: unpickling can run code"
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00":
        return "is a compressed file (perhaps a joblib pickle) and was not opened: unpickling can run code"
    if not head:
        return "is empty"
    return "is not a zip archive"


def read_manifest(path: str | Path) -> dict:
    """The manifest of a model file (no object is rebuilt), or :class:`ModelFileError`."""
    path = Path(path)
    with _open_archive(path, lambda why: ModelFileError(f"{path}: the file {why}")) as zf:
        return _manifest(zf, lambda why: ModelFileError(f"{path}: the file {why}"))


class _open_archive:
    def __init__(self, path: Path, fail):
        self.path, self.fail, self.zf = path, fail, None

    def __enter__(self) -> zipfile.ZipFile:
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise self.fail(f"cannot be read ({exc.strerror or exc})") from None
        what = _sniff(head)
        if what is not None:
            raise self.fail(what)
        try:
            self.zf = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise self.fail(f"is a damaged or truncated archive ({exc})") from None
        return self.zf

    def __exit__(self, *exc):
        if self.zf is not None:
            self.zf.close()
        return False


def _member(zf: zipfile.ZipFile, name: str, fail) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        raise fail(f"has no {name} (it is not an arabic-news model file)") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise fail(f"is a damaged or truncated archive ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends: the archive is damaged
        raise fail(f"is a damaged or truncated archive ({type(exc).__name__}: {exc})") from None


def _manifest(zf: zipfile.ZipFile, fail) -> dict:
    raw = _member(zf, MANIFEST, fail)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise fail(f"has an unreadable {MANIFEST} ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise fail(f"is not an arabic-news model file (its {MANIFEST} does not name the format {FORMAT!r})")
    return manifest


def read_model_file(path: str | Path, *, kind: str, allowed: Iterable, fix: str,
                    members: Iterable[str] = ()) -> tuple[object, dict, dict[str, bytes]]:
    """Read a model file written by :func:`write_model_file`: ``(object, manifest, extra members)``.

    *kind*: the kind the caller expects (another kind is refused); *allowed*: the classes and functions that may
    be rebuilt; *fix*: what to do about a bad file (ends every error message, e.g. "retrain with `arabic-news
    stance train ...`"). *members*: names of extra archive members to return. Every problem raises
    :class:`ModelFileError` with one line that names the file.
    """
    path = Path(path)

    def fail(why: str) -> ModelFileError:
        return ModelFileError(f"{path} is not a usable arabic-news {kind} model: the file {why}; {fix}")

    if not path.exists():
        raise ModelFileError(f"{path}: no such model file; {fix}")
    if not path.is_file():
        raise ModelFileError(f"{path} is not a file; {fix}")
    with _open_archive(path, fail) as zf:
        manifest = _manifest(zf, fail)
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise fail(f"has a malformed format_version {version!r}")
        if version > FORMAT_VERSION:
            raise ModelFileError(f"{path} was written by a newer arabic-news (model format version {version}; this "
                                 f"version reads up to {FORMAT_VERSION}): upgrade arabic-news, or {fix}")
        if manifest.get("kind") != kind:
            raise ModelFileError(f"{path} is an arabic-news {manifest.get('kind')!r} model, not a {kind} model; {fix}")
        state_raw = _member(zf, STATE, fail)
        arrays_raw = _member(zf, ARRAYS, fail)
        extra = {name: _member(zf, name, fail) for name in members}
    try:
        state = json.loads(state_raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise fail(f"has an unreadable {STATE} ({type(exc).__name__})") from None
    try:
        with np.load(io.BytesIO(arrays_raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:  # noqa: BLE001 - ValueError (object arrays refused), BadZipFile, EOFError, ...
        raise fail(f"has an unreadable {ARRAYS} ({type(exc).__name__}: {exc})") from None
    for name, arr in arrays.items():
        if arr.dtype.hasobject:  # pragma: no cover - np.load(allow_pickle=False) already refuses these
            raise fail(f"holds an object array {name}")
    table = {qualified_name(a): a for a in allowed}
    decoder = _Decoder(table, arrays, fail)
    try:
        obj = decoder.decode(state)
    except RecursionError:
        raise fail(f"has a {STATE} nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise fail(f"has a malformed {STATE} ({type(exc).__name__}: {exc})") from None
    expected = manifest.get("class")
    if expected != qualified_name(type(obj)):
        raise fail(f"holds a {qualified_name(type(obj))}, not the {expected} its manifest names")
    saved = manifest.get("versions", {}).get("scikit-learn")
    if saved and "sklearn" in __import__("sys").modules:
        import sklearn

        if saved.split(".")[:2] != sklearn.__version__.split(".")[:2]:
            logger.warning("%s was saved with scikit-learn %s and is read with %s: if it misbehaves, retrain it",
                           path, saved, sklearn.__version__)
    return obj, manifest, extra
