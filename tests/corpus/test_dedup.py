"""MinHash/LSH near-duplicate detection."""
from __future__ import annotations

import numpy as np

from arabic_news.corpus import dedup

BASE = ("شهدت المنطقة خلال العام الماضي نموا ملحوظا في حجم التجارة البينية بين الدول العربية مدفوعا بتحسن "
        "البنية التحتية للموانئ والطرق وتسهيل إجراءات الجمارك على الحدود المشتركة وارتفاع الاستثمارات").split()


def _jaccard(a, b):
    sa = {tuple(a[i:i + 3]) for i in range(len(a) - 2)}
    sb = {tuple(b[i:i + 3]) for i in range(len(b) - 2)}
    return len(sa & sb) / len(sa | sb)


def test_shingle_hashes_match_a_direct_polynomial_hash():
    joined = " ".join(BASE[:6]).encode("utf-8")
    words = joined.split(b" ")

    def direct(bs):
        h = 0
        for x in bs:
            h = (h * 0x100000001B3 + x) % 2**64
        return h

    got = dedup.shingle_hashes(joined)
    assert [int(x) for x in got] == [direct(b" ".join(words[i:i + 3])) for i in range(4)]


def test_signature_is_deterministic_and_estimates_jaccard():
    a = dedup.minhash(BASE)
    assert a.dtype == np.uint32 and a.shape == (dedup.NUM_PERM,)
    assert np.array_equal(a, dedup.minhash(list(BASE)))
    assert dedup.estimated_jaccard(a, a) == 1.0
    edited = BASE[:-1] + ["والتصدير"]
    assert _jaccard(BASE, edited) > 0.8
    assert dedup.estimated_jaccard(a, dedup.minhash(edited)) >= 0.75
    unrelated = ("فاز فريق الهلال على النصر بهدفين مقابل هدف في مباراة الديربي مساء الجمعة وسجل المهاجم "
                 "هدف الفوز").split()
    assert dedup.estimated_jaccard(a, dedup.minhash(unrelated)) < 0.1


def test_too_short_texts_have_no_signature():
    assert dedup.minhash(["كلمة", "ثانية", "ثالثة"]) is None


def test_index_flags_near_duplicates_only():
    index = dedup.NearDuplicateIndex(threshold=0.8)
    assert index.query_add("a", dedup.minhash(BASE)) is None
    unrelated = [w + "ات" for w in BASE]
    assert index.query_add("b", dedup.minhash(unrelated)) is None
    hit = index.query_add("c", dedup.minhash(BASE[:-1] + ["والتصدير"]))
    assert hit is not None and hit[0] == "a" and hit[1] >= 0.8
    assert index.query_add("d", None) is None
    assert len(index) == 3


def test_batch_matches_within_the_batch_and_across_batches():
    edited = BASE[:-1] + ["والتصدير"]
    unrelated = [w + "ات" for w in BASE]
    index = dedup.NearDuplicateIndex(threshold=0.8)
    got = index.query_add_batch(["a", "b", "c", "d"],
                                [dedup.minhash(BASE), dedup.minhash(unrelated), None, dedup.minhash(edited)])
    assert got[0] is None and got[1] is None and got[2] is None
    assert got[3][0] == "a"  # matched inside the same batch, to the earlier document
    later = index.query_add_batch(["e", "f"], [dedup.minhash(unrelated[:-1] + ["x"]), dedup.minhash(BASE)])
    assert later[0][0] == "b"
    assert later[1][0] == "a" and later[1][1] == 1.0  # best estimate wins (a: 1.0 over d)
    assert len(index) == 5


def test_windowed_shingles_are_exactly_the_shingles():
    joined = " ".join(BASE * 5).encode("utf-8")
    whole = sorted(int(x) for x in dedup.shingle_hashes(joined))
    for window in (3, 4, 7, 50, 10_000):
        got = np.concatenate(list(dedup.iter_shingle_hashes(joined, window_tokens=window)))
        assert sorted(int(x) for x in got) == whole, window


def test_minhash_of_a_long_text_is_bounded_and_exact(monkeypatch):
    """A text over the one-window size is hashed in windows and blocks; the signature is the same as the
    plain computation over all shingles (here with tiny windows and blocks)."""
    joined = " ".join(BASE * 40).encode("utf-8")
    sh = dedup.shingle_hashes(joined) >> np.uint64(32)
    with np.errstate(over="ignore"):
        want = ((sh[:, None] * dedup._A[None, :] + dedup._B[None, :]) >> np.uint64(32)).min(axis=0).astype(np.uint32)
    assert (dedup.minhash(joined=joined) == want).all()
    monkeypatch.setattr(dedup, "BLOCK_SHINGLES", 7)
    monkeypatch.setattr(dedup, "WINDOW_TOKENS", 5)
    assert (dedup.minhash(joined=joined) == want).all()
