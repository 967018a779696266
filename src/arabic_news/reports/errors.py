"""The error of the reports package."""
from __future__ import annotations


class ReportError(RuntimeError):
    """An expected failure of the main job (bad corpus, missing notebook, ...), with the fix in the message."""
