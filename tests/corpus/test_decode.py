"""Encoding detection: BOMs, strict UTF-8, Windows-1256 validated by Arabic-letter ratio, binary/undecodable."""
from __future__ import annotations

import pytest

from arabic_news.corpus.decode import DecodeError, arabic_ratio, decode_bytes

TEXT = "قال الوزير إن المحادثات كانت بناءة ومثمرة."


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("cp1256"), "cp1256"),
])
def test_decodes_each_supported_encoding(data, encoding):
    got = decode_bytes(data)
    assert (got.text, got.encoding) == (TEXT, encoding)


def test_nul_bytes_mean_binary():
    with pytest.raises(DecodeError, match=r"^binary file \(NUL bytes\)$"):
        decode_bytes(b"GIF89a\x00\x01\x02")


def test_latin1_is_not_mistaken_for_cp1256():
    with pytest.raises(DecodeError, match="undecodable text"):
        decode_bytes("Déjà vu à Paris, café crème".encode("latin-1"))


def test_random_high_bytes_are_undecodable():
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(bytes(range(0x80, 0x100)) * 3 + b"\x01\x02")


def test_arabic_ratio():
    assert arabic_ratio("الناتو NATO") == pytest.approx(6 / 10)
    assert arabic_ratio("Hello") == 0.0
    assert arabic_ratio("١٢٣ 456 ...") == 0.0  # no letters at all
    assert arabic_ratio("مَرْحَبًا") == 1.0  # diacritics are not letters


def test_arabic_ratio_ignores_urls_and_handles():
    text = "عاجل | انفجار في المدينة https://t.co/AbCdEfGhIjKlMn @AJABreaking www.example.com/news/x"
    assert arabic_ratio(text) == 1.0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_accepted_only_for_arabic_text(encoding):
    got = decode_bytes(TEXT.encode(encoding))
    assert (got.text, got.encoding) == (TEXT, encoding)
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes("Plain English text only".encode(encoding))
