"""Topic modelling: NMF, LDA and embedding-based (BERTopic-style) topics for Arabic news, their metrics and
analyses (prevalence over time and by outlet, topics per section, topic-actor association)."""
from arabic_news.topics.analysis import (
    dominant_topics,
    prevalence_by_group,
    prevalence_over_time,
    topic_actor_association,
    topics_by_label,
)
from arabic_news.topics.ctfidf import ClassTfidfTransformer
from arabic_news.topics.embeddings import EmbeddingCache, SentenceEmbedder, embed_texts
from arabic_news.topics.metrics import (
    coherence,
    evaluate,
    k_sweep,
    label_agreement,
    stability,
    topic_diversity,
    topic_set_similarity,
)
from arabic_news.topics.models import TopicModel, preprocess_texts

__all__ = [
    "ClassTfidfTransformer", "EmbeddingCache", "SentenceEmbedder", "TopicModel", "coherence",
    "dominant_topics", "embed_texts", "evaluate", "k_sweep", "label_agreement", "preprocess_texts",
    "prevalence_by_group", "prevalence_over_time", "stability", "topic_actor_association", "topic_diversity",
    "topic_set_similarity", "topics_by_label",
]
