"""Seed-layout parsing: title, paragraph joins, tolerance of layout variants and HTML."""
from __future__ import annotations

import pytest

from arabic_news.corpus.seed_layout import LayoutError, parse_seed_text, split_seed_paragraphs, strip_html


def test_paragraphs_split_on_full_stop_comma_only():
    body = "قال المتحدث، في بيان، إن الاجتماع انتهى., وأوضح أن 3.5 مليون دولار خصصت للمشروع., انتهى."
    assert split_seed_paragraphs(body) == [
        "قال المتحدث، في بيان، إن الاجتماع انتهى.",
        "وأوضح أن 3.5 مليون دولار خصصت للمشروع.",
        "انتهى.",
    ]


def test_arabic_comma_join_and_inner_sentence_stops():
    # a full stop inside a paragraph followed by a space (not a comma) is a sentence, not a paragraph join
    assert split_seed_paragraphs("الجملة الأولى. الجملة الثانية.، فقرة أخرى.") == [
        "الجملة الأولى. الجملة الثانية.", "فقرة أخرى."]


def test_title_blank_line_body():
    a = parse_seed_text("العنوان هنا \n\nفقرة أولى., فقرة ثانية.\n")
    assert (a.title, a.paragraphs) == ("العنوان هنا", ["فقرة أولى.", "فقرة ثانية."])


@pytest.mark.parametrize("text", [
    "العنوان\r\n\r\nفقرة أولى., فقرة ثانية.\r\n",      # CRLF
    "العنوان\rفقرة أولى., فقرة ثانية.",                 # old-Mac CR, no blank line
    "\n\n العنوان\nفقرة أولى., فقرة ثانية.",            # leading blank lines, missing blank line
    "\ufeffالعنوان\n\n\n\nفقرة أولى.,  فقرة ثانية.  ",  # BOM char, several blank lines, extra spaces
])
def test_layout_variants(text):
    a = parse_seed_text(text)
    assert (a.title, a.paragraphs) == ("العنوان", ["فقرة أولى.", "فقرة ثانية."])


def test_body_on_several_lines_keeps_each_line_as_a_paragraph_group():
    a = parse_seed_text("العنوان\n\nسطر أول., سطر ثان.\nسطر ثالث.")
    assert a.paragraphs == ["سطر أول.", "سطر ثان.", "سطر ثالث."]


def test_html_tags_and_entities():
    assert strip_html("<p>أ &amp; ب</p><p>ج&nbsp;د &#1607;</p><script>x=1</script>") == "\nأ & ب\n\nج\xa0د ه\n "
    a = parse_seed_text("<h1>العنوان</h1>\n\n<div>فقرة <b>أولى</b>.</div>, <div>فقرة &quot;ثانية&quot;.</div>")
    assert (a.title, a.paragraphs) == ("العنوان", ["فقرة أولى.", 'فقرة "ثانية".'])


@pytest.mark.parametrize("text, reason", [
    ("", "empty file"),
    (" \n\t\n", "whitespace-only file"),
    ("عنوان فقط\n\n   \n", "title without body"),
    ("عنوان فقط", "title without body"),
])
def test_rejections(text, reason):
    with pytest.raises(LayoutError) as exc:
        parse_seed_text(text)
    assert exc.value.reason == reason
