"""Duplicate detection: exact (same normalised body) and near-duplicate (MinHash + LSH banding).

*Exact*: the key is a BLAKE2b digest of the normalised body tokens joined by spaces, so differences in
diacritics, tatweel, letter variants, spacing, line breaks or HTML do not hide a duplicate.

*Near*: each body becomes the set of its word 3-shingles (normalised tokens); a MinHash signature of
:data:`NUM_PERM` 32-bit values estimates the Jaccard similarity of two such sets. Signatures are cut into
:data:`BANDS` bands of :data:`ROWS` values; two documents become candidates when one band is identical
(with 16 x 4 the chance of being a candidate is 0.9998 at Jaccard 0.8 and 0.12 at 0.3), and a candidate
is confirmed when the estimated Jaccard is at least the threshold (default 0.8). Each new document is
compared only with its candidates, so the whole pass is O(n). Hashing is deterministic (polynomial hashes of the
UTF-8 bytes, fixed-seed permutations), so results do not depend on the process or ``PYTHONHASHSEED``.
"""
from __future__ import annotations

import hashlib

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 3
#: Documents with fewer shingles than this are too short for a meaningful near-duplicate test.
MIN_SHINGLES = 5
DEFAULT_THRESHOLD = 0.8

_rng = np.random.default_rng(20150721)
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) | np.uint64(1))
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)
_K1, _K2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_BAND_MULT = np.array([pow(0x100000001B3, i, 2**64) for i in range(ROWS)], dtype=np.uint64)
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)

_P = np.uint64(0x100000001B3)  # odd, hence invertible modulo 2^64
_P_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_powers: dict[str, np.ndarray] = {}


def _power_table(name: str, base: np.uint64, n: int) -> np.ndarray:
    table = _powers.get(name)
    if table is None or len(table) < n:
        size = max(n, 2 * len(table) if table is not None else 1 << 16)
        table = np.empty(size, dtype=np.uint64)
        table[0] = 1
        with np.errstate(over="ignore"):
            # powers by repeated squaring blocks: table[i] = base**i mod 2^64
            table[1:] = base
            np.cumprod(table, out=table)
        _powers[name] = table
    return table[:n]


def body_key(tokens: list[str]) -> bytes:
    """Digest identifying a body by its normalised tokens (exact-duplicate key)."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()


def shingle_hashes(joined: bytes) -> np.ndarray:
    """64-bit polynomial hashes (mod 2^64) of every word 3-shingle of *joined* (tokens joined by single spaces).

    Vectorised: with ``G = cumsum(b[j] * P^-(j+1))`` the hash of bytes ``[s, e)`` is
    ``(G[e] - G[s]) * P^e = sum(b[j] * P^(e-1-j))``, a standard polynomial hash, for all shingles at once.
    """
    b = np.frombuffer(joined, dtype=np.uint8).astype(np.uint64)
    n = len(b)
    spaces = np.flatnonzero(b == 32)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [n]))
    if len(starts) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    inv = _power_table("inv", _P_INV, n + 2)
    pw = _power_table("pow", _P, n + 1)
    with np.errstate(over="ignore"):
        g = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(b * inv[1:n + 1], out=g[1:])
        s = starts[: len(starts) - SHINGLE + 1]
        e = ends[SHINGLE - 1:]
        return (g[e] - g[s]) * pw[e]


def minhash(tokens: list[str] | None = None, *, joined: bytes | None = None) -> np.ndarray | None:
    """MinHash signature (``NUM_PERM`` uint32) of the word 3-shingles of *tokens*; None when too short.

    Pass *joined* (``" ".join(tokens).encode()``) instead of *tokens* when it is already at hand.
    """
    if joined is None:
        joined = " ".join(tokens or []).encode("utf-8")
    sh = shingle_hashes(joined)
    if len(sh) < MIN_SHINGLES:
        return None
    with np.errstate(over="ignore"):
        sh = sh >> _SHIFT  # 32-bit shingle ids
        # multiply-shift hashing: high 32 bits of (a*x + b) mod 2^64, for NUM_PERM (a, b) pairs
        perm = (sh[:, None] * _A[None, :] + _B[None, :]) >> _SHIFT
    return perm.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One integer per LSH band of *signature*."""
    with np.errstate(over="ignore"):
        return (signature.reshape(BANDS, ROWS).astype(np.uint64) * _BAND_MULT).sum(axis=1).tolist()


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle-set Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


class NearDuplicateIndex:
    """Streaming LSH index: :meth:`query_add` returns the best earlier match (≥ threshold) and indexes the doc.

    Memory is O(n): one signature (``NUM_PERM`` x 4 bytes) and ``BANDS`` dictionary entries per document.
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self._bands: list[dict[int, list[int]]] = [dict() for _ in range(BANDS)]
        self._signatures: list[np.ndarray] = []
        self._ids: list[str] = []

    def __len__(self) -> int:
        return len(self._ids)

    def query_add(self, doc_id: str, signature: np.ndarray | None, keys: list[int] | None = None) -> tuple[str, float] | None:
        if signature is None:
            return None
        keys = keys if keys is not None else band_keys(signature)
        candidates: set[int] = set()
        for band, key in zip(self._bands, keys):
            hit = band.get(key)
            if hit is not None:
                candidates.update(hit)
        best: tuple[str, float] | None = None
        best_j = -1.0
        for idx in sorted(candidates):
            j = estimated_jaccard(signature, self._signatures[idx])
            if j >= self.threshold and j > best_j:
                best, best_j = (self._ids[idx], j), j
        idx = len(self._ids)
        self._ids.append(doc_id)
        self._signatures.append(signature)
        for band, key in zip(self._bands, keys):
            band.setdefault(key, []).append(idx)
        return best
