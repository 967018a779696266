"""Rebuilding the mirror's derived files from upstream originals: hand-written inputs, then the real mirror.

The mirror comparisons use small subsets to stay fast (21 ANT articles, 2 UnifiedFC claims, 5 tarball members,
20 seed-layout files). The full-scale comparison (every derived file of every dataset rebuilt from all the
originals) is too slow for a unit test; it was run once by hand (see the fetch module's docs).
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tarfile

import pytest

from arabic_news import config
from arabic_news.corpus import derive as D
from arabic_news.corpus.fetch import load_registry

ANT_DOC = """<DOC>
<DOCNO>JA-economy-32-20170125</DOCNO>
<URL>http://www.jawharafm.net/ar/article/خبر/95/1</URL>
<SRC>Jawhara FM</SRC>
<CAT>economy</CAT>
<TITLE>ارتفاع أسعار الزيت & الحبوب</TITLE>
<TIME>25/01/2017</TIME>
<AUTHOR>سامي</AUTHOR>
<ABSTRACT>

</ABSTRACT>
<TEXT>
الفقرة الأولى.
الفقرة الثانية
</TEXT>
</DOC>
"""


def test_ant_record_parses_tags_and_normalises_the_date():
    rec = D.ant_record(ANT_DOC, "economy/JA-economy-32-20170125.txt")
    assert rec == {
        "id": "JA-economy-32-20170125", "category": "economy", "category_tag": "economy",
        "title": "ارتفاع أسعار الزيت & الحبوب", "date": "2017-01-25", "time_raw": "25/01/2017",
        "source": "Jawhara FM", "url": "http://www.jawharafm.net/ar/article/خبر/95/1", "author": "سامي",
        "abstract": "", "text": "الفقرة الأولى.\nالفقرة الثانية", "path": "economy/JA-economy-32-20170125.txt",
    }
    assert list(rec) == ["id", "category", "category_tag", "title", "date", "time_raw", "source", "url", "author",
                         "abstract", "text", "path"]


@pytest.mark.parametrize("time_raw, docno, expected", [
    ("2017-01-20T21:43:00+01:00", "JA-x-1-20170120", "2017-01-20"),
    ("17/05/2015", "JA-x-2-20150517", "2015-05-17"),
    ("2017-01-22T185600", "JA-x-3-20170122", "2017-01-22"),
    ("", "JA-x-4-20160302", "2016-03-02"),      # no TIME: DOCNO as YYYYMMDD
    ("", "JA-x-5-02032016", "2016-03-02"),      # DOCNO as DDMMYYYY
    ("", "JA-x-6-00000000", None),
])
def test_ant_date_shapes(time_raw, docno, expected):
    assert D._ant_date(time_raw, docno) == expected


def test_ant_record_without_cat_src_author_takes_folder_and_default_source():
    doc = "<DOC><DOCNO>92</DOCNO><TITLE>عنوان</TITLE><TIME>2017-02-01T23:08:00+01:00</TIME><TEXT>نص</TEXT></DOC>"
    rec = D.ant_record(doc, "politic/JA-politic-92-20170201.txt")
    assert (rec["id"], rec["category"], rec["category_tag"], rec["source"], rec["author"], rec["date"]) == \
        ("92", "politic", None, "Jawhara FM", "", "2017-02-01")


def test_unifiedfc_pairs_from_a_hand_written_claim(tmp_path):
    (tmp_path / "dataset").mkdir()
    claim = {"id": "V-7", "claim": "ادعاء كاذب", "fact": "false", "article": ["مقال أول", "مقال ثان"],
             "url": ["http://a", "http://b"], "stance": ["disagree", "unrelated"], "rationale": ["[0]", ""]}
    (tmp_path / "dataset" / "V-7.json").write_text(json.dumps(claim, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "train_test_splits.txt").write_text("Fold_1: R-1 V-7\nFold_2: R-2\n", encoding="utf-8")
    pairs = list(D.unifiedfc_pairs(tmp_path))
    assert pairs == [
        {"pair_id": "V-7_0", "claim_id": "V-7", "fold": "Fold_1", "claim": "ادعاء كاذب", "claim_factuality": "false",
         "article": "مقال أول", "url": "http://a", "stance": "disagree", "rationale": "[0]"},
        {"pair_id": "V-7_1", "claim_id": "V-7", "fold": "Fold_1", "claim": "ادعاء كاذب", "claim_factuality": "false",
         "article": "مقال ثان", "url": "http://b", "stance": "unrelated", "rationale": ""},
    ]
    claim["stance"] = ["agree"]
    (tmp_path / "dataset" / "V-7.json").write_text(json.dumps(claim), encoding="utf-8")
    with pytest.raises(D.DeriveError, match="V-7.json: article/url/stance/rationale lists differ"):
        list(D.unifiedfc_pairs(tmp_path))


def test_seed_layout_text_adds_full_stops_only_where_missing():
    content = " الفقرة الأولى\n\nهل هذا سؤال؟\nقال: \nنهاية."
    assert D.seed_layout_text(" عنوان الخبر ", content) == \
        "عنوان الخبر\n\nالفقرة الأولى., هل هذا سؤال؟, قال:, نهاية.\n"
    assert D.url_key("http://www.alwatan.com.sa/Articles/Detail.aspx?ArticleID=27442") == "ec740ec09bc56a28"


def test_gzip_text_output_is_deterministic(tmp_path):
    lines = [json.dumps({"نص": "سطر %d" % i}, ensure_ascii=False) + "\n" for i in range(3)]
    D._write_gzip(tmp_path / "a.jsonl.gz", iter(lines), gzip_name="a.jsonl", gzip_mtime=1234)
    D._write_gzip(tmp_path / "b.jsonl.gz", iter(lines), gzip_name="a.jsonl", gzip_mtime=1234)
    a = (tmp_path / "a.jsonl.gz").read_bytes()
    assert a == (tmp_path / "b.jsonl.gz").read_bytes()
    assert a[4:8] == (1234).to_bytes(4, "little") and a[10:18] == b"a.jsonl\0"
    assert gzip.decompress(a).decode("utf-8") == "".join(lines)


def test_unknown_recipe(tmp_path):
    with pytest.raises(D.DeriveError, match="unknown derive recipe 'nope'"):
        D.derive("nope", tmp_path, tmp_path / "x")


# ------------------------------------------------------------------------------------------ against the mirror
def _mirror(name: str):
    mirror = config.mirror_dir()
    if mirror is None or not (mirror / name).is_dir():
        pytest.skip(f"no local mirror with {name!r} (set ARABIC_NEWS_MIRROR)")
    return mirror / name


def _derived(name: str, path: str):
    return next(f for f in load_registry()[name].files if f.path == path)


def test_ant_subset_matches_the_mirror_jsonl(tmp_path):
    root = _mirror("antcorpus")
    with tarfile.open(root / "antcorpus_v1.1_original.tar.gz") as tar:
        members = [m for m in tar.getmembers() if m.name.endswith(".txt")]
        picked = members[:: len(members) // 20][:20]
        picked.append(tar.getmember("antcorpus.data/politic/JA-politic-92-20170201.txt"))  # the odd one
        for m in picked:
            out = tmp_path / "repo" / m.name.split("/", 1)[1]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(m).read())
    wanted = {m.name.split("/", 1)[1] for m in picked}
    expected = {}
    with gzip.open(root / "ant_corpus_v1.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["path"] in wanted:
                expected[rec["path"]] = line
    spec = _derived("antcorpus", "ant_corpus_v1.1.jsonl.gz").derive
    D.derive("ant_jsonl", tmp_path / "repo", tmp_path / "ant.jsonl.gz", gzip_name=spec["gzip_name"],
             gzip_mtime=spec["gzip_mtime"])
    with gzip.open(tmp_path / "ant.jsonl.gz", "rt", encoding="utf-8") as fh:
        got = {json.loads(line)["path"]: line for line in fh}
    assert len(got) == 21 and got == expected  # the same JSON lines, byte for byte


def test_unifiedfc_subset_matches_the_mirror_pairs(tmp_path):
    root = _mirror("unifiedfc_stance")
    names = ["unifiedfc/train_test_splits.txt", "unifiedfc/dataset/R-10.json", "unifiedfc/dataset/V-7.json"]
    with tarfile.open(root / "unifiedfc_original.tar.gz") as tar:
        for n in names:
            out = tmp_path / n
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(n).read())
    with gzip.open(root / "unifiedfc_pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        expected = [line for line in fh if json.loads(line)["claim_id"] in ("R-10", "V-7")]
    D.derive("unifiedfc_pairs", tmp_path / "unifiedfc", tmp_path / "p.jsonl.gz")
    with gzip.open(tmp_path / "p.jsonl.gz", "rt", encoding="utf-8") as fh:
        got = fh.readlines()
    assert len(got) == len(expected) > 5 and sorted(got) == sorted(expected)


def test_tar_repacking_reproduces_the_mirror_members(tmp_path):
    root = _mirror("antcorpus")
    spec = _derived("antcorpus", "antcorpus_v1.1_original.tar.gz").derive
    with tarfile.open(root / "antcorpus_v1.1_original.tar.gz") as tar:
        orig = [tar.next() for _ in range(5)]
        for m in orig:
            out = tmp_path / "repo" / m.name.split("/", 1)[1]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(m).read())
        orig_bytes = {m.name: tar.extractfile(m).read() for m in orig}
    members = [m.name.split("/", 1)[1] for m in orig]
    D.derive("tar", tmp_path / "repo", tmp_path / "t.tar.gz", prefix=spec["prefix"], members=members,
             mtime=spec["mtime"], gzip_name=spec["gzip_name"], gzip_mtime=spec["gzip_mtime"])
    with tarfile.open(tmp_path / "t.tar.gz") as tar:
        got = tar.getmembers()
        assert [m.name for m in got] == [m.name for m in orig]
        for a, b in zip(got, orig):
            assert (a.mode, a.uid, a.gid, a.uname, a.gname, a.mtime, a.size, a.pax_headers) == \
                (b.mode, b.uid, b.gid, b.uname, b.gname, b.mtime, b.size, b.pax_headers)
            assert tar.extractfile(a).read() == orig_bytes[b.name]


def test_nileulex_csv_is_byte_identical(tmp_path):
    root = _mirror("sentiment_lexicons")
    D.derive("nileulex_csv", root, tmp_path / "n.csv")
    assert (tmp_path / "n.csv").read_bytes() == (root / "NileULex_v0.27.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "n.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 5953 and set(rows[0]) == {"term", "polarity", "egyptian", "msa"}


def test_countries_tsv_is_byte_identical(tmp_path):
    root = _mirror("actor_gazetteers") / "mledoze_countries"
    D.derive("countries_tsv", root, tmp_path / "c.tsv")
    assert (tmp_path / "c.tsv").read_bytes() == (root / "countries_ar_en.tsv").read_bytes()


def test_linuxscout_gzip_has_the_mirror_content(tmp_path):
    root = _mirror("stopwords")
    f = _derived("stopwords", "linuxscout_stopwordsallforms.csv.gz")
    (tmp_path / "stopwordsallforms.csv").write_bytes(gzip.decompress((root / f.path).read_bytes()))
    spec = {k: v for k, v in f.derive.items() if k not in ("recipe", "src")}
    D.derive("gzip", tmp_path, tmp_path / "out.csv.gz", **spec)
    # GNU gzip made the mirror's file, CPython's zlib makes ours: same content, other compressed bytes
    assert D.verify_derived(tmp_path / "out.csv.gz", sha256=f.sha256, content_sha256=f.content_sha256) == "content"
    assert D.verify_derived(tmp_path / "out.csv.gz", sha256=f.sha256, content_sha256="0" * 64) is None


def test_seed_layout_subset_is_byte_identical(tmp_path):
    root = _mirror("seed_format_saudinewsnet")
    snn = _mirror("saudinewsnet") / "dataset"
    rows = list(csv.DictReader(open(root / "metadata.csv", encoding="utf-8")))[:20]
    (tmp_path / "zips").mkdir()
    for day in {r["date"] for r in rows}:  # the crawl day names the archive holding the article
        (tmp_path / "zips" / f"{day}.zip").symlink_to(snn / f"{day}.zip")
    files = [r["file"] for r in rows]
    D.derive("seed_layout", tmp_path / "zips", tmp_path / "out", files=files)
    for name in files:
        assert (tmp_path / "out" / name).read_bytes() == (root / name).read_bytes(), name


def test_registry_upstream_matches_the_mirror_originals():
    root = _mirror("antcorpus")
    ds = load_registry()["antcorpus"]
    assert len(ds.upstream) == 10_163 and ds.archive.startswith("https://codeload.github.com/antcorpus/antcorpus.data/")
    by_path = {u.path: u for u in ds.upstream}
    with tarfile.open(root / "antcorpus_v1.1_original.tar.gz") as tar:
        for i, m in enumerate(tar):
            if i % 500:
                continue
            u = by_path[m.name.split("/", 1)[1]]
            data = tar.extractfile(m).read()
            assert (u.size, u.sha256) == (len(data), hashlib.sha256(data).hexdigest())
            assert u.url.startswith("https://raw.githubusercontent.com/antcorpus/antcorpus.data/06f6a10e")
    for name, ds in load_registry().items():
        for f in ds.files:
            if f.derive is not None:
                assert f.derive["recipe"] in D.RECIPES, (name, f.path)
        for u in ds.upstream:
            assert u.url.split("/")[5] == ds.upstream[0].url.split("/")[5] and len(u.url.split("/")[5]) == 40
