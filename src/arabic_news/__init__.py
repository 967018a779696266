"""arabic-news: a reproducible research workbench for Arabic news corpora."""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
