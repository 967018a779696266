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
from typing import Iterator

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


#: Tokens per window when hashing the shingles of a long text (memory stays bounded by the window).
WINDOW_TOKENS = 1 << 16
#: Shingles per block when taking the MinHash minima (a block needs 64 x 8 bytes per shingle).
BLOCK_SHINGLES = 1 << 13


def iter_shingle_hashes(joined: bytes, *, window_tokens: int | None = None) -> Iterator[np.ndarray]:
    """:func:`shingle_hashes` of *joined* in windows of *window_tokens* tokens (consecutive windows overlap by
    ``SHINGLE - 1`` tokens, so every shingle is hashed exactly once), for texts of any length in bounded memory
    (default :data:`WINDOW_TOKENS`)."""
    window_tokens = max(window_tokens or WINDOW_TOKENS, SHINGLE)
    if len(joined) <= 1 << 20 and joined.count(b" ") < window_tokens:
        yield shingle_hashes(joined)  # the common case: a news article fits one window
        return
    spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == 32)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [len(joined)]))
    n_tokens = len(starts)
    if n_tokens < SHINGLE:
        return
    i = 0
    while True:
        j = min(n_tokens, i + window_tokens)
        yield shingle_hashes(joined[starts[i]: ends[j - 1]])
        if j >= n_tokens:
            return
        i = j - (SHINGLE - 1)


def minhash(tokens: list[str] | None = None, *, joined: bytes | None = None) -> np.ndarray | None:
    """MinHash signature (``NUM_PERM`` uint32) of the word 3-shingles of *tokens*; None when too short.

    Pass *joined* (``" ".join(tokens).encode()``) instead of *tokens* when it is already at hand. Memory is
    bounded whatever the length: shingles are hashed window by window (:func:`iter_shingle_hashes`) and the
    minima taken over blocks of :data:`BLOCK_SHINGLES` shingles.
    """
    if joined is None:
        joined = " ".join(tokens or []).encode("utf-8")
    sig = None
    n = 0
    with np.errstate(over="ignore"):
        for sh in iter_shingle_hashes(joined):
            n += len(sh)
            sh = sh >> _SHIFT  # 32-bit shingle ids
            for k in range(0, len(sh), BLOCK_SHINGLES):
                block = sh[k: k + BLOCK_SHINGLES]
                # multiply-shift hashing: high 32 bits of (a*x + b) mod 2^64, for NUM_PERM (a, b) pairs
                m = ((block[:, None] * _A[None, :] + _B[None, :]) >> _SHIFT).min(axis=0)
                sig = m if sig is None else np.minimum(sig, m)
    if n < MIN_SHINGLES or sig is None:
        return None
    return sig.astype(np.uint32)


_BAND_SALT = np.random.default_rng(61).integers(1, 2**63 - 1, BANDS, dtype=np.uint64)


def band_keys(signature: np.ndarray) -> np.ndarray:
    """One 64-bit key per LSH band of *signature* (or per row of a 2-D stack of signatures).

    Each band's key is salted with the band number, so keys of different bands never meet.
    """
    sig = np.atleast_2d(signature)
    with np.errstate(over="ignore"):
        keys = (sig.reshape(len(sig), BANDS, ROWS).astype(np.uint64) * _BAND_MULT).sum(axis=2) ^ _BAND_SALT
    return keys if signature.ndim == 2 else keys[0]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle-set Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


