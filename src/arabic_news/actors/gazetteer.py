"""The curated actor gazetteer: schema, loader, alias index and dated affiliations.

The gazetteer lives in ``config.ACTORS_DIR`` as one YAML file per actor type (``countries.yaml``,
``organizations.yaml``, ``people.yaml``, ``armed_groups.yaml``, ``media.yaml``, ``places.yaml``). Each file is a
list of records::

    - id: Q796                      # Wikidata QID when known confidently, else a slug ("org:arab-league")
      name_en: Iraq
      name_ar: العراق
      type: country                 # person | organization | country | place | armed_group | media
      aliases: [العراق, بلاد الرافدين]  # Arabic surface forms (citation form, with ال where the name takes it)
      adjectives: [العراقي, العراقية]  # nisba adjectives / demonyms pointing at this actor
      ambiguous: [بغداد]             # surface forms knowingly shared with another actor (metonymy, homonyms)
      short_names: [الأسد]           # short forms resolved only inside an article (not in the alias index)
      country: Q796                 # optional home country id
      parent: null                  # optional parent actor id (a ministry -> its government)
      affiliations:                 # people: dated roles
        - {org: Q7184, role: Secretary General, start: 2014-10-01, end: 2024-10-01}
      form_rules:                   # optional per-form matching rules (see FormRule)
        - {form: لحج, blocked_proclitics: [ل], requires_context: related}
      notes: free text              # optional

Dates are ISO ``YYYY-MM-DD`` (or ``YYYY`` / ``YYYY-MM``); ``precision: year|month|day`` on an affiliation says how
exact they are (inferred from the written form when absent). ``end`` is exclusive (the day the successor took
over) and ``null`` means "still held when the gazetteer was last curated".

Every surface form (``name_ar``, ``aliases``, ``adjectives``, ``ambiguous``) goes into :meth:`Gazetteer.alias_index`
after :func:`normalize_form` (``arabic_news.text.normalize_text`` plus whitespace folding). A normalised form may
point at two actors only when both list it under ``ambiguous``; :meth:`Gazetteer.validate` reports everything else.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from arabic_news import config
from arabic_news.text import normalize_text

logger = logging.getLogger(__name__)

#: bump when the parsed representation changes (invalidates the JSON caches)
LOADER_VERSION = 4

ACTOR_TYPES = ("person", "organization", "country", "place", "armed_group", "media")
#: the YAML file holding each type (a record's ``type`` must match its file)
TYPE_FILES = {
    "country": "countries.yaml",
    "organization": "organizations.yaml",
    "person": "people.yaml",
    "armed_group": "armed_groups.yaml",
    "media": "media.yaml",
    "place": "places.yaml",
}
PRECISIONS = ("day", "month", "year")
REQUIRED_FIELDS = ("id", "name_en", "name_ar", "type")
KNOWN_FIELDS = frozenset(
    REQUIRED_FIELDS
    + ("aliases", "adjectives", "ambiguous", "short_names", "country", "parent", "affiliations", "form_rules",
       "notes")
)
AFFILIATION_FIELDS = frozenset(("org", "role", "start", "end", "precision", "notes"))
FORM_RULE_FIELDS = frozenset(("form", "blocked_proclitics", "requires_context", "not_before", "not_after",
                              "when_quoted", "notes"))
#: the proclitic letters a rule may block (the matcher's proclitics: و ف ب ل ك)
PROCLITIC_LETTERS = frozenset("وفبلك")
#: ``requires_context`` values: the actor itself must be named unconditionally in the article (``actor``), or the
#: actor, its parent, its country, an organisation it is affiliated with, or another actor of its country
#: (``related``); ``none`` exempts the form from the matcher's default for one-word person names
CONTEXT_MODES = ("actor", "related", "none")
#: surface-form kinds, in the order they are ranked inside one index entry
FORM_KINDS = ("name", "alias", "adjective", "ambiguous", "short_name")

_ID_RE = re.compile(r"^(Q[1-9][0-9]*|[a-z_]+:[a-z0-9][a-z0-9.\-]*)$")
# after normalisation a surface form is Arabic letters (hamza .. yeh, no tatweel) separated by single spaces
_ARABIC_FORM_RE = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+(?: [\u0621-\u063A\u0641-\u064A]+)*$")
_SPACE_RE = re.compile(r"\s+")


class GazetteerError(ValueError):
    """The gazetteer files cannot be read (bad YAML, not a list of records, missing folder)."""


def normalize_form(form: str) -> str:
    """The key a surface form has in the alias index: ``normalize_text`` and single spaces.

    >>> normalize_form("  الأمم   المتّحدة ")
    'الامم المتحده'
    """
    return _SPACE_RE.sub(" ", normalize_text(form)).strip()


def is_arabic_form(normalised: str) -> bool:
    """True when *normalised* is non-empty Arabic letters and single spaces only."""
    return bool(_ARABIC_FORM_RE.match(normalised))


@dataclass(frozen=True)
class Affiliation:
    """A dated role: *role* at *org* (an actor id) from *start* (inclusive) to *end* (exclusive, None = ongoing)."""

    org: str
    role: str
    start: _dt.date | None
    end: _dt.date | None = None
    precision: str = "day"
    notes: str | None = None

    def active_on(self, when: _dt.date) -> bool:
        """Whether the role was held on *when* (``start <= when < end``)."""
        if self.start is None or when < self.start:
            return False
        return self.end is None or when < self.end


@dataclass(frozen=True)
class FormRule:
    """Matching rules for one surface form of one actor (the YAML ``form_rules`` entries).

    * ``blocked_proclitics`` -- proclitic letters (و ف ب ل ك) that make the form *not* a mention of this actor:
      ``{form: حماس, blocked_proclitics: [ب]}`` drops بحماس / وبحماس ('enthusiastically'); blocking ل on a name
      with the article blocks لل (``للحج``).
    * ``requires_context`` -- ``actor``: the form counts only when the same article also names the actor by a form
      without this rule (``الجزيرة`` after ``قناة الجزيرة``); ``related``: also when the article names the actor's
      parent, its country, an organisation it is affiliated with, or another actor of the same country (``تدمر``
      only in an article about Syria); ``none``: the form needs no context even where the matcher's default would
      ask for it (one-word person names, see ``ActorMatcher(person_word_context=...)``).
    * ``not_before`` / ``not_after`` -- words (normalised on load): the form is not a mention of this actor when
      the next / previous token is one of them (``مسقط رأس``, ``شبه الجزيرة``).
    * ``when_quoted`` -- on a form shared by several actors: when the mention stands alone between quotation
      marks, this reading wins (``«الشرق الأوسط»`` is the newspaper, not the region).
    """

    form: str                                   # normalised form
    blocked_proclitics: frozenset[str] = frozenset()
    requires_context: str | None = None         # None, "actor", "related" or "none"
    not_before: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    when_quoted: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class Actor:
    """One canonical actor of the gazetteer."""

    id: str
    name_en: str
    name_ar: str
    type: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    affiliations: tuple[Affiliation, ...] = ()
    notes: str | None = None
    source: str = ""  # file the record came from (e.g. "people.yaml:12" = 12th record)
    form_rules: tuple[FormRule, ...] = ()

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(kind, form) pairs of every Arabic surface form, as written (not normalised)."""
        yield "name", self.name_ar
        for kind, forms in (
            ("alias", self.aliases),
            ("adjective", self.adjectives),
            ("ambiguous", self.ambiguous),
            ("short_name", self.short_names),
        ):
            for form in forms:
                yield kind, form


