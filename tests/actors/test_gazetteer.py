"""The curated actor gazetteer (data/actors/*.yaml) and its loader (arabic_news.actors.gazetteer)."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import re

import pytest

from arabic_news import config
from arabic_news.actors import Actor, Gazetteer, load_gazetteer
from arabic_news.actors.gazetteer import (
    ACTOR_TYPES,
    TYPE_FILES,
    Affiliation,
    GazetteerError,
    is_arabic_form,
    normalize_form,
)
from arabic_news.text import normalize_text


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# -- the project's gazetteer ----------------------------------------------------------------------------------
def test_project_gazetteer_is_valid(gaz):
    problems = gaz.validate()
    assert problems == [], "\n".join(problems[:40])


def test_one_file_per_type_and_at_least_1000_actors(gaz):
    files = sorted(p.name for p in config.ACTORS_DIR.glob("*.yaml"))
    assert files == sorted(TYPE_FILES.values())
    counts = gaz.counts()
    assert sum(counts.values()) == len(gaz) >= 1000
    assert set(counts) == set(ACTOR_TYPES)
    assert counts["country"] >= 195 and counts["person"] >= 250
    for actor in gaz:
        assert actor.source.startswith(TYPE_FILES[actor.type]), (actor.id, actor.source)


def test_schema_fields(gaz):
    id_re = re.compile(r"^(Q[1-9][0-9]*|[a-z_]+:[a-z0-9][a-z0-9.\-]*)$")
    for actor in gaz:
        assert id_re.match(actor.id), actor.id
        assert actor.type in ACTOR_TYPES
        assert actor.name_en.strip() and actor.name_ar.strip()
        for ref in (actor.country, actor.parent):
            assert ref is None or ref in gaz, (actor.id, ref)
        for aff in actor.affiliations:
            assert aff.org in gaz, (actor.id, aff.org)
            assert aff.role
            assert isinstance(aff.start, dt.date)
            assert aff.end is None or aff.end >= aff.start
            assert aff.precision in ("day", "month", "year")
    people = gaz.by_type("person")
    assert all(p.affiliations for p in people), [p.id for p in people if not p.affiliations][:10]


def test_every_surface_form_is_arabic_after_normalisation(gaz):
    for sf in gaz.surface_forms():
        assert sf.key == normalize_form(sf.form)
        assert sf.key and is_arabic_form(sf.key), (sf.actor_id, sf.kind, sf.form)
        # normalisation only folds spelling variants: the key is a fixed point of normalize_text
        assert normalize_text(sf.key) == sf.key
        assert len(sf.key.replace(" ", "")) >= 2, (sf.actor_id, sf.form)


def test_no_unmarked_shared_alias(gaz):
    index = gaz.alias_index()
    ambiguous = {a.id: {normalize_form(f) for f in a.ambiguous} for a in gaz}
    for key, ids in index.items():
        assert len(ids) == len(set(ids))
        if len(ids) > 1:
            assert all(key in ambiguous[i] for i in ids), (key, ids)


def test_spelling_variants_fold_to_one_key(gaz):
    # أ/ا/إ, ة/ه, ى/ي and diacritics fold; ترمب/ترامب and أمريكا/أميركا are both listed
    for form, actor_id in [("أمريكا", "Q30"), ("أميركا", "Q30"), ("امريكا", "Q30"), ("الأمريكية", "Q30"),
                           ("ترامب", "Q22686"), ("تُرَمْب", "Q22686"), ("أردوغان", "Q39259"), ("اردوغان", "Q39259"),
                           ("إسرائيل", "Q801"), ("اسرائيل", "Q801"), ("السعوديّة", "Q851"), ("المملكة العربية السعودية", "Q851"),
                           ("ستولتنبيرغ", "person:jens-stoltenberg"), ("الأمم المتحدة", "Q1065")]:
        assert gaz.lookup(form)[0].id == actor_id, form


def test_metonymy_ranks_the_place_first(gaz):
    assert [a.id for a in gaz.lookup("بغداد")] == ["Q1530", "Q796"]
    assert [a.id for a in gaz.lookup("واشنطن")] == ["Q61", "Q30"]
    # عمان: Oman first, then Amman, then Jordan (for which Amman stands)
    assert [a.id for a in gaz.lookup("عمان")] == ["Q842", "place:amman", "Q810"]
    assert gaz.lookup("سلطنة عمان")[0].id == "Q842"


def test_generic_words_are_short_names_not_aliases(gaz):
    index = gaz.alias_index()
    for generic in ("الحلف", "المملكة", "القاعدة", "العربية", "مالي", "الشباب"):
        assert normalize_form(generic) not in index, generic
    short = gaz.short_name_index()
    assert short[normalize_form("الحلف")] == ["Q7184"]
    assert short[normalize_form("المملكة")] == ["Q851"]


def test_no_function_words_among_aliases(gaz):
    """A surface form that is a stop word would match everywhere; the few reviewed exceptions are names whose
    stop-word reading is rare in news (وفا the WAFA agency, أوبك OPEC, حماه Hama, أبها Abha)."""
    from arabic_news.text import stopwords

    reviewed = {normalize_form(f) for f in ("وفا", "أوبك", "حماه", "أبها")}
    clashes = set(gaz.alias_index()) & set(stopwords())
    assert clashes <= reviewed, sorted(clashes - reviewed)


# -- the seed article ------------------------------------------------------------------------------------------
SEED_EXPECTED = {
    "الناتو": "Q7184", "حلف شمال الأطلسي": "Q7184", "حلف الأطلسي": "Q7184", "حلف الناتو": "Q7184",
    "ينس ستولتنبرغ": "person:jens-stoltenberg", "ستولتنبرغ": "person:jens-stoltenberg",
    "العراق": "Q796", "العراقي": "Q796", "العراقية": "Q796", "العراقيين": "Q796",
    "مصطفى الكاظمي": "person:mustafa-al-kadhimi", "الكاظمي": "person:mustafa-al-kadhimi",
    "تويتر": "Q918", "رويترز": "Q130879", "بغداد": "Q1530", "الشرق الأوسط": "place:middle-east",
    "أربيل": "place:erbil", "إيران": "Q794", "الإيراني": "Q794", "قاسم سليماني": "person:qasem-soleimani",
    "فيلق القدس": "armed:quds-force", "الولايات المتحدة": "Q30", "الأميركية": "Q30", "الأميركي": "Q30",
    "أميركي": "Q30", "أميركية": "Q30", "دونالد ترمب": "Q22686", "داعش": "Q2429253", "تنظيم داعش": "Q2429253",
    "بريطانيا": "Q145", "تركيا": "Q43", "الدنمارك": "Q35", "دنماركي": "Q35",
    "وزراء دفاع حلف شمال الأطلسي": "org:nato-defence-ministers",
}


def test_seed_article_actors_are_in_the_gazetteer(gaz):
    for form, actor_id in SEED_EXPECTED.items():
        found = gaz.lookup(form)
        assert found and found[0].id == actor_id, (form, [a.id for a in found])
    assert gaz["armed:quds-force"].parent == "armed:irgc"
    # «قائد فيلق القدس الإيراني»: the adjective is not swallowed by a longer alias, so Iran is counted as well
    assert gaz.lookup("فيلق القدس الإيراني") == []
    assert gaz["org:nato-defence-ministers"].parent == "Q7184"


def test_seed_expectations_occur_in_the_seed_article():
    seed = config.seed_dir()
    path = seed / "000_3b35e6c31fdcd92e.txt" if seed else None
    if path is None or not path.is_file():
        pytest.skip("seed article ../shared/seed/000_3b35e6c31fdcd92e.txt not available")
    text = " " + re.sub(r"[^\w]+", " ", normalize_text(path.read_text(encoding="utf-8"))) + " "
    for form in SEED_EXPECTED:
        key = normalize_form(form)
        variants = [rf"(?:[وفبلك]|وب|ول|فب|فل)?{re.escape(key)}"]
        if key.startswith("ال"):  # ل + ال -> لل
            variants.append(rf"و?لل{re.escape(key[2:])}")
        assert re.search(rf" (?:{'|'.join(variants)}) ", text), form


# -- affiliations -----------------------------------------------------------------------------------------------
def test_affiliation_by_date(gaz):
    stoltenberg = "person:jens-stoltenberg"
    assert ("Q7184", "Secretary General") in gaz.affiliation(stoltenberg, dt.date(2021, 2, 16))
    assert ("Q7184", "Secretary General") not in gaz.affiliation(stoltenberg, "2025-01-01")
    assert ("Q7184", "Secretary General") not in gaz.affiliation(stoltenberg, dt.datetime(2014, 9, 30, 12))
    assert gaz.affiliation(stoltenberg, "2024-10-01") == []  # end is exclusive: Rutte took over that day
    assert gaz.affiliation("person:mustafa-al-kadhimi", "2021-02-16") == [("Q796", "Prime Minister")]
    assert gaz.affiliation("Q22686", "2019-06-01") == [("Q30", "President")]
    assert gaz.affiliation("Q22686", "2022-06-01") == []
    assert gaz.affiliation("no-such-actor", "2020-01-01") == []
    assert gaz.holders("Q7184", "2021-02-16", role="Secretary General") == [(stoltenberg, "Secretary General")]


def test_heads_of_state_and_government_have_no_overlaps(gaz):
    """Two people cannot hold the same single-holder office on the same day."""
    single = {"President", "Prime Minister", "King", "Emir", "Secretary General", "Supreme Leader", "Chancellor",
              "Sultan", "Foreign Minister", "Defence Minister", "Crown Prince"}
    by_office: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = {}
    for actor in gaz.by_type("person"):
        for aff in actor.affiliations:
            if aff.role in single:
                by_office.setdefault((aff.org, aff.role), []).append(
                    (aff.start, aff.end or dt.date(9999, 1, 1), actor.id, aff.precision))
    overlaps = []
    for office, spans in by_office.items():
        spans.sort()
        for (s1, e1, p1, pr1), (s2, e2, p2, pr2) in zip(spans, spans[1:]):
            slack = dt.timedelta(days=366 if "year" in (pr1, pr2) else 31 if "month" in (pr1, pr2) else 0)
            if s2 + slack < e1:
                overlaps.append((office, p1, p2))
    assert overlaps == []


# -- the loader on hand-made files --------------------------------------------------------------------------
def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_loader_parses_records_and_dates(tmp_path):
    _write(tmp_path, "people.yaml", """
