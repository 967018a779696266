"""Topic modelling: NMF, LDA and embedding-based (BERTopic-style) topics for Arabic news, their metrics and
analyses (prevalence over time and by outlet, topics per section, topic-actor association)."""
from arabic_news.topics.analysis import (
    MIN_TOPIC_ARTICLES,
    default_sweep_ks,
    dominant_topics,
    prevalence_by_group,
    prevalence_over_time,
    requirement,
    topic_actor_association,
    topics_by_label,
)
from arabic_news.topics.ctfidf import ClassTfidfTransformer
from arabic_news.topics.embeddings import EmbeddingCache, SentenceEmbedder, embed_texts
from arabic_news.topics.metrics import (
    choose_k,
    coherence,
    evaluate,
    k_choice_sentence,
    k_sweep,
    label_agreement,
    stability,
    topic_diversity,
    topic_set_similarity,
)
from arabic_news.topics.models import TopicModel, preprocess_texts, surface_forms

__all__ = [
    "MIN_TOPIC_ARTICLES", "default_sweep_ks", "requirement",
    "ClassTfidfTransformer", "EmbeddingCache", "SentenceEmbedder", "TopicModel", "choose_k", "coherence",
    "dominant_topics", "embed_texts", "evaluate", "k_choice_sentence", "k_sweep", "label_agreement",
    "preprocess_texts", "surface_forms",
    "prevalence_by_group", "prevalence_over_time", "stability", "topic_actor_association", "topic_diversity",
    "topic_set_similarity", "topics_by_label",
]
