"""Actors: the curated gazetteer, matching, NER and actor-frequency analysis."""
from arabic_news.actors.gazetteer import Actor, Gazetteer, load_gazetteer

__all__ = ["Actor", "Gazetteer", "load_gazetteer"]