class NearDuplicateIndex:
    """Streaming, batched LSH index: each new document is matched against all earlier ones.

    :meth:`query_add_batch` takes the documents of one chunk in input order and returns, for each, the earlier
    document with the highest estimated Jaccard (≥ threshold), or None; then indexes the chunk. Band keys are
    kept in a few sorted NumPy arrays merged like an LSM tree (O(log n) arrays; lookups are vectorised
    ``searchsorted`` calls per chunk), so memory is about 450 bytes per document (a 64 x 4-byte signature,
    16 x 12 bytes of band entries) plus its id string — some 0.5 GB per million documents.
    """

    #: At most this many earlier documents are considered per band hit (protects against huge buckets).
    MAX_BUCKET = 32

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._n = 0
        self._ids: list[str] = []
        self._levels: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted keys uint64, doc index int32)

    def __len__(self) -> int:
        return self._n

    def _append_signatures(self, sigs: np.ndarray) -> None:
        need = self._n + len(sigs)
        if need > len(self._sigs):
            grown = np.empty((max(need, 2 * len(self._sigs)), NUM_PERM), dtype=np.uint32)
            grown[: self._n] = self._sigs[: self._n]
            self._sigs = grown
        self._sigs[self._n: need] = sigs
        self._n = need

    def _add_level(self, keys: np.ndarray, docs: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self._levels.append((keys[order], docs[order]))
        while len(self._levels) > 1 and len(self._levels[-1][0]) * 2 >= len(self._levels[-2][0]):
            (k2, d2), (k1, d1) = self._levels.pop(), self._levels.pop()
            k, d = np.concatenate((k1, k2)), np.concatenate((d1, d2))  # older first: stable sort keeps doc order
            order = np.argsort(k, kind="stable")
            self._levels.append((k[order], d[order]))

    def query_add_batch(self, doc_ids: list[str], signatures: list[np.ndarray | None]) -> list[tuple[str, float] | None]:
        out: list[tuple[str, float] | None] = [None] * len(doc_ids)
        rows = [i for i, s in enumerate(signatures) if s is not None]
        if not rows:
            return out
        sig = np.stack([signatures[i] for i in rows])
        m = len(rows)
        base = self._n
        keys = band_keys(sig).ravel()                     # (m * BANDS,)
        query = np.repeat(np.arange(m, dtype=np.int64), BANDS)
        pq, pd = [], []
        for level_keys, level_docs in self._levels:      # earlier chunks
            left = np.searchsorted(level_keys, keys, "left")
            cnt = np.minimum(np.searchsorted(level_keys, keys, "right") - left, self.MAX_BUCKET)
            hit = cnt > 0
            if not hit.any():
                continue
            c = cnt[hit]
            starts = np.repeat(left[hit], c)
            offsets = np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
            pq.append(np.repeat(query[hit], c))
            pd.append(level_docs[starts + offsets].astype(np.int64))
        order = np.lexsort((query, keys))                 # earlier documents of this chunk
        sk, sq = keys[order], query[order]
        same = np.flatnonzero(sk[1:] == sk[:-1]) + 1
        if len(same):
            starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
            group_start = starts[np.searchsorted(starts, same, "right") - 1]
            first = np.maximum(group_start, same - self.MAX_BUCKET)
            for lo, hi in zip(first.tolist(), same.tolist()):
                pq.append(np.full(hi - lo, sq[hi], dtype=np.int64))
                pd.append(sq[lo:hi].astype(np.int64) + base)
        self._append_signatures(sig)
        self._ids.extend(doc_ids[i] for i in rows)
        self._add_level(keys, np.repeat(np.arange(base, base + m, dtype=np.int32), BANDS))
        if not pq:
            return out
        q, d = np.concatenate(pq), np.concatenate(pd)
        keep = d < base + q                               # only earlier documents (and never itself)
        q, d = q[keep], d[keep]
        est = (self._sigs[d] == sig[q]).sum(axis=1) / NUM_PERM
        ok = est >= self.threshold
        q, d, est = q[ok], d[ok], est[ok]
        if not len(q):
            return out
        order = np.lexsort((d, -est, q))                  # per query: best estimate, then earliest document
        q, d, est = q[order], d[order], est[order]
        firsts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
        for k in firsts.tolist():
            out[rows[int(q[k])]] = (self._ids[int(d[k])], float(est[k]))
        return out

    def query_add(self, doc_id: str, signature: np.ndarray | None) -> tuple[str, float] | None:
        """:meth:`query_add_batch` for a single document."""
        return self.query_add_batch([doc_id], [signature])[0]