- id: person:test-one
  name_en: Test One
  name_ar: فلان الفلاني
  type: person
  aliases: [الفلاني]
  affiliations:
    - {org: Q1, role: Minister, start: 2014, end: 2016-06}
    - {org: Q1, role: Envoy, start: 2016-06-15}
""")
    _write(tmp_path, "countries.yaml", """
- {id: Q1, name_en: Testland, name_ar: تستلاند, type: country, adjectives: [التستلاندي, التستلاندية]}
""")
    gaz = load_gazetteer(tmp_path, use_cache=False)
    assert gaz.validate() == []
    person = gaz["person:test-one"]
    assert isinstance(person, Actor)
    assert person.affiliations[0] == Affiliation(org="Q1", role="Minister", start=dt.date(2014, 1, 1),
                                                 end=dt.date(2016, 6, 1), precision="year")  # the coarser of the two
    assert person.affiliations[1].end is None and person.affiliations[1].precision == "day"
    assert gaz.affiliation("person:test-one", "2015-03-01") == [("Q1", "Minister")]
    assert gaz.affiliation("person:test-one", "2030-01-01") == [("Q1", "Envoy")]
    assert gaz.alias_index() == {"فلان الفلاني": ["person:test-one"], "الفلاني": ["person:test-one"],
                                 "تستلاند": ["Q1"], "التستلاندي": ["Q1"], "التستلانديه": ["Q1"]}


def test_validate_reports_every_kind_of_problem(tmp_path):
    _write(tmp_path, "countries.yaml", """
