"""Per-form matching rules (gazetteer ``form_rules``) and the context rules of arabic_news.actors.matcher:
blocked proclitics, required context, neighbour words, quoted readings, the country preference for ambiguous
forms, and the default context of one-word person names. Sentences are written by us for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

from arabic_news.actors.gazetteer import Actor, Affiliation, FormRule, Gazetteer, load_gazetteer
from arabic_news.actors.matcher import ActorMatcher


def rules_gazetteer() -> Gazetteer:
    """Actors whose forms are also ordinary words, with the rules that tell them apart."""
    return Gazetteer([
        Actor(id="Q858", name_en="Syria", name_ar="سوريا", type="country", adjectives=("السوري", "السورية")),
        Actor(id="Q805", name_en="Yemen", name_ar="اليمن", type="country", adjectives=("اليمني",)),
        Actor(id="Q219060", name_en="Palestine", name_ar="فلسطين", type="country", adjectives=("الفلسطيني",)),
        Actor(id="Q30", name_en="United States", name_ar="الولايات المتحدة", type="country",
              aliases=("أمريكا",), adjectives=("الأمريكي",),
              form_rules=(FormRule(form="امريكا", not_after=frozenset({"كوبا"})),)),
        Actor(id="Q842", name_en="Oman", name_ar="سلطنة عمان", type="country", aliases=("عمان",),
              ambiguous=("عمان", "مسقط"),
              form_rules=(FormRule(form="مسقط", not_before=frozenset({"راس", "راسه"})),)),
        Actor(id="Q810", name_en="Jordan", name_ar="الأردن", type="country", adjectives=("الأردني",),
              ambiguous=("عمان",)),
        Actor(id="place:amman", name_en="Amman", name_ar="عمان", type="place", country="Q810", ambiguous=("عمان",)),
        Actor(id="place:muscat", name_en="Muscat", name_ar="مسقط", type="place", country="Q842",
              ambiguous=("مسقط",),
              form_rules=(FormRule(form="مسقط", not_before=frozenset({"راس", "راسه"})),)),
        Actor(id="place:palmyra", name_en="Palmyra", name_ar="تدمر", type="place", country="Q858",
              form_rules=(FormRule(form="تدمر", requires_context="related",
                                   not_after=frozenset({"التي"})),)),
        Actor(id="place:homs", name_en="Homs", name_ar="حمص", type="place", country="Q858",
              form_rules=(FormRule(form="حمص", requires_context="related"),)),
        Actor(id="place:aleppo", name_en="Aleppo", name_ar="حلب", type="place", country="Q858"),
        Actor(id="place:lahij", name_en="Lahij", name_ar="لحج", type="place", country="Q805",
              form_rules=(FormRule(form="لحج", blocked_proclitics=frozenset({"ل"}), requires_context="related"),)),
        Actor(id="Q38799", name_en="Hamas", name_ar="حركة حماس", type="armed_group", aliases=("حماس",),
              country="Q219060",
              form_rules=(FormRule(form="حماس", blocked_proclitics=frozenset({"ب"})),)),
        Actor(id="media:al-jazeera", name_en="Al Jazeera", name_ar="قناة الجزيرة", type="media",
              ambiguous=("الجزيرة",),
              form_rules=(FormRule(form="الجزيره", requires_context="actor", not_after=frozenset({"شبه"})),)),
        Actor(id="media:al-jazirah-sa", name_en="Al Jazirah", name_ar="صحيفة الجزيرة", type="media",
              ambiguous=("الجزيرة",),
              form_rules=(FormRule(form="الجزيره", requires_context="actor", not_after=frozenset({"شبه"})),)),
        Actor(id="place:middle-east", name_en="Middle East", name_ar="الشرق الأوسط", type="place",
              ambiguous=("الشرق الأوسط",)),
        Actor(id="media:asharq-al-awsat", name_en="Asharq Al-Awsat", name_ar="صحيفة الشرق الأوسط", type="media",
              ambiguous=("الشرق الأوسط",),
              form_rules=(FormRule(form="الشرق الاوسط", when_quoted=True),)),
        Actor(id="Q241", name_en="Cuba", name_ar="كوبا", type="country",
              form_rules=(FormRule(form="كوبا", not_before=frozenset({"امريكا"})),)),
        Actor(id="person:john-kerry", name_en="John Kerry", name_ar="جون كيري", type="person", aliases=("كيري",),
              country="Q30",
              affiliations=(Affiliation(org="Q30", role="Secretary of State", start=dt.date(2013, 2, 1),
                                        end=dt.date(2017, 1, 20)),)),
        Actor(id="person:nafti", name_en="Mohamed Ali Nafti", name_ar="محمد علي النفطي", type="person",
              aliases=("النفطي",), country="Q30",  # (country set to the US only to test the 'actor' mode)
              form_rules=(FormRule(form="النفطي", requires_context="actor"),)),
        Actor(id="person:shoigu", name_en="Sergei Shoigu", name_ar="سيرغي شويغو", type="person",
              aliases=("شويغو",),
              form_rules=(FormRule(form="شويغو", requires_context="none"),)),
        Actor(id="person:nasrallah", name_en="Hassan Nasrallah", name_ar="حسن نصر الله", type="person"),
    ])


@pytest.fixture(scope="module")
def matcher():
    gaz = rules_gazetteer()
    assert gaz.validate() == []
    return ActorMatcher(gazetteer=gaz).fit()


def found(matcher, text):
    return [(m.surface, m.actor_id) for m in matcher.find(text)]


def test_blocked_proclitics(matcher):
    assert found(matcher, "استقبل الجمهور القرار بحماس") == []          # 'enthusiastically'
    assert found(matcher, "رحبت القيادات وبحماس") == []
    assert found(matcher, "وفد من حماس ولحماس مكتب") == [("حماس", "Q38799"), ("ولحماس", "Q38799")]
    assert found(matcher, "سجل للحج في اليمن") == [("اليمن", "Q805")]     # للحج: 'for the Hajj'
    assert found(matcher, "معارك في لحج جنوب اليمن") == [("لحج", "place:lahij"), ("اليمن", "Q805")]


def test_requires_related_context(matcher):
    assert found(matcher, "المخدرات تدمر العقول") == []                   # the verb 'destroys'
    assert found(matcher, "سيطر التنظيم على تدمر في سوريا") == [("تدمر", "place:palmyra"), ("سوريا", "Q858")]
    # an adjective of the country is context too; so is another actor of the same country (حلب)
    assert found(matcher, "قالت المعارضة السورية إن تدمر") == [("السورية", "Q858"), ("تدمر", "place:palmyra")]
    assert found(matcher, "بين حلب وتدمر") == [("حلب", "place:aleppo"), ("وتدمر", "place:palmyra")]
    # two forms that both need context do not license each other
    assert found(matcher, "بين حمص وتدمر") == []
    # a neighbour word drops the reading even with context
    assert found(matcher, "في سوريا التي تدمر") == [("سوريا", "Q858")]


def test_requires_the_actor_itself(matcher):
    text = "بثت قناة الجزيرة الخبر. وقالت الجزيرة إن"
    assert found(matcher, text) == [("قناة الجزيرة", "media:al-jazeera"), ("الجزيرة", "media:al-jazeera")]
    text = "قال لـ«الجزيرة» مسؤول في صحيفة الجزيرة"
    assert found(matcher, text) == [("الجزيرة", "media:al-jazirah-sa"), ("صحيفة الجزيرة", "media:al-jazirah-sa")]
    assert found(matcher, "وقال لـ«الجزيرة» إن") == []                    # no full mention: not resolved
    assert found(matcher, "قناة الجزيرة في شبه الجزيرة") == [("قناة الجزيرة", "media:al-jazeera")]
    # 'actor' mode: the person's country is not enough
    assert found(matcher, "القطاع النفطي الأمريكي") == [("الأمريكي", "Q30")]
    assert found(matcher, "قال محمد علي النفطي إن النفطي") == [("محمد علي النفطي", "person:nafti"),
                                                            ("النفطي", "person:nafti")]


def test_neighbour_words(matcher):
    assert found(matcher, "عاد إلى مسقط رأسه") == []
    assert found(matcher, "وصل الوزير إلى مسقط أمس") == [("مسقط", "place:muscat")]
    assert found(matcher, "بطولة كوبا أمريكا") == []
    assert found(matcher, "زار أمريكا وكوبا") == [("أمريكا", "Q30"), ("وكوبا", "Q241")]


def test_quoted_reading(matcher):
    assert found(matcher, "وقال لـ«الشرق الأوسط» إن") == [("الشرق الأوسط", "media:asharq-al-awsat")]
    assert found(matcher, 'وقال لـ" الشرق الأوسط " إن') == [("الشرق الأوسط", "media:asharq-al-awsat")]
    assert found(matcher, "وأكد لـ {الشرق الأوسط} أن") == [("الشرق الأوسط", "media:asharq-al-awsat")]
    assert found(matcher, "الأمن في الشرق الأوسط") == [("الشرق الأوسط", "place:middle-east")]


def test_country_preference_for_ambiguous_forms(matcher):
    assert found(matcher, "التنسيق بين الأردن وعمان") == [("الأردن", "Q810"), ("وعمان", "place:amman")]
    assert found(matcher, "زار الوزير عمان") == [("عمان", "Q842")]         # no country named: first reading
    assert found(matcher, "زار سلطنة عمان ثم عمان") == [("سلطنة عمان", "Q842"), ("عمان", "Q842")]


def test_one_word_person_names_need_context(matcher):
    assert found(matcher, "قال كيري إن") == []                             # كيري is also a given name elsewhere
    assert found(matcher, "قال كيري في الولايات المتحدة") == [("كيري", "person:john-kerry"),
                                                             ("الولايات المتحدة", "Q30")]
    assert found(matcher, "قال جون كيري إن كيري") == [("جون كيري", "person:john-kerry"),
                                                     ("كيري", "person:john-kerry")]
    assert found(matcher, "قال شويغو") == [("شويغو", "person:shoigu")]       # requires_context: none
    loose = ActorMatcher(gazetteer=rules_gazetteer(), person_word_context=None).fit()
    assert found(loose, "قال كيري إن") == [("كيري", "person:john-kerry")]
    with pytest.raises(ValueError, match="person_word_context"):
        ActorMatcher(gazetteer=rules_gazetteer(), person_word_context="always").fit()


def test_compound_names_give_no_family_name(matcher):
    text = "قال حسن نصر الله إن النصر على بركة الله"
    assert found(matcher, text) == [("حسن نصر الله", "person:nasrallah")]


def test_form_rules_load_and_validate(tmp_path):
    (tmp_path / "places.yaml").write_text("""
