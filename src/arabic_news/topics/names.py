"""User-given topic names: a YAML file mapping topic numbers to names, applied to a fitted model's labels.

Example (``data/topics/example_topic_names.yaml``)::

    0: Iran, ISIS and terrorism
    3: The war in Yemen

The file is data (``yaml.safe_load``): names are plain text, escaped wherever they reach HTML. Topics left out
keep their automatic labels; numbers the model does not have are ignored and reported in one sentence.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)


class TopicNamesError(ValueError):
    """A topic-names file that cannot be used (message: the file and the fix, one line)."""


def read_topic_names(path: str | Path) -> dict[object, str]:
    """The ``{topic number: name}`` mapping of a YAML file (keys as written: ints, or strings to be checked).

    Raises TopicNamesError (naming the file and the fix) when the file is missing, is not YAML or is not a
    mapping. Empty names are dropped.
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise TopicNamesError(f"{path}: topic names file not found; pass an existing YAML file "
                              f"(see data/topics/example_topic_names.yaml)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TopicNamesError(f"{path}: not a readable YAML file ({first}); write one `number: name` per line") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise TopicNamesError(f"{path}: expected `number: name` lines (a YAML mapping), got a {type(data).__name__}")
    return {key: str(value).strip() for key, value in data.items() if value is not None and str(value).strip()}


def apply_topic_names(labels: Sequence[str], names: Mapping, *, source: str = "the topic names file"
                      ) -> tuple[list[str], list[str]]:
    """*labels* with the user's names put in, and the warnings (sentences) about names that were not used.

    ``names`` maps topic numbers (ints, or strings of digits) to names. A key that is not a topic number of
    this model (out of range, or not a whole number) is ignored and reported in one sentence.

    >>> apply_topic_names(["a · b", "c · d"], {1: "Oil", 7: "Sport"})
    (['a · b', 'Oil'], ['the topic names file names topic 7, which this model does not have (it has 2 topics, numbered 0 to 1); that name is ignored.'])
    """
    out = list(labels)
    unknown: list[str] = []
    for key, name in names.items():
        try:
            t = int(str(key).strip())
            valid = str(t) == str(key).strip() and 0 <= t < len(out)
        except ValueError:
            valid = False
        if not valid:
            unknown.append(str(key))
            continue
        out[t] = str(name)
    warnings = []
    if unknown:
        many = len(unknown) > 1
        warnings.append(f"{source} names topic{'s' if many else ''} {', '.join(unknown)}, which this model does not "
                        f"have (it has {len(out)} topics, numbered 0 to {len(out) - 1}); "
                        f"{'those names are' if many else 'that name is'} ignored.")
        logger.warning(warnings[-1])
    return out, warnings


__all__ = ["TopicNamesError", "apply_topic_names", "read_topic_names"]