- {id: Q1, name_en: A, name_ar: ألف, type: country, aliases: [المشترك]}
- {id: Q2, name_en: B, name_ar: باء, type: country, aliases: [المشترك, "ABC"], ambiguous: [باء]}
- {id: Q1, name_en: A again, name_ar: ألف, type: country}
- {id: Q3, name_en: C, name_ar: جيم, type: planet, colour: red}
- {id: "bad id", name_en: D, name_ar: دال, type: country, parent: Q99}
""")
    _write(tmp_path, "people.yaml", """
- id: person:x
  name_en: X
  name_ar: إكس
  type: person
  affiliations:
    - {org: Q42, role: King, start: 2020-01-01, end: 2019-01-01}
    - {org: Q1, role: Envoy, start: someday}
""")
    problems = "\n".join(load_gazetteer(tmp_path, use_cache=False).validate())
    for expected in ["duplicate id Q1", "type 'planet'", "unknown field(s) colour", "id must be",
                     "parent Q99 is not an actor id", "affiliation org Q42 is not an actor id",
                     "end 2019-01-01 is before start 2020-01-01", "date 'someday'",
                     "'ABC' is not Arabic", "ambiguous form 'باء' is not shared",
                     "alias 'المشترك' is shared by Q1, Q2 but not marked ambiguous on Q1, Q2"]:
        assert expected in problems, expected


def test_bad_files_raise_one_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="not found"):
        load_gazetteer(tmp_path / "missing", use_cache=False)
    with pytest.raises(GazetteerError, match=r"no \*\.yaml"):
        load_gazetteer(tmp_path, use_cache=False)
    _write(tmp_path, "places.yaml", "- id: [unclosed\n")
    with pytest.raises(GazetteerError, match=r"places\.yaml.*not valid YAML"):
        load_gazetteer(tmp_path, use_cache=False)
    _write(tmp_path, "places.yaml", "id: Q1\n")
    with pytest.raises(GazetteerError, match="must be a YAML list"):
        load_gazetteer(tmp_path, use_cache=False)


def test_cache_is_keyed_by_file_contents(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    data = _write(tmp_path, "countries.yaml", "- {id: Q1, name_en: A, name_ar: ألف, type: country}\n")
    first = load_gazetteer(data)
    cached = list((tmp_path / "cache" / "actors").glob("gazetteer-*.json"))
    assert len(cached) == 1
    again = load_gazetteer(data)
    assert again.actors == first.actors and again.alias_index() == {"الف": ["Q1"]}
    _write(tmp_path, "countries.yaml", "- {id: Q1, name_en: A, name_ar: باء, type: country}\n")
    changed = load_gazetteer(data)
    assert changed["Q1"].name_ar == "باء"
    assert len(list((tmp_path / "cache" / "actors").glob("gazetteer-*.json"))) == 2
    cached[0].write_bytes(b"{not json")  # a corrupt cache entry is rebuilt, not fatal
    _write(tmp_path, "countries.yaml", "- {id: Q1, name_en: A, name_ar: ألف, type: country}\n")
    assert load_gazetteer(data)["Q1"].name_ar == "ألف"


def test_cache_is_plain_json_and_rebuilds_the_same_gazetteer(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    _write(tmp_path, "countries.yaml", "- {id: Q1, name_en: Iraq, name_ar: العراق, type: country, "
                                       "adjectives: [العراقي], notes: {seen: 2020-01-31, why: [a, 1]}}\n")
    _write(tmp_path, "people.yaml", "\n".join([
        "- id: Q2", "  name_en: Ali", "  name_ar: علي حسن", "  type: person", "  country: Q1",
        "  short_names: [حسن]", "  notes: 2021-05-01",
        "  affiliations:", "    - {org: Q1, role: Minister, start: 2014-10, end: 2018, notes: acting}",
        "  form_rules:", "    - {form: حسن, blocked_proclitics: [ل, و], not_after: [السيد], requires_context: actor}",
        "- {id: Q3, name_en: Bad, name_ar: بادٌ, type: nonsense, unknown_field: 1}"]) + "\n")
    (tmp_path / "cache").mkdir()
    folder = tmp_path / "cache" / "actors"
    folder.mkdir()
    (folder / "gazetteer-0123.pkl").write_bytes(b"\x80\x05old")  # the pickled cache of an earlier version
    fresh = load_gazetteer(tmp_path, use_cache=False)
    first = load_gazetteer(tmp_path)  # parses and writes the cache (and drops the old pickle, never read)
    (cache,) = folder.iterdir()
    assert cache.name.startswith("gazetteer-") and cache.suffix == ".json"
    json.loads(cache.read_text(encoding="utf-8"))  # plain JSON: reading it can run nothing
    cached = load_gazetteer(tmp_path)
    for g in (first, cached):
        assert g.actors == fresh.actors and g.surface_forms() == fresh.surface_forms()
        assert g.alias_index() == fresh.alias_index() and g.short_name_index() == fresh.short_name_index()
        assert g.validate() == fresh.validate() and g.files == fresh.files
        assert g.affiliation("Q2", "2016-01-01") == [("Q1", "Minister")]
    assert cached["Q1"].notes == {"seen": dt.date(2020, 1, 31), "why": ["a", 1]}
    assert cached["Q2"].form_rules[0].blocked_proclitics == frozenset({"ل", "و"})


def test_the_project_gazetteer_survives_the_json_cache_exactly(gaz):
    import json

    from arabic_news.actors.gazetteer import _gazetteer_from_json, _gazetteer_to_json

    again = _gazetteer_from_json(json.loads(json.dumps(_gazetteer_to_json(gaz), ensure_ascii=False)))
    assert again.actors == gaz.actors and again.surface_forms() == gaz.surface_forms()
    assert again.alias_index() == gaz.alias_index() and again.short_name_index() == gaz.short_name_index()


def test_gazetteer_pickles(gaz):
    restored = pickle.loads(pickle.dumps(gaz))
    assert restored.alias_index() == gaz.alias_index()
    assert len(restored) == len(gaz)


def test_user_gazetteer_from_the_environment_adds_to_the_curated_one(tmp_path, monkeypatch):
    """ARABIC_NEWS_GAZETTEER names the user's own files/folders: load_gazetteer() reads them after data/actors."""
    for sub in ("curated", "mine"):
        (tmp_path / sub).mkdir()
    curated = _write(tmp_path / "curated", "countries.yaml", "- {id: Q1, name_en: A, name_ar: ألف, type: country}\n")
    mine = _write(tmp_path / "mine", "people.yaml", "- {id: 'person:my-one', name_en: Mine, name_ar: فلان علان, "
                                                     "type: person}\n- {id: Q1, name_en: clash, name_ar: باء, type: country}\n")
    other = _write(tmp_path, "extra.yaml", "- {id: 'org:my-org', name_en: Org, name_ar: هيئة التجربة, "
                                           "type: organization}\n") / "extra.yaml"
    monkeypatch.setattr(config, "ACTORS_DIR", curated)
    monkeypatch.setenv("ARABIC_NEWS_GAZETTEER", f"{mine}{os.pathsep}{other}")
    assert config.extra_gazetteer_paths() == [mine, other]
    gaz = load_gazetteer(use_cache=False)
    assert sorted(gaz.actors) == ["Q1", "org:my-org", "person:my-one"]
    assert gaz["Q1"].name_en == "A"                               # the curated record wins a duplicate id ...
    assert any("duplicate id Q1" in p for p in gaz.validate())   # ... and the clash is reported
    assert gaz.alias_index()["فلان علان"] == ["person:my-one"]
    monkeypatch.setenv("ARABIC_NEWS_GAZETTEER", str(tmp_path / "nowhere.yaml"))
    with pytest.raises(GazetteerError, match=r"nowhere\.yaml: user gazetteer not found \(named in ARABIC_NEWS_GAZETTEER\)"):
        load_gazetteer(use_cache=False)
    monkeypatch.delenv("ARABIC_NEWS_GAZETTEER")
    assert config.extra_gazetteer_paths() == [] and sorted(load_gazetteer(use_cache=False).actors) == ["Q1"]
