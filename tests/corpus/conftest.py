"""Fixtures for the corpus tests: a seed-layout folder holding every odd input case (see corpus_samples)."""
from __future__ import annotations

from pathlib import Path

import pytest
from corpus_samples import ARTICLES, ENGLISH, LONG_EDITED, LONG_PARAGRAPHS, LONG_TITLE, seed_text


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """A seed-layout folder with every odd case (see EXPECTED), plus its metadata CSV at meta.csv."""
    root = tmp_path / "odd"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    A = ARTICLES

    def w(rel: str, data: bytes) -> None:
        (root / rel).write_bytes(data)

    w("plain.txt", seed_text(*A["visit"]).encode("utf-8"))
    w("bom.txt", b"\xef\xbb\xbf" + seed_text(*A["oil"]).encode("utf-8"))
    w("utf16le.txt", b"\xff\xfe" + seed_text(*A["rain"]).encode("utf-16-le"))
    w("utf16be.txt", b"\xfe\xff" + seed_text(*A["football"]).encode("utf-16-be"))
    w("cp1256.txt", seed_text(*A["school"]).encode("cp1256"))
    w("crlf.txt", seed_text(*A["health"], newline="\r\n").encode("utf-8"))
    w("no_blank_line.txt", seed_text(*A["economy"], blank=False).encode("utf-8"))
    title, paras = A["summit"]
    html_body = (f"<p>{paras[0].replace('الرياض', '<b>الرياض</b>')}</p>, "
                 f"<p>{paras[1].replace('الأمن', '&quot;الأمن&quot;')} &amp; المزيد.</p>")
    w("html.txt", f"{title}\n\n{html_body}\n".encode("utf-8"))
    w("nested/deeper/inner.txt", seed_text(*A["culture"]).encode("utf-8"))
    w("خبر عاجل.txt", seed_text(*A["tech"]).encode("utf-8"))
    w("Odd Name (1).TXT", seed_text(*A["traffic"]).encode("utf-8"))
    w("long.txt", seed_text(LONG_TITLE, LONG_PARAGRAPHS).encode("utf-8"))
    w("long_edited.txt", seed_text(LONG_TITLE + " (محدث)", LONG_EDITED).encode("utf-8"))
    # same body as plain.txt once normalised (diacritics, tatweel, extra spaces), different title
    t, p = A["visit"]
    dup_body = ", ".join(p).replace("الخارجية", "الخارجيّة").replace("وزير", "وزيـــر").replace(" ", "  ", 3)
    w("zz_duplicate.txt", f"عنوان آخر للخبر نفسه\n\n{dup_body}\n".encode("utf-8"))
    w("empty.txt", b"")
    w("whitespace.txt", b"  \n\t\n   \n")
    w("title_only.txt", "عنوان بلا نص \n\n\n".encode("utf-8"))
    w("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    w("latin1.txt", "Café résumé naïve\n\nÉtude à propos des élèves., Deuxième paragraphe.".encode("latin-1"))
    w("english.txt", ENGLISH.encode("utf-8"))
    w("README.md", b"# notes\n")
    w("LICENSE", b"MIT\n")
    w(".hidden.txt", seed_text(*A["oil"]).encode("utf-8"))
    w(".git/config", b"[core]\n")
    w("photo.png", b"\x89PNG\r\n")
    w("meta.csv", (
        "file,source,url,date\n"
        "plain.txt,alriyadh,http://example.com/visit,2015-07-21\n"
        "bom.txt,okaz,http://example.com/oil,2015-08-01 10:30:00\n"
        "nested/deeper/inner.txt,sabq,http://example.com/culture,not a date\n"
        "zz_duplicate.txt,alyaum,http://example.com/dup,2015-07-22\n"
        "missing.txt,was,http://example.com/missing,2015-07-23\n"
    ).encode("utf-8"))
    return root
