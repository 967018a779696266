"""The index's claims card shows only the stance labels whose validated precision reached the stated level."""
from arabic_news.reports.index import _stance_block


def test_claims_card_shows_only_validated_labels():
    data = {"claims_labels_shown": ["agree"],
            "claims": [{"claim": "الاتفاق النووي مع إيران <b>", "applies": True, "n_classified": 40, "n_related": 12,
                        "n_agree": 5, "n_disagree": 0, "n_discuss": 0, "n_uncertain": 7}]}
    html = _stance_block(data, "#tone", "#claims")
    assert ">agree<" in html and ">stance uncertain<" in html and ">related<" in html
    table = html.split("</table>")[0]
    assert "disagree" not in table and "discuss" not in table   # no column for a label that is never shown
    assert "disagree, discuss never reach it" in html             # and the note says why
    assert "<b>" not in html and "&lt;b&gt;" in html  # claim text escaped
    assert '<td class="n">12</td><td class="n">5</td><td class="n">7</td>' in html