- id: place:x
  name_en: X
  name_ar: لحج
  type: place
  form_rules:
    - {form: لحج, blocked_proclitics: [ل], requires_context: related, not_before: [والعمرة]}
- id: place:y
  name_en: Y
  name_ar: عين
  type: place
  form_rules:
    - {form: عين, blocked_proclitics: [س], colour: red}
    - {form: غين, not_before: [two words]}
    - {form: عين, when_quoted: true}
    - {form: عين}
    - {form: عين, requires_context: sometimes}
""", encoding="utf-8")
    gaz = load_gazetteer(tmp_path, use_cache=False)
    rule = gaz["place:x"].form_rules[0]
    assert rule == FormRule(form="لحج", blocked_proclitics=frozenset({"ل"}), requires_context="related",
                            not_before=frozenset({"والعمره"}))
    assert gaz.form_rules()[("لحج", "place:x")] == rule
    problems = "\n".join(gaz.validate())
    for expected in ["not single proclitic letters", "unknown field(s) colour", "must be single words",
                     "'غين', which is not one of its surface forms", "when_quoted on 'عين', which no other",
                     "sets no rule for 'عين'", "requires_context 'sometimes'", "two form rules for 'عين'"]:
        assert expected in problems, expected


# -- the project's gazetteer on sentences written for these tests ------------------------------------------------
@pytest.fixture(scope="module")
def project_matcher():
    return ActorMatcher(gazetteer=load_gazetteer()).fit()


@pytest.mark.parametrize("text, expected", [
    ("بدأ التسجيل للحج لهذا العام", []),
    ("استقبل الطلاب المبادرة بحماس كبير", []),
    ("عاد اللاعب إلى مسقط رأسه", []),
    ("المخدرات التي تدمر عقول الشباب", []),
    ("قال لـ«الشرق الأوسط» مصدر مطلع", ["media:asharq-al-awsat"]),
    ("الأوضاع في الشرق الأوسط", ["place:middle-east"]),
    ("افتتح مهرجان سوق عكاظ في الطائف", ["place:souk-okaz", "place:taif"]),
    ("ذكرت صحيفة عكاظ أن", ["media:okaz"]),
    ("الصيادون على ضفاف بحيرة تشاد", ["place:lake-chad"]),
    ("مباراة في بطولة كوبا أمريكا", []),
    ("ارتفعت إيرادات القطاع النفطي", []),
    ("تقدمت المقاومة في لحج جنوب اليمن", ["place:lahij", "Q805"]),
    ("وفد من حركة حماس في غزة", ["Q38799", "place:gaza-strip"]),
    ("وصل الوفد إلى جدة أمس", ["place:jeddah"]),
])
def test_project_gazetteer_on_ordinary_words(project_matcher, text, expected):
    assert [m.actor_id for m in project_matcher.find(text)] == expected


def test_names_inside_a_nasab_are_not_mentions():
    gaz = Gazetteer([
        Actor(id="person:king-salman", name_en="King Salman", name_ar="سلمان بن عبدالعزيز", type="person",
              aliases=("الملك سلمان",)),
        Actor(id="person:sultan-bin-salman", name_en="Sultan bin Salman", name_ar="سلطان بن سلمان",
              type="person"),
        Actor(id="person:abdullah-ii", name_en="Abdullah II", name_ar="الملك عبدالله الثاني", type="person",
              aliases=("الملك عبدالله",)),
    ])
    m = ActorMatcher(gazetteer=gaz).fit()
    text = "رعى الأمير سلطان بن سلمان بن عبدالعزيز الحفل"
    assert found(m, text) == [("سلطان بن سلمان", "person:sultan-bin-salman")]  # the rest is his nasab
    assert found(m, "قال الملك سلمان بن عبدالعزيز") == [("سلمان بن عبدالعزيز", "person:king-salman")]
    # no family name is derived from "title + given name": عبدالله alone is not the Jordanian king
    assert found(m, "زار الملك عبدالله عمان. وقال عبدالله الزهراني") == [("الملك عبدالله", "person:abdullah-ii")]
