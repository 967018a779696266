# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Appendix: the seed article, read closely
#
# A worked example of what the actor counts count: the project's reference article (a phone call between
# NATO's Secretary General and Iraq's Prime Minister, February 2021) with every actor the matcher finds in it,
# each surface form as written (proclitics included), the kind of each mention and the organisations each
# person was affiliated with on the article's date, then the article itself with every mention marked. The same
# article whatever corpus the report is built on.

# %% tags=["parameters"]
corpus_dir = ""    # not used: the appendix always reads the seed article (declared for the main job)
sample_size = 300  # not used
seed = 42          # not used
output_dir = ""    # folder for the result table (CSV); if empty, it is not written

# %% tags=["hide"]
import pandas as pd
from IPython.display import HTML, Markdown, display

from arabic_news import config, overview, reports
from arabic_news.actors import extract
from arabic_news.actors import tables as actor_tables
from arabic_news.actors.gazetteer import load_gazetteer
from arabic_news.actors.labels import actor_names
from arabic_news.actors.matcher import ActorMatcher

SEED_FILE = "000_3b35e6c31fdcd92e.txt"
SEED_DATE = "2021-02-16"
gazetteer = load_gazetteer()
matcher = ActorMatcher(gazetteer=gazetteer, resolve_affiliations=True).fit()
seed_file = config.seed_dir() / SEED_FILE if config.seed_dir() else None
available = seed_file is not None and seed_file.is_file()
tables = {}

# %% [markdown]
# ## The article's actors
#
# One row per actor, most mentioned first: its mentions by kind (`name`, `adjective` for a nisba, `short_name`
# for a person's family name after the full name, `reference` for a generic word such as الحلف 'the Alliance'
# referring back to an actor named in full), the surface forms as written and, for people, the organisations
# they were affiliated with on the article's date.

# %% tags=["hide"]
if available:
    title, body = extract.read_article(seed_file)
    seed_actors = pd.DataFrame(extract.article_actors(title, body, matcher, date=SEED_DATE))
    affiliations = seed_actors.get("affiliations", pd.Series([None] * len(seed_actors)))
    shown = pd.DataFrame({
        "actor": seed_actors["name_ar"],
        "English name": seed_actors["name_en"],
        "type": seed_actors["type"],
        "mentions": seed_actors["mentions"],
        "kinds": seed_actors["kinds"].map(lambda d: ", ".join(f"{k} {v}" for k, v in d.items())),
        "surface forms": seed_actors["surfaces"].map("، ".join),
        "affiliated with": affiliations.map(lambda x: "، ".join(actor_names(x, gazetteer)) if isinstance(x, list)
                                            else ""),
    })
    tables["seed_article_actors"] = shown
    display(actor_tables.escape_and_highlight(reports.rtl_table(shown, index=False)))
else:
    seed_actors = pd.DataFrame()
    display(Markdown("This appendix needs the seed article (`../shared/seed` next to the project), which is not "
                     "on this machine."))

# %% tags=["remove_cell"]
# NBVAL_CHECK_OUTPUT
if len(seed_actors):
    by_name = seed_actors.set_index("name_en")
    for person in ("Jens Stoltenberg", "Mustafa al-Kadhimi"):
        print(f"{person}: {by_name.loc[person, 'mentions']} mentions, affiliated on {SEED_DATE} with "
              f"{'، '.join(actor_names(by_name.loc[person, 'affiliations'], gazetteer))}")
    print("NATO's mentions by kind:", by_name.loc["NATO", "kinds"])

# %% [markdown]
# ## The article with its mentions marked
#
# Every mention is highlighted; hovering over it shows the actor and the kind of mention.

# %% tags=["hide"]
if available:
    text = extract.article_text(title, body)
    found = [m.to_dict() for m in matcher.find(text, SEED_DATE)]
    display(HTML(actor_tables.marked_text_html(text, found, gazetteer)))

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
display(Markdown(f"{len(written)} table(s) written to {reports.md_code(output_dir)}." if written else
                 "Tables not exported (`output_dir` is empty)."))
