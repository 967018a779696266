"""Maintenance of the stored notebooks: stored without outputs except the reference outputs nbval compares
(cells marked ``# NBVAL_CHECK_OUTPUT``): :func:`strip_outputs`, :func:`refresh_checked_outputs`."""
from __future__ import annotations

from pathlib import Path


CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"


def is_checked_cell(cell) -> bool:
    """True for a code cell whose outputs nbval compares (it contains ``# NBVAL_CHECK_OUTPUT``)."""
    return cell.get("cell_type") == "code" and CHECK_MARKER in cell.get("source", "")


def strip_outputs(nb, *, keep_checked: bool = True) -> None:
    """Remove outputs and execution counts in place, keeping the (text-only) outputs of checked cells.

    Checked cells keep a stable execution count (their position among the code cells), which nbval needs.

    Notebooks are stored without outputs, except the reference outputs nbval compares for cells marked
    ``# NBVAL_CHECK_OUTPUT`` (nbval has nothing to compare against otherwise); images are never kept.
    """
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    n_code = 0
    for cell in nb.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type != "code":
            continue
        n_code += 1
        cell.execution_count = None
        if keep_checked and is_checked_cell(cell):
            # nbval skips ("unrun reference cell") a reference without an execution count: use the cell's
            # position among code cells, which is stable
            cell.execution_count = n_code
            kept = []
            for out in cell.outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                if "data" in out:
                    out["data"] = {k: v for k, v in out["data"].items() if k.startswith("text/")}
                    if not out["data"]:
                        continue
                if "execution_count" in out:
                    out["execution_count"] = n_code
                kept.append(out)
            cell.outputs = kept
        else:
            cell.outputs = []


def refresh_checked_outputs(notebook: str | Path, *, kernel_name: str | None = None) -> Path:
    """Execute *notebook* with its default parameters and store the reference outputs of its checked cells.

    Use after changing a ``# NBVAL_CHECK_OUTPUT`` cell; everything else stays output-free.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = Path(notebook)
    nb = nbformat.read(str(notebook), as_version=4)
    kernel = kernel_name or nb.metadata.get("kernelspec", {}).get("name", "python3")
    NotebookClient(nb, kernel_name=kernel, resources={"metadata": {"path": str(notebook.parent)}}).execute()
    strip_outputs(nb, keep_checked=True)
    nbformat.write(nb, str(notebook))
    return notebook


