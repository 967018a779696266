"""Encoding detection: BOMs, strict UTF-8, Windows-1256 validated by Arabic-letter ratio, binary/undecodable."""
from __future__ import annotations

import pytest

from arabic_news.corpus.decode import (
    Decoded,
    DecodeError,
    arabic_ratio,
    decode_bytes,
    legacy_plausibility,
    mojibake_kind,
)

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


# ------------------------------------------------------------------------------- truncated, mixed, legacy
PARA = "وأكدت وزارة التعليم جاهزية المباني والكتب والمعلمين لاستقبال الطلاب في العام الدراسي الجديد."


def test_utf8_cut_inside_the_last_character_loads_as_utf8_with_a_note():
    data = TEXT.encode("utf-8")[:-2]  # "...ومثمرة." -> the 2-byte "ة" cut after its first byte
    assert data[-1:] == "ة".encode()[:1]
    got = decode_bytes(data)
    assert got == Decoded(TEXT[:-2], "utf-8",
                          ("file ends in the middle of a UTF-8 character: the incomplete last 1 byte dropped",))
    got = decode_bytes(TEXT.encode("utf-8") + "€".encode("utf-8")[:2])  # a 3-byte character cut after 2
    assert got == Decoded(TEXT, "utf-8",
                          ("file ends in the middle of a UTF-8 character: the incomplete last 2 bytes dropped",))


def test_bom_files_cut_inside_the_last_character():
    got = decode_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8")[:-2])
    assert (got.text, got.encoding) == (TEXT[:-2], "utf-8-sig") and len(got.notes) == 1
    got = decode_bytes(b"\xff\xfe" + TEXT.encode("utf-16-le")[:-1])
    assert got == Decoded(TEXT[:-1], "utf-16-le", ("file ends in the middle of a UTF-16-LE character: the "
                                                  "incomplete last 1 byte dropped",))


def test_utf8_with_a_windows_1256_tail_is_decoded_per_segment():
    head = TEXT.encode("utf-8") + b"\n"
    got = decode_bytes(head + PARA.encode("cp1256"))
    assert got.text == TEXT + "\n" + PARA  # each part in its own encoding: no mojibake anywhere
    assert got.encoding == "utf-8+cp1256"
    assert got.notes == (f"mixed encodings: 1 segment ({len(PARA.encode('cp1256'))} bytes, first at byte "
                         f"{len(head)}) decoded as Windows-1256, the rest as UTF-8",)


def test_windows_1256_inside_utf8_both_ends_utf8():
    data = TEXT.encode() + b" " + PARA.encode("cp1256") + b" " + TEXT.encode()
    got = decode_bytes(data)
    assert (got.text, got.encoding) == (f"{TEXT} {PARA} {TEXT}", "utf-8+cp1256")


def test_utf8_with_non_arabic_junk_is_rejected_not_garbled():
    with pytest.raises(DecodeError) as exc:
        decode_bytes(TEXT.encode("utf-8") + b" \xff\xfe\xfa\x80")
    assert exc.value.reason == (f"mixed encodings: UTF-8 text with 4 bytes (first at byte {len(TEXT.encode()) + 1}) "
                                "that are neither UTF-8 nor Arabic in Windows-1256, ISO-8859-6 or Mac-Arabic; "
                                "re-save the file as UTF-8")


# Mac-Arabic has Arabic-Indic digits and right-to-left punctuation of its own (0xA0-0xBF), which ISO-8859-6
# lacks: such a file is Mac-Arabic only. The old detector decoded it as Windows-1256 mojibake.
MAC_TEXT = "افتتح معرض الكتاب الدولي أبوابه أمام الزوار يوم ١٥ مارس بمشاركة ٣٠٠ دار نشر."


def test_mac_arabic_is_detected_and_recorded():
    data = MAC_TEXT.encode("mac_arabic")
    got = decode_bytes(data)
    assert (got.text, got.encoding) == (MAC_TEXT, "mac-arabic")
    assert data.decode("cp1256") != MAC_TEXT  # what a Windows-1256 reading would have given


def test_iso_8859_6_is_detected_and_recorded():
    got = decode_bytes(TEXT.encode("iso8859_6"))
    assert (got.text, got.encoding) == (TEXT, "iso8859-6")


def test_windows_1256_is_not_mistaken_for_mac_arabic():
    got = decode_bytes(PARA.encode("cp1256"))
    assert (got.text, got.encoding) == (PARA, "cp1256")


def test_ambiguous_legacy_text_is_rejected_rather_than_guessed():
    # "سلام حار" in Windows-1256 reads as "سفاك حار" in Mac-Arabic: two well-formed phrases, nothing to choose
    data = "سلام حار".encode("cp1256")
    assert data.decode("mac_arabic") == "سفاك حار"
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data)
    assert exc.value.reason == ("ambiguous legacy encoding (Windows-1256 and ISO-8859-6/Mac-Arabic give different "
                                "plausible Arabic); re-save the file as UTF-8")


def test_legacy_plausibility_scores():
    good = legacy_plausibility(PARA)
    assert (good.n_words, good.well_formed, good.plausible) == (13, 1.0, True)
    assert good.article_share == pytest.approx(8 / 13)  # التعليم المباني والكتب والمعلمين الطلاب العام ...
    bad = legacy_plausibility(PARA.encode("cp1256").decode("mac_arabic"))  # the wrong code page
    assert bad.article_share == 0.0 and bad.well_formed < 0.8 and not bad.plausible


# ------------------------------------------------------------------------------------------- mojibake
def test_mojibake_detection():
    assert mojibake_kind("مرحبا بالعالم".encode("utf-8").decode("cp1256")) == "cp1256"
    assert mojibake_kind(PARA.encode("utf-8").decode("cp1256")) == "cp1256"
    assert mojibake_kind(PARA.encode("utf-8").decode("latin-1")) == "latin-1"
    assert mojibake_kind(PARA.encode("utf-8").decode("cp1252", errors="replace")) == "latin-1"
    assert mojibake_kind(PARA) is None and mojibake_kind(TEXT) is None
    assert mojibake_kind("ضبط، فقط؟ خط") is None  # ط/ظ before Arabic punctuation now and then is normal
    # half an article garbled is still flagged; one garbled word in a long text is not
    half = PARA + " " + PARA.encode("utf-8").decode("cp1256")
    assert mojibake_kind(half) == "cp1256"
    assert mojibake_kind(PARA * 3 + " " + "الوزير".encode("utf-8").decode("cp1256")) is None