@dataclass(frozen=True)
class SurfaceForm:
    """A normalised surface form and the actor it points at."""

    key: str        # normalised form (the index key)
    form: str       # as written in the YAML
    actor_id: str
    kind: str       # one of FORM_KINDS


def _coerce_date(value, where: str, problems: list[str]) -> tuple[_dt.date | None, str | None]:
    """Parse a YAML date value; returns (date, precision implied by its written form)."""
    if value is None:
        return None, None
    if isinstance(value, _dt.datetime):
        return value.date(), "day"
    if isinstance(value, _dt.date):
        return value, "day"
    if isinstance(value, int) and 1000 <= value <= 2999:
        return _dt.date(value, 1, 1), "year"
    if isinstance(value, str):
        text = value.strip()
        try:
            if re.fullmatch(r"\d{4}", text):
                return _dt.date(int(text), 1, 1), "year"
            if re.fullmatch(r"\d{4}-\d{2}", text):
                year, month = text.split("-")
                return _dt.date(int(year), int(month), 1), "month"
            return _dt.date.fromisoformat(text), "day"
        except ValueError:
            pass
    problems.append(f"{where}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return None, None


def _as_date(when) -> _dt.date:
    """Accept a date, datetime, pandas Timestamp or ISO string."""
    if isinstance(when, _dt.datetime):
        return when.date()
    if isinstance(when, _dt.date):
        return when
    if hasattr(when, "to_pydatetime"):  # pandas Timestamp
        return when.to_pydatetime().date()
    if isinstance(when, str):
        return _dt.date.fromisoformat(when.strip()[:10])
    raise TypeError(f"cannot read a date from {when!r}")


def _str_list(record: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = record.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: '{key}' must be a list of strings")
        return ()
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{where}: '{key}' has an empty or non-string entry {item!r}")
            continue
        if item.strip() not in out:
            out.append(item.strip())
    return tuple(out)


def _parse_record(record, where: str, problems: list[str]) -> Actor | None:
    if not isinstance(record, dict):
        problems.append(f"{where}: a record must be a mapping, got {type(record).__name__}")
        return None
    missing = [k for k in REQUIRED_FIELDS if not record.get(k)]
    if missing:
        problems.append(f"{where}: missing required field(s) {', '.join(missing)}")
        if "id" in missing:
            return None
    unknown = sorted(set(record) - KNOWN_FIELDS)
    if unknown:
        problems.append(f"{where} ({record.get('id')}): unknown field(s) {', '.join(unknown)}")
    actor_id = str(record["id"]).strip()
    where = f"{where} ({actor_id})"
    affiliations: list[Affiliation] = []
    raw_affs = record.get("affiliations") or []
    if not isinstance(raw_affs, list):
        problems.append(f"{where}: 'affiliations' must be a list")
        raw_affs = []
    for j, aff in enumerate(raw_affs, 1):
        aw = f"{where} affiliation {j}"
        if not isinstance(aff, dict):
            problems.append(f"{aw}: must be a mapping")
            continue
        extra = sorted(set(aff) - AFFILIATION_FIELDS)
        if extra:
            problems.append(f"{aw}: unknown field(s) {', '.join(extra)}")
        if not aff.get("org") or not aff.get("role") or aff.get("start") is None:
            problems.append(f"{aw}: 'org', 'role' and 'start' are required")
        start, p_start = _coerce_date(aff.get("start"), aw, problems)
        end, p_end = _coerce_date(aff.get("end"), aw, problems)
        precision = aff.get("precision") or ("year" if "year" in (p_start, p_end)
                                               else "month" if "month" in (p_start, p_end) else "day")
        if precision not in PRECISIONS:
            problems.append(f"{aw}: precision {precision!r} not one of {PRECISIONS}")
        if start and end and end < start:
            problems.append(f"{aw}: end {end} is before start {start}")
        affiliations.append(Affiliation(
            org=str(aff.get("org") or "").strip(), role=str(aff.get("role") or "").strip(),
            start=start, end=end, precision=str(precision), notes=aff.get("notes"),
        ))
    form_rules = _parse_form_rules(record.get("form_rules"), where, problems)
    return Actor(
        id=actor_id,
        name_en=str(record.get("name_en") or "").strip(),
        name_ar=str(record.get("name_ar") or "").strip(),
        type=str(record.get("type") or "").strip(),
        aliases=_str_list(record, "aliases", where, problems),
        adjectives=_str_list(record, "adjectives", where, problems),
        ambiguous=_str_list(record, "ambiguous", where, problems),
        short_names=_str_list(record, "short_names", where, problems),
        country=(str(record["country"]).strip() if record.get("country") else None),
        parent=(str(record["parent"]).strip() if record.get("parent") else None),
        affiliations=tuple(affiliations),
        notes=record.get("notes"),
        source=where.split(" (")[0],
        form_rules=form_rules,
    )


def _parse_form_rules(raw, where: str, problems: list[str]) -> tuple[FormRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{where}: 'form_rules' must be a list of mappings")
        return ()
    rules: list[FormRule] = []
    for j, item in enumerate(raw, 1):
        rw = f"{where} form rule {j}"
        if not isinstance(item, dict) or not isinstance(item.get("form"), str) or not item["form"].strip():
            problems.append(f"{rw}: must be a mapping with a non-empty 'form'")
            continue
        extra = sorted(set(item) - FORM_RULE_FIELDS)
        if extra:
            problems.append(f"{rw}: unknown field(s) {', '.join(extra)}")
        words: dict[str, frozenset[str]] = {}
        for key in ("blocked_proclitics", "not_before", "not_after"):
            value = item.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"{rw}: '{key}' must be a list of strings")
                value = []
            words[key] = frozenset(normalize_form(v) for v in value)
        bad = sorted(words["blocked_proclitics"] - PROCLITIC_LETTERS)
        if bad:
            problems.append(f"{rw}: blocked_proclitics {bad} are not single proclitic letters (و ف ب ل ك)")
        for key in ("not_before", "not_after"):
            odd = sorted(w for w in words[key] if " " in w or not w)
            if odd:
                problems.append(f"{rw}: '{key}' entries must be single words, got {odd}")
        context = item.get("requires_context")
        if context is True:
            context = "actor"
        if context in (False, None, ""):
            context = None
        elif context not in CONTEXT_MODES:
            problems.append(f"{rw}: requires_context {context!r} not one of {CONTEXT_MODES}")
            context = None
        when_quoted = item.get("when_quoted", False)
        if not isinstance(when_quoted, bool):
            problems.append(f"{rw}: when_quoted must be true or false")
            when_quoted = False
        rule = FormRule(form=normalize_form(item["form"]), blocked_proclitics=words["blocked_proclitics"],
                        requires_context=context, not_before=words["not_before"], not_after=words["not_after"],
                        when_quoted=when_quoted, notes=item.get("notes"))
        if rule == FormRule(form=rule.form, notes=rule.notes):
            problems.append(f"{rw}: sets no rule for {item['form']!r}")
        rules.append(rule)
    return tuple(rules)


class Gazetteer:
    """A parsed gazetteer: ``actors`` (id -> :class:`Actor`) plus indexes over their surface forms.

    Build it with :func:`load_gazetteer`; ``Gazetteer(actors)`` also works for hand-made test fixtures.
    """

    def __init__(self, actors: Iterable[Actor], *, load_problems: Iterable[str] = (),
                 files: Iterable[str] = ()):
        self.actors: dict[str, Actor] = {}
        self._problems: list[str] = list(load_problems)
        for actor in actors:
            if actor.id in self.actors:
                self._problems.append(
                    f"{actor.source}: duplicate id {actor.id} (first in {self.actors[actor.id].source})")
                continue
            self.actors[actor.id] = actor
        self.files = tuple(files)
        self._forms: list[SurfaceForm] = []
        for actor in self.actors.values():
            for kind, form in actor.surface_forms():
                self._forms.append(SurfaceForm(normalize_form(form), form, actor.id, kind))
        self._alias_index: dict[str, list[str]] | None = None
        self._short_index: dict[str, list[str]] | None = None
        self._holders: dict[str, list[tuple[str, Affiliation]]] | None = None

    # -- container protocol ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def __getitem__(self, actor_id: str) -> Actor:
        return self.actors[actor_id]

    def get(self, actor_id: str, default: Actor | None = None) -> Actor | None:
        return self.actors.get(actor_id, default)

    def __repr__(self) -> str:
        counts = ", ".join(f"{t}={n}" for t, n in self.counts().items())
        return f"Gazetteer({len(self)} actors: {counts})"

    def counts(self) -> dict[str, int]:
        """Number of actors per type (every type in ACTOR_TYPES, zeros included)."""
        out = {t: 0 for t in ACTOR_TYPES}
        for actor in self.actors.values():
            out[actor.type] = out.get(actor.type, 0) + 1
        return out

    def by_type(self, actor_type: str) -> list[Actor]:
        return [a for a in self.actors.values() if a.type == actor_type]

    # -- surface forms ----------------------------------------------------------------------------------------
    def surface_forms(self) -> list[SurfaceForm]:
        """Every surface form of every actor with its normalised key and kind (short names included)."""
        return list(self._forms)

    def alias_index(self) -> dict[str, list[str]]:
        """Normalised surface form -> actor ids (names, aliases, adjectives and ambiguous forms).

        Short names are excluded (see :meth:`short_name_index`). When a key points at several actors (only
        legitimate for forms marked ``ambiguous``), the actors that have it as a name/alias/adjective come
        first, then those that list it only as ambiguous, each group in file order: a matcher that must pick one
        reading takes the first.
        """
        if self._alias_index is None:
            rank: dict[str, dict[str, int]] = {}  # key -> actor id -> 0 (name/alias/adjective) or 1 (ambiguous)
            for sf in self._forms:
                if sf.kind == "short_name" or not sf.key:
                    continue
                per_key = rank.setdefault(sf.key, {})
                per_key[sf.actor_id] = min(per_key.get(sf.actor_id, 1), 1 if sf.kind == "ambiguous" else 0)
            order = {actor_id: i for i, actor_id in enumerate(self.actors)}
            self._alias_index = {
                key: sorted(ids, key=lambda a, ids=ids: (ids[a], order[a])) for key, ids in rank.items()
            }
        return self._alias_index

    def short_name_index(self) -> dict[str, list[str]]:
        """Normalised short name -> actor ids, for resolving a later short mention inside one article."""
        if self._short_index is None:
            index: dict[str, list[str]] = {}
            for sf in self._forms:
                if sf.kind == "short_name" and sf.key:
                    ids = index.setdefault(sf.key, [])
                    if sf.actor_id not in ids:
                        ids.append(sf.actor_id)
            self._short_index = index
        return self._short_index

    def form_rules(self) -> dict[tuple[str, str], FormRule]:
        """(normalised form, actor id) -> the :class:`FormRule` the gazetteer sets for that reading."""
        return {(rule.form, actor.id): rule for actor in self.actors.values() for rule in actor.form_rules}

    def lookup(self, form: str) -> list[Actor]:
        """The actors a surface form (any spelling; it is normalised here) points at."""
        return [self.actors[i] for i in self.alias_index().get(normalize_form(form), [])]

    # -- affiliations -------------------------------------------------------------------------------------
    def affiliation(self, actor_id: str, when) -> list[tuple[str, str]]:
        """(org id, role) pairs *actor_id* held on *when* (a date, datetime, Timestamp or ISO string).

        Unknown actors and actors without affiliations give ``[]``.
        """
        actor = self.actors.get(actor_id)
        if actor is None or not actor.affiliations:
            return []
        day = _as_date(when)
        return [(a.org, a.role) for a in actor.affiliations if a.active_on(day)]

    def holders(self, org_id: str, when, role: str | None = None) -> list[tuple[str, str]]:
        """(person id, role) pairs of the actors affiliated with *org_id* on *when* (optionally one *role*)."""
        if self._holders is None:
            holders: dict[str, list[tuple[str, Affiliation]]] = {}
            for actor in self.actors.values():
                for aff in actor.affiliations:
                    holders.setdefault(aff.org, []).append((actor.id, aff))
            self._holders = holders
        day = _as_date(when)
        return [(pid, aff.role) for pid, aff in self._holders.get(org_id, [])
                if aff.active_on(day) and (role is None or aff.role == role)]

    # -- validation ---------------------------------------------------------------------------------------
    def validate(self) -> list[str]:
        """Every problem found, one readable line each (empty list = valid)."""
        problems = list(self._problems)
        for actor in self.actors.values():
            where = f"{actor.source} ({actor.id})"
            if not _ID_RE.match(actor.id):
                problems.append(f"{where}: id must be a Wikidata QID (Q123) or a lowercase slug (kind:name)")
            if actor.type not in ACTOR_TYPES:
                problems.append(f"{where}: type {actor.type!r} not one of {ACTOR_TYPES}")
            elif actor.source and not actor.source.startswith(TYPE_FILES[actor.type]) and ".yaml" in actor.source:
                problems.append(f"{where}: type {actor.type} belongs in {TYPE_FILES[actor.type]}")
            if not actor.name_en:
                problems.append(f"{where}: empty name_en")
            for ref_name, ref in (("country", actor.country), ("parent", actor.parent)):
                if ref and ref not in self.actors:
                    problems.append(f"{where}: {ref_name} {ref} is not an actor id")
            if actor.country and actor.country in self.actors and self.actors[actor.country].type != "country":
                problems.append(f"{where}: country {actor.country} is a {self.actors[actor.country].type}")
            for aff in actor.affiliations:
                if aff.org and aff.org not in self.actors:
                    problems.append(f"{where}: affiliation org {aff.org} is not an actor id")
            for kind, form in actor.surface_forms():
                key = normalize_form(form)
                if not is_arabic_form(key):
                    problems.append(f"{where}: {kind} {form!r} is not Arabic letters and spaces after "
                                    f"normalisation ({key!r})")
            own = {normalize_form(f) for _, f in actor.surface_forms()}
            seen_rules: set[str] = set()
            for rule in actor.form_rules:
                if rule.form not in own:
                    problems.append(f"{where}: form rule for {rule.form!r}, which is not one of its surface forms")
                if rule.form in seen_rules:
                    problems.append(f"{where}: two form rules for {rule.form!r}; merge them")
                seen_rules.add(rule.form)
                if rule.when_quoted and len(self.alias_index().get(rule.form, [])) < 2:
                    problems.append(f"{where}: when_quoted on {rule.form!r}, which no other actor shares")
            for form in actor.ambiguous:
                others = [i for i in self.alias_index().get(normalize_form(form), []) if i != actor.id]
                if not others:
                    problems.append(f"{where}: ambiguous form {form!r} is not shared with any other actor")
        ambiguous_keys = {
            actor.id: {normalize_form(f) for f in actor.ambiguous} for actor in self.actors.values()
        }
        for key, ids in self.alias_index().items():
            if len(ids) > 1:
                unmarked = [i for i in ids if key not in ambiguous_keys[i]]
                if unmarked:
                    problems.append(
                        f"alias {key!r} is shared by {', '.join(ids)} but not marked ambiguous on "
                        f"{', '.join(unmarked)}")
        return problems


# -- loading ----------------------------------------------------------------------------------------------------
def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GazetteerError(f"{path}: gazetteer folder not found; set ARABIC_NEWS_DATA_DIR or pass a path")
    files = sorted(p for p in path.glob("*.yaml") if p.is_file())
    if not files:
        raise GazetteerError(f"{path}: no *.yaml gazetteer files in this folder")
    return files


def _parse_files(files: list[Path]) -> Gazetteer:
    actors: list[Actor] = []
    problems: list[str] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for file in files:
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            raise GazetteerError(f"{file}:{line} is not valid YAML ({getattr(exc, 'problem', exc)}); "
                                 "fix the syntax") from exc
        if data is None:
            continue
        if not isinstance(data, list):
            raise GazetteerError(f"{file}: must be a YAML list of actor records (got {type(data).__name__})")
        for i, record in enumerate(data, 1):
            actor = _parse_record(record, f"{file.name}:{i}", problems)
            if actor is not None:
                actors.append(actor)
    return Gazetteer(actors, load_problems=problems, files=[f.name for f in files])


def _cache_key(files: list[Path]) -> str:
    digest = hashlib.sha256(f"v{LOADER_VERSION}".encode())
    # the normaliser is part of the key: its source and its output on a probe covering every folding rule
    digest.update(normalize_text("إِلَى الـمَدْرَسَةِ أُمّ آمِن ٱلْ ى ة").encode())
    try:
        import arabic_news.text.normalize as _normalize_module

        digest.update(Path(_normalize_module.__file__).read_bytes())
    except (ImportError, OSError, TypeError):  # pragma: no cover - source not readable (e.g. zipped install)
        pass
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


#: the fields of the frozen dataclasses the JSON cache rebuilds
_FIELDS = {cls: {f.name for f in dataclasses.fields(cls)} for cls in (Actor, Affiliation, FormRule)}


def _json_value(value):
    """A YAML scalar/container (``notes``) as JSON: dates become ``{"$date": iso}`` / ``{"$datetime": iso}``."""
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$dict": [[_json_value(k), _json_value(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _from_json_value(value):
    if isinstance(value, list):
        return [_from_json_value(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return _dt.datetime.fromisoformat(value["$datetime"])
        if set(value) == {"$date"}:
            return _dt.date.fromisoformat(value["$date"])
        if set(value) == {"$dict"}:
            return {_from_json_value(k): _from_json_value(v) for k, v in value["$dict"]}
        raise ValueError(f"unexpected object {sorted(value)} in the gazetteer cache")
    return value


def _date_json(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date_from_json(text: str | None) -> _dt.date | None:
    return None if text is None else _dt.date.fromisoformat(text)


def _gazetteer_to_json(gaz: Gazetteer) -> dict:
    """The parsed gazetteer with its indexes as plain JSON (the cache format: data, never code)."""
    actors = []
    for a in gaz.actors.values():
        actors.append({
            "id": a.id, "name_en": a.name_en, "name_ar": a.name_ar, "type": a.type, "aliases": list(a.aliases),
            "adjectives": list(a.adjectives), "ambiguous": list(a.ambiguous), "short_names": list(a.short_names),
            "country": a.country, "parent": a.parent, "notes": _json_value(a.notes), "source": a.source,
            "affiliations": [{"org": f.org, "role": f.role, "start": _date_json(f.start), "end": _date_json(f.end),
                              "precision": f.precision, "notes": _json_value(f.notes)} for f in a.affiliations],
            "form_rules": [{"form": r.form, "blocked_proclitics": sorted(r.blocked_proclitics),
                            "requires_context": r.requires_context, "not_before": sorted(r.not_before),
                            "not_after": sorted(r.not_after), "when_quoted": r.when_quoted,
                            "notes": _json_value(r.notes)} for r in a.form_rules],
        })
    # the normalised key of every surface form, in Gazetteer._forms order (actor by actor, surface_forms order)
    keys = [f.key for f in gaz._forms]
    expected = [(a.id, form, kind) for a in gaz.actors.values() for kind, form in a.surface_forms()]
    if [(f.actor_id, f.form, f.kind) for f in gaz._forms] != expected:  # pragma: no cover - a changed __init__
        raise ValueError("surface forms are not in actor order; bump LOADER_VERSION and update the cache format")
    return {"loader_version": LOADER_VERSION, "files": list(gaz.files), "problems": list(gaz._problems),
            "actors": actors, "form_keys": keys, "alias_index": gaz.alias_index(),
            "short_index": gaz.short_name_index()}


def _frozen(cls, values: dict):
    """An instance of the frozen dataclass *cls* with exactly its fields from *values* (no __init__ call: the
    fields are set at once, as pickle does; much faster than a frozen dataclass's per-field __setattr__)."""
    obj = object.__new__(cls)
    if values.keys() != _FIELDS[cls]:
        raise ValueError(f"{cls.__name__} record with fields {sorted(values)}")
    obj.__dict__.update(values)
    return obj


def _gazetteer_from_json(data: dict) -> Gazetteer:
    """Rebuild a :class:`Gazetteer` from :func:`_gazetteer_to_json` output (raises on anything malformed)."""
    if not isinstance(data, dict) or data.get("loader_version") != LOADER_VERSION:
        raise ValueError("not a gazetteer cache of this loader version")
    plain = _from_json_value
    actors: dict[str, Actor] = {}
    for r in data["actors"]:
        affiliations = tuple(_frozen(Affiliation, {**f, "start": _date_from_json(f["start"]),
                                                   "end": _date_from_json(f["end"]), "notes": plain(f["notes"])})
                             for f in r["affiliations"])
        rules = tuple(_frozen(FormRule, {**f, "blocked_proclitics": frozenset(f["blocked_proclitics"]),
                                         "not_before": frozenset(f["not_before"]),
                                         "not_after": frozenset(f["not_after"]), "notes": plain(f["notes"])})
                      for f in r["form_rules"])
        actors[r["id"]] = _frozen(Actor, {
            **r, "aliases": tuple(r["aliases"]), "adjectives": tuple(r["adjectives"]),
            "ambiguous": tuple(r["ambiguous"]), "short_names": tuple(r["short_names"]),
            "affiliations": affiliations, "notes": plain(r["notes"]), "form_rules": rules})
    gaz = Gazetteer.__new__(Gazetteer)
    gaz.actors = actors
    gaz._problems = list(data["problems"])
    gaz.files = tuple(data["files"])
    keys = iter(data["form_keys"])
    gaz._forms = [SurfaceForm(next(keys), form, a.id, kind)
                  for a in actors.values() for kind, form in a.surface_forms()]
    if next(keys, None) is not None:
        raise ValueError("more surface-form keys than surface forms")
    gaz._alias_index = data["alias_index"]
    gaz._short_index = data["short_index"]
    gaz._holders = None
    if not all(isinstance(v, str) for v in gaz.files) or not isinstance(gaz._alias_index, dict) \
            or not isinstance(gaz._short_index, dict):
        raise ValueError("malformed gazetteer cache")
    return gaz


def gazetteer_fingerprint(gaz: Gazetteer) -> str:
    """A short hash of everything a gazetteer holds (actors, forms, rules, dates; the curated files and the
    user's ``ARABIC_NEWS_GAZETTEER`` files alike): results computed with one gazetteer are never reused for
    another."""
    blob = json.dumps(_gazetteer_to_json(gaz), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(f"v{LOADER_VERSION}".encode() + blob.encode("utf-8")).hexdigest()[:16]


def load_gazetteer(path: Path | str | None = None, *, use_cache: bool = True) -> Gazetteer:
    """Read the gazetteer from *path* (a folder of YAML files or one file; default ``config.ACTORS_DIR``
    followed by the user's own files named in ``ARABIC_NEWS_GAZETTEER``, see ``config.extra_gazetteer_paths``;
    on a duplicate id the first record wins and the clash is a load problem).

    The parsed result (with its indexes built) is cached as JSON in ``config.CACHE_DIR / "actors"`` under a key
    made of the files' contents, so an unchanged gazetteer loads from the cache (plain data: reading it runs no
    code; a damaged entry is rebuilt). Raises :class:`GazetteerError` when a file is not valid YAML or not a
    list of records; schema problems are reported by :meth:`Gazetteer.validate`.
    """
    if path is not None:
        files = _yaml_files(Path(path))
    else:
        files = _yaml_files(config.ACTORS_DIR)
        for extra in config.extra_gazetteer_paths():
            if not extra.exists():
                raise GazetteerError(f"{extra}: user gazetteer not found (named in ARABIC_NEWS_GAZETTEER); "
                                     "fix the path or unset the variable")
            files += _yaml_files(extra)
    cache_file = None
    if use_cache:
        cache_file = Path(config.CACHE_DIR) / "actors" / f"gazetteer-{_cache_key(files)}.json"
        if cache_file.is_file():
            try:
                gaz = _gazetteer_from_json(json.loads(cache_file.read_text(encoding="utf-8")))
                logger.debug("gazetteer loaded from cache %s", cache_file)
                return gaz
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:  # damaged or stale
                logger.info("ignoring unreadable gazetteer cache %s (%s: %s)", cache_file, type(exc).__name__, exc)
    gaz = _parse_files(files)
    gaz.alias_index()
    gaz.short_name_index()
    logger.info("gazetteer: %d actors from %d file(s)", len(gaz), len(files))
    if cache_file is not None:
        try:
            text = json.dumps(_gazetteer_to_json(gaz), ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:  # a YAML value JSON cannot hold: no cache, no harm
            logger.info("gazetteer not cached (%s)", exc)
            return gaz
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache_file.parent, delete=False,
                                             suffix=".tmp") as fh:
                fh.write(text)
            os.replace(fh.name, cache_file)
            for legacy in cache_file.parent.glob("gazetteer-*.pkl"):  # pickled caches of earlier versions
                legacy.unlink(missing_ok=True)
        except OSError as exc:
            logger.info("could not write gazetteer cache %s (%s)", cache_file, exc)
    return gaz
