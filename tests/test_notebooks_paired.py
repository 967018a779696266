"""Every notebook is stored without outputs, paired with a jupytext py:percent script, and ready for papermill
and nbval (a parsable ``parameters`` cell, a few ``# NBVAL_CHECK_OUTPUT`` cells with stored reference outputs)."""
from __future__ import annotations

import fnmatch

import jupytext
import nbformat
import pytest

from arabic_news import config
from arabic_news.reports import CHECK_MARKER, declared_parameters, is_checked_cell

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
SCRIPTS = sorted(p for p in config.NOTEBOOKS_DIR.glob("*.py"))


def _ids(paths):
    return [p.name for p in paths]


def test_there_are_notebooks_and_a_jupytext_config():
    assert NOTEBOOKS, f"no notebooks in {config.NOTEBOOKS_DIR}"
    toml = (config.NOTEBOOKS_DIR / "jupytext.toml").read_text(encoding="utf-8")
    assert 'formats = "ipynb,py:percent"' in toml


@pytest.mark.parametrize("script", SCRIPTS, ids=_ids(SCRIPTS))
def test_every_script_has_its_notebook(script):
    assert script.with_suffix(".ipynb").is_file(), f"{script.name} has no paired .ipynb; run jupytext --sync {script}"
    # pytest must never collect a paired script as a test module
    assert not fnmatch.fnmatch(script.name, "test_*.py") and not fnmatch.fnmatch(script.name, "*_test.py")


def _code_and_markdown(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells if c.cell_type in ("code", "markdown")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_pair_holds_the_same_cells(path):
    script = path.with_suffix(".py")
    assert script.is_file(), f"{path.name} has no paired py:percent script; run `jupytext --sync {path}`"
    assert script.read_text(encoding="utf-8").count("# %%") >= 1, f"{script.name} is not in py:percent format"
    nb = nbformat.read(str(path), as_version=4)
    from_script = jupytext.read(str(script), fmt="py:percent")
    assert _code_and_markdown(from_script) == _code_and_markdown(nb), (
        f"{path.name} and {script.name} differ; run `jupytext --sync {path}`"
    )
    assert [c.metadata.get("tags", []) for c in from_script.cells] == [c.metadata.get("tags", []) for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_stored_without_outputs_except_nbval_references(path):
    nb = nbformat.read(str(path), as_version=4)
    checked = [c for c in nb.cells if is_checked_cell(c)]
    assert 1 <= len(checked), f"{path.name}: mark a few deterministic cells with {CHECK_MARKER}"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_checked_cell(cell):
            # without a stored output and execution count nbval silently compares nothing
            fix = (f"store the reference with `python -c \"from arabic_news.reports.maintenance import refresh_checked_outputs "
                   f"as r; r('notebooks/{path.name}')\"`")
            assert cell.outputs, f"{path.name} cell {i}: {CHECK_MARKER} without a stored reference output; {fix}"
            assert cell.execution_count is not None, f"{path.name} cell {i}: reference without execution count; {fix}"
            for out in cell.outputs:
                assert all(k.startswith("text/") for k in out.get("data", {})), f"{path.name} cell {i}: non-text output"
        else:
            assert not cell.outputs, f"{path.name} cell {i}: outputs stored (notebooks are stored without outputs)"
            assert cell.execution_count is None, f"{path.name} cell {i}: execution count stored"
    assert nb.metadata.get("kernelspec", {}).get("name"), f"{path.name}: no kernelspec"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_parameters_cell_is_parsable_by_papermill(path):
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assigned = [ln.split("=", 1)[0].strip() for ln in cells[0].source.splitlines()
                if ln.strip() and not ln.lstrip().startswith("#") and "=" in ln]
    declared = declared_parameters(path)
    # papermill skips lines with more than one '=' (e.g. in a comment): then the parameter could not be set
    assert sorted(declared) == sorted(assigned), f"{path.name}: papermill cannot parse {set(assigned) - set(declared)}"
    assert {"corpus_dir", "sample_size", "seed"} <= set(declared)
