"""Readers for the three stance datasets, in their own formats, and seeded development splits.

* ``target`` — Mawqif CSV (UTF-8 with BOM; columns ``text, target, stance``). The label string ``None``
  is a class, so the CSV is read with ``keep_default_na=False`` (pandas would otherwise turn it into NaN
  and silently drop a whole class).
* ``pair`` — ANS CSV (columns ``s1, s2, stance``).
* ``claim`` — Baly et al. (2018) claim–article pairs JSONL (optionally gzipped; keys ``claim, article,
  stance`` and ``fold``/``claim_id`` for cross-validation).

Every reader raises :class:`StanceDataError` with one line naming the file and the missing column.
"""
from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

TASKS = ("target", "pair", "claim")
LABELS = {
    "target": ("Favor", "Against", "None"),
    "pair": ("agree", "disagree", "other"),
    "claim": ("agree", "disagree", "discuss", "unrelated"),
}
INPUT_COLUMNS = {
    "target": ("text", "target"),
    "pair": ("s1", "s2"),
    "claim": ("claim", "article"),
}
LABEL_COLUMN = "stance"


class StanceDataError(ValueError):
    """Bad stance input: the message is one line naming the file and what to fix."""


def _check_columns(df: pd.DataFrame, path: Path, task: str, require_labels: bool) -> None:
    needed = list(INPUT_COLUMNS[task]) + ([LABEL_COLUMN] if require_labels else [])
    for col in needed:
        if col not in df.columns:
            raise StanceDataError(
                f"{path}: missing column {col!r} (the {task} task expects columns "
                f"{', '.join(needed)}; found {', '.join(map(str, df.columns)) or 'none'})"
            )


def _check_labels(df: pd.DataFrame, path: Path, task: str) -> None:
    allowed = set(LABELS[task])
    labels = df[LABEL_COLUMN].astype(str)
    bad = sorted(set(labels) - allowed)
    if bad:
        n_bad = int((~labels.isin(allowed)).sum())
        raise StanceDataError(
            f"{path}: {n_bad} rows have unknown {LABEL_COLUMN!r} labels {bad[:5]} "
            f"(allowed: {', '.join(LABELS[task])})"
        )


def _drop_empty(df: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    empty = np.zeros(len(df), dtype=bool)
    for col in columns:
        empty |= df[col].astype(str).str.strip().eq("").to_numpy()
    if empty.any():
        logger.warning("%s: skipped %d rows with an empty %s", path, int(empty.sum()), "/".join(columns))
    out = df.loc[~empty].reset_index(drop=True)
    out.attrs["n_skipped"] = int(empty.sum())
    out.attrs["source"] = str(path)
    return out


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    if not path.is_file():
        raise StanceDataError(f"{path}: no such file")
    try:
        # keep_default_na=False: the Mawqif label "None" (and empty cells) stay strings
        return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str, **kwargs)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise StanceDataError(f"{path}: not a readable UTF-8 CSV ({str(exc).splitlines()[0]})") from exc


def _read_labelled_csv(path: str | Path, task: str, require_labels: bool) -> pd.DataFrame:
    """Read a task's CSV, check its columns (and labels), drop rows with empty inputs (counted)."""
    path = Path(path)
    df = _read_csv(path)
    _check_columns(df, path, task, require_labels)
    if require_labels:
        df[LABEL_COLUMN] = df[LABEL_COLUMN].str.strip()
        _check_labels(df, path, task)
    return _drop_empty(df, path, INPUT_COLUMNS[task])


def read_mawqif(path: str | Path, *, require_labels: bool = True) -> pd.DataFrame:
    """Read a Mawqif CSV (``text, target, stance`` plus optional extra columns, e.g. ``sentiment``)."""
    return _read_labelled_csv(path, "target", require_labels)


def read_ans(path: str | Path, *, require_labels: bool = True) -> pd.DataFrame:
    """Read an ANS stance CSV (``s1, s2, stance``)."""
    return _read_labelled_csv(path, "pair", require_labels)


def read_json_objects(path: Path, *, error: type[Exception], hint: str = "") -> list[dict]:
    """The JSON object on each non-blank line of *path* (``.gz``: gzip, a UTF-8 BOM allowed); a line that is not
    valid JSON, or not an object, raises *error* with one line naming the file and the line (plus *hint*)."""
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise error(f"{path}: line {lineno} is not valid JSON ({exc.msg}){hint}") from None
            if not isinstance(obj, dict):
                raise error(f"{path}: line {lineno} is not a JSON object{hint}")
            rows.append(obj)
    return rows


def read_claim_pairs(path: str | Path, *, require_labels: bool = True) -> pd.DataFrame:
    """Read claim–article pairs from JSONL (``.jsonl`` or ``.jsonl.gz``), one JSON object per line."""
    path = Path(path)
    if not path.is_file():
        raise StanceDataError(f"{path}: no such file")
    df = pd.DataFrame(read_json_objects(path, error=StanceDataError))
    _check_columns(df, path, "claim", require_labels)
    for col in INPUT_COLUMNS["claim"]:
        df[col] = df[col].fillna("").astype(str)
    if require_labels:
        df[LABEL_COLUMN] = df[LABEL_COLUMN].astype(str).str.strip()
        _check_labels(df, path, "claim")
    return _drop_empty(df, path, INPUT_COLUMNS["claim"])


_READERS = {"target": read_mawqif, "pair": read_ans, "claim": read_claim_pairs}


def read_task_data(task: str, path: str | Path, *, require_labels: bool = True) -> pd.DataFrame:
    """Read *path* with the reader of *task* (``target``, ``pair`` or ``claim``)."""
    if task not in _READERS:
        raise ValueError(f"unknown stance task {task!r}; choose one of {', '.join(TASKS)}")
    return _READERS[task](path, require_labels=require_labels)


def stratified_dev_split(
    df: pd.DataFrame, *, by: list[str] | tuple[str, ...], dev_fraction: float = 0.2, seed: int = 42
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split *df* into (train, dev), stratified on the combination of the columns *by*, seeded.

    Every stratum with at least two rows contributes ``round(dev_fraction * size)`` rows (at least one)
    to dev; singletons stay in train.
    """
    rng = np.random.default_rng(seed)
    keys = df[list(by)].astype(str).agg("|".join, axis=1)
    dev_idx: list[int] = []
    for _, idx in sorted(keys.groupby(keys).groups.items()):
        idx = np.asarray(idx)
        if len(idx) < 2:
            continue
        n_dev = max(1, int(round(dev_fraction * len(idx))))
        dev_idx.extend(rng.choice(idx, size=n_dev, replace=False).tolist())
    is_dev = df.index.isin(dev_idx)
    return df.loc[~is_dev].reset_index(drop=True), df.loc[is_dev].reset_index(drop=True)


def mawqif_dev_split(df: pd.DataFrame, *, dev_fraction: float = 0.2, seed: int = 42):
    """The Mawqif dev split: stratified by target and stance, carved from the training file."""
    return stratified_dev_split(df, by=("target", LABEL_COLUMN), dev_fraction=dev_fraction, seed=seed)
