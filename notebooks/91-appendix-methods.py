# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Appendix: methods and benchmarks
#
# How far the models behind the report can be trusted, measured on public labelled data: the stance models
# (Mawqif, ANS, Baly et al.), the lexicon tone scorer, the named-entity tagger (CLEANANERCorp), the topic models
# (ANT, ASND) and the actor matcher (hand-judged SaudiNewsNet mentions). The report never runs a benchmark: this
# page shows the results that `make bench` saved in `benchmarks/results/`, and for a benchmark that has not been
# run, the one command that produces it. The figures do not depend on the corpus of the report.

# %% tags=["parameters"]
corpus_dir = ""    # not used: the benchmarks are on their own datasets (declared for the main job)
sample_size = 300  # not used
seed = 42          # not used
output_dir = ""    # folder for the result tables (CSV); if empty, they are not written
results_dir = ""   # folder of the benchmark results (JSON); if empty, benchmarks/results

# %% tags=["hide"]
import matplotlib.pyplot as plt
from IPython.display import display

from arabic_news.reports import benchmark_results as bench
from arabic_news import overview, plots, reports
from arabic_news.stance import evaluate

plots.setup_matplotlib()
results_path = results_dir or None
tables = {}

# %% [markdown]
# ## The saved results
#
# One row per benchmark: whether its results file exists, when it was written, and the command that writes it
# alone (`make bench` runs them all, a few hours on two cores).

# %%
# NBVAL_CHECK_OUTPUT
for b in bench.BENCHMARKS.values():
    print(f"{b.title}: benchmarks/{b.script} -> {b.filename}")

# %%
status = bench.overview(results_path)
tables["benchmarks"] = status
display(reports.styled_table(status, index=False))

# %% [markdown]
# ## Stance and tone

# %%
stance_results = bench.show_benchmark("stance", results_path, tables)
if stance_results is not None and not bench.stance_summary(stance_results).empty:
    evaluate.plot_against_published(evaluate.benchmark_summary(stance_results))
    plt.show()
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.6), layout="constrained")
    for ax, task in zip(axes, ("target", "pair", "claim")):
        report = evaluate.headline_report(stance_results, task)
        if report and report.get("confusion"):
            evaluate.plot_confusion(report, title=task, ax=ax)
        else:
            ax.set_axis_off()
    plt.show()

# %% [markdown]
# ## Named-entity recognition

# %%
ner_results = bench.show_benchmark("ner", results_path, tables)

# %% [markdown]
# ## Topic models

# %%
topic_results = bench.show_benchmark("topics", results_path, tables)

# %% [markdown]
# ## Actor matching

# %%
actor_results = bench.show_benchmark("actor_precision", results_path, tables)

# %% [markdown]
# ## Stance and tone on this project's own corpus, judged by hand

# %%
validity_results = bench.show_benchmark("corpus_validity", results_path, tables)

# %% tags=["hide"]
written = overview.export_tables(tables, output_dir)
print(f"{len(written)} table(s) written to {output_dir}" if written else "tables not exported (output_dir is empty)")
