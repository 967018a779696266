"""Scale-out: the same pipeline on corpora larger than memory, partition by partition, on Dask.

* :mod:`arabic_news.corpus.partitioned`: the partitioned parquet dataset (by month or by rows, with a manifest);
* :mod:`arabic_news.scale.stages`: the per-partition pandas functions (they call the in-memory path's functions)
  and the group-by-sum combiners;
* :mod:`arabic_news.scale.topics`: :class:`IncrementalTopicModel` (MiniBatchNMF ``partial_fit`` over partitions);
* :mod:`arabic_news.scale.runner`: :func:`run` (LocalCluster or ``scheduler=ADDRESS``, resumable stages).
"""
from arabic_news.scale.runner import DEFAULT_STAGES, STAGES, ScaleRunError, dask_client, run
from arabic_news.scale.topics import IncrementalTopicModel

__all__ = ["DEFAULT_STAGES", "STAGES", "IncrementalTopicModel", "ScaleRunError", "dask_client", "run"]
