"""The record of one run of the main job (written to ``OUT/run_log.json``): :class:`ReportRun` with one
:class:`NotebookResult` per notebook."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class NotebookResult:
    name: str
    title: str
    summary: str
    parameters: dict[str, Any]
    executed: str
    html: str | None
    status: str = "ok"            # ok | failed
    error: str = ""
    seconds_execute: float = 0.0
    seconds_render: float = 0.0
    slowest_cells: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportRun:
    out_dir: str
    source: str
    corpus_dir: str
    corpus_sha256: str
    n_articles: int
    parameters: dict[str, Any]
    versions: dict[str, str]
    notebooks: list[NotebookResult] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    total_seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    user_gazetteer: list[str] = field(default_factory=list)   # ARABIC_NEWS_GAZETTEER, read by the notebooks

    @property
    def failed(self) -> list[NotebookResult]:
        return [nb for nb in self.notebooks if nb.status != "ok"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


