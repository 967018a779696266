"""A small hand-written gazetteer for the matcher/extract/network tests (facts written by us)."""
from __future__ import annotations

import datetime as dt

from arabic_news.actors.gazetteer import Actor, Affiliation, Gazetteer


def mini_gazetteer() -> Gazetteer:
    """Ten actors covering every matching rule: article/no article, multi-word names, adjectives, a person with
    dated affiliations, a short name, and an ambiguous form."""
    return Gazetteer([
        Actor(id="Q796", name_en="Iraq", name_ar="العراق", type="country",
              adjectives=("العراقي", "العراقية", "العراقيين"), ambiguous=("بغداد",)),
        Actor(id="Q794", name_en="Iran", name_ar="إيران", type="country", adjectives=("الإيراني", "إيراني")),
        Actor(id="Q7184", name_en="NATO", name_ar="حلف شمال الأطلسي", type="organization",
              aliases=("الناتو", "حلف الناتو", "حلف الأطلسي")),
        Actor(id="Q1754", name_en="Baghdad", name_ar="بغداد", type="place", ambiguous=("بغداد",), country="Q796"),
        Actor(id="Q30", name_en="United States", name_ar="الولايات المتحدة", type="country",
              aliases=("أمريكا", "أميركا"), adjectives=("الأميركي", "الأمريكي")),
        Actor(id="Q57604", name_en="Mustafa al-Kadhimi", name_ar="مصطفى الكاظمي", type="person",
              affiliations=(Affiliation(org="Q796", role="Prime Minister", start=dt.date(2020, 5, 7),
                                        end=dt.date(2022, 10, 27)),)),
        Actor(id="Q57565", name_en="Jens Stoltenberg", name_ar="ينس ستولتنبرغ", type="person",
              aliases=("ستولتنبرغ",),
              affiliations=(Affiliation(org="Q7184", role="Secretary General", start=dt.date(2014, 10, 1),
                                        end=dt.date(2024, 10, 1)),)),
        Actor(id="Q22686", name_en="Donald Trump", name_ar="دونالد ترامب", type="person",
              aliases=("دونالد ترمب", "ترامب", "ترمب"),
              affiliations=(Affiliation(org="Q30", role="President", start=dt.date(2017, 1, 20),
                                        end=dt.date(2021, 1, 20)),
                            Affiliation(org="Q30", role="President", start=dt.date(2025, 1, 20), end=None))),
        Actor(id="Q23505", name_en="George H. W. Bush", name_ar="جورج بوش الأب", type="person",
              short_names=("بوش",)),
        Actor(id="Q207", name_en="George W. Bush", name_ar="جورج دبليو بوش", type="person",
              short_names=("بوش",)),
        Actor(id="Q2429253", name_en="Hamas", name_ar="حماس", type="armed_group", aliases=("حركة حماس",)),
    ])


def write_gazetteer_yaml(gazetteer: Gazetteer, path) -> None:
    """Write *gazetteer* as one YAML file of records (the loader's schema) for CLI tests."""
    import yaml

    records = []
    for a in gazetteer.actors.values():
        rec = {"id": a.id, "name_en": a.name_en, "name_ar": a.name_ar, "type": a.type}
        for key in ("aliases", "adjectives", "ambiguous", "short_names"):
            if getattr(a, key):
                rec[key] = list(getattr(a, key))
        if a.country:
            rec["country"] = a.country
        if a.affiliations:
            rec["affiliations"] = [{"org": f.org, "role": f.role, "start": f.start.isoformat(),
                                    "end": f.end.isoformat() if f.end else None} for f in a.affiliations]
        records.append(rec)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(records, fh, allow_unicode=True, sort_keys=False)
