"""The findings contract between the notebooks and ``index.html``.

Each notebook of the main job ends with one hidden cell that calls :func:`write_findings` with the key results
it computed (counts, names, shares, short trends, and the sentences saying what a skipped section needs). The
findings go to ``findings.json`` in the notebook's table folder (``OUT/tables/<notebook>/``), as plain JSON:
numbers, strings, lists and objects -- never code, never HTML. :func:`read_findings` collects them for
:func:`arabic_news.reports.index.write_index`, which escapes every string it shows.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     _ = write_findings(d + "/tables/01-x", "overview", {"n_articles": 3, "outlets": [{"outlet": "a", "articles": 3}]})
...     read_findings(d)["overview"]["data"]["n_articles"]
3
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
import math
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FINDINGS_FILE = "findings.json"
#: Bumped when the layout of ``findings.json`` changes.
FINDINGS_VERSION = 1


def to_plain(value: Any) -> Any:
    """*value* as plain JSON data: NumPy and pandas scalars become Python numbers (NaN and NaT: ``None``),
    dates ISO strings, DataFrames lists of row objects, Series objects, tuples and sets lists; keys strings.

    >>> import numpy as np, pandas as pd
    >>> to_plain({"n": np.int64(3), "x": np.float32(0.5), "d": pd.Timestamp("2015-07-01"), "nan": float("nan")})
    {'n': 3, 'x': 0.5, 'd': '2015-07-01', 'nan': None}
    >>> to_plain(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': None}]
    """
    import numbers

    if value is None or isinstance(value, (str, bool)):
        return value
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover - both are dependencies
        np = pd = None
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
            return [{str(k): to_plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        if isinstance(value, pd.Series):
            return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
        if isinstance(value, pd.Timestamp):
            if pd.isna(value):
                return None
            return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
        if isinstance(value, pd.Period):
            return str(value)
        if value is pd.NaT:
            return None
    if np is not None:
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.ndarray):
            return [to_plain(v) for v in value.tolist()]
        if isinstance(value, np.datetime64):
            return to_plain(pd.Timestamp(value)) if pd is not None else str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [to_plain(v) for v in items]
    if isinstance(value, Path):
        return str(value)
    return str(value)


def write_findings(output_dir: str | Path | None, section: str, data: dict[str, Any]) -> Path | None:
    """Write ``output_dir/findings.json``: ``{"version", "section", "data"}`` with *data* made plain
    (:func:`to_plain`). Nothing is written (``None`` returned) when *output_dir* is empty: a notebook opened by
    hand, outside the main job. The file is written to a temporary name and renamed, so a reader never sees
    half of it."""
    if not output_dir:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    payload = {"version": FINDINGS_VERSION, "section": str(section), "data": to_plain(dict(data))}
    text = json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False)
    path = out / FINDINGS_FILE
    tmp = out / f".{FINDINGS_FILE}.tmp"
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_findings(out_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The findings of a run folder: ``{section: {"notebook": folder name, "data": {...}}}`` from every
    ``OUT/tables/<notebook>/findings.json`` (sorted by notebook). A file that is not valid findings JSON is
    skipped with a warning (its section then counts as missing)."""
    found: dict[str, dict[str, Any]] = {}
    tables = Path(out_dir) / "tables"
    if not tables.is_dir():
        return found
    for path in sorted(tables.glob(f"*/{FINDINGS_FILE}")):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            section, data = payload["section"], payload["data"]
            if not isinstance(section, str) or not isinstance(data, dict):
                raise ValueError("section must be a string and data an object")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("%s: not readable as findings (%s); left out of index.html", path, exc)
            continue
        found[section] = {"notebook": path.parent.name, "data": data}
    return found


__all__ = ["FINDINGS_FILE", "FINDINGS_VERSION", "read_findings", "to_plain", "write_findings"]
