"""`arabic-news data` sub-command (not implemented yet)."""
from __future__ import annotations


def register(subparsers) -> None:
    """Add the `data` sub-command to *subparsers* (to be implemented)."""
    return None
