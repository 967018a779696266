"""Clitic-aware gazetteer matching of actors in Arabic text.

:class:`ActorMatcher` finds the actors of the gazetteer (:mod:`arabic_news.actors.gazetteer`) in a text and
returns :class:`Mention` records with character offsets into the *original* text, token offsets and a sentence
index.

How it works
------------
* The text is split into tokens with ``arabic_news.text.tokenize_with_spans`` (exactly the tokens of
  ``arabic_news.text.tokenize``, camel-tools' ``simple_word_tokenize``, with character offsets); the tokens
  are then normalised with ``arabic_news.text.normalize_text`` (the function that also normalises the
  gazetteer's keys), so the matcher works on the text pipeline's normalised tokens.
* Proclitics (و ف ب ل ك and their combinations, with or without the article) are handled on the gazetteer side:
  for every alias the matcher derives the surface forms a clitic-carrying token can take (``العراق`` ->
  ``والعراق بالعراق وبالعراق فالعراق كالعراق للعراق وللعراق فللعراق ...``; ``ايران`` -> ``وايران بايران لايران
  فايران وبايران ...``). Stripping clitics off a text token and looking the stem up gives the same matches, but
  the derived forms let one Aho-Corasick automaton (pyahocorasick) scan the whole normalised article at C speed.
  The article ال is never added to a name that does not carry it (``حماس`` must not match ``الحماس``).
* Keys are padded with spaces and the article's normalised tokens are joined with single spaces, so a match
  always starts and ends on token boundaries: an alias never matches inside a longer word.
* Overlapping candidates are resolved longest first (in tokens, then leftmost): a multi-word alias
  (حلف شمال الاطلسي) beats its parts (الاطلسي). A match never crosses a paragraph break.
* A name that is also its country's definite feminine nisba (السعودية: Saudi Arabia, and 'Saudi' in الحكومة
  السعودية) counts as ``kind='adjective'`` right after a definite noun (a word with the article: الهيئة السعودية,
  وزارة الخارجية السعودية) and as a name elsewhere (في السعودية، حكومة السعودية، أعلنت السعودية, and after the name
  of a person, place or country: زار سعود الفيصل السعودية).
* Nisba adjectives and demonyms listed in the gazetteer (العراقي) point at their country with ``kind='adjective'``;
  the regular inflections of a listed adjective ending in ي (ـيه ـيون ـيين ـيات ـيان, with and without the
  article) and its form with the article are derived unless another actor already owns that form (the bare
  masculine singular is not: تركي is also a given name).
* Forms the gazetteer marks ``ambiguous`` keep the reading whose actor has the form as a name; when several
  actors do, an actor named unambiguously elsewhere in the same article wins, else the gazetteer's first reading.
* A person reading right after بن / ابن / بنت is dropped: the name is a father's or ancestor's inside someone
  else's nasab (الأمير سلطان بن سلمان بن عبدالعزيز names Prince Sultan, not King Salman).
* Short names (the gazetteer's ``short_names`` plus the family name of multi-word person names) are resolved
  only inside an article: ``الكاظمي`` becomes Mustafa al-Kadhimi when his full name occurs in the same article
  (the nearest earlier full mention wins, else the nearest later one); an unanchored short name is dropped.
  Only people have short names (``kind='short_name'``): the gazetteer's ``short_names`` of other actors are
  generic words or shortened titles that refer back to an actor named in full in the same article (``المملكة``
  'the Kingdom' after ``السعودية``, ``الحلف`` 'the Alliance' after ``حلف شمال الأطلسي``, ``الأناضول`` after
  ``وكالة الأناضول``); they are resolved the same way and reported as ``kind='reference'``.
* Per-form rules from the gazetteer (``form_rules``, :class:`arabic_news.actors.gazetteer.FormRule`): a blocked
  proclitic removes that reading from the clitic variants (``بحماس`` is 'enthusiastically', ``للحج`` 'for the
  Hajj'); ``not_before``/``not_after`` drop a reading next to a listed word (``مسقط رأس``, ``شبه الجزيرة``);
  ``when_quoted`` makes a reading win when the mention stands alone between quotation marks (``«الشرق الأوسط»``
  is the newspaper); ``requires_context`` keeps a reading only when the article also names the actor (``actor``)
  or something related to it -- its parent, country, affiliated organisation or another actor of its country
  (``related``) -- by a form that needs no context. When an ambiguous form's first reading is a place or person
  the article supports neither by name nor by its country, a place or person reading whose country the article
  names wins (``طرابلس`` in an article about Lebanon, ``عمان`` in one about Jordan).
* ``resolve_affiliations=True`` attaches to every person mention the organisations the person was affiliated
  with on the article's date (``Gazetteer.affiliation``).
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import ahocorasick
import numpy as np
from sklearn.base import BaseEstimator

from arabic_news.actors.gazetteer import FormRule
from arabic_news.text import normalize_text

logger = logging.getLogger(__name__)

# -- tokenisation with character spans ---------------------------------------------------------------------------
# The text pipeline's public arabic_news.text.tokenize_with_spans: the tokens of arabic_news.text.tokenize
# (camel-tools' simple_word_tokenize, through the fast regex) with their character offsets.
from arabic_news.text.tokenize import tokenize_with_spans  # noqa: E402

#: sentence breaks: . ! ? ؟ (a full stop between two digits is a decimal point) and line breaks; a run of break
#: characters, commas and spaces counts as one break
BREAK_RE = re.compile(r"(?:[!?؟\n]|\.(?!(?<=\d\.)\d))[\s!?؟.,،]*")  # starts with a char class: fast scan

#: proclitic combinations that can precede a word with the article (ال): the article itself stays in the word
PROCLITICS_BEFORE_ARTICLE = ("و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")
#: ل + ال is written لل: these replace the article
LAM_ARTICLE = ("لل", "ولل", "فلل")
#: proclitic combinations before a word without the article
PROCLITICS_NO_ARTICLE = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
#: derived inflections of a nisba adjective ending in ي (normalised: teh marbuta is ه)
NISBA_SUFFIXES = ("ه", "ون", "ين", "ات", "ان")
#: a family name is not derived from "X bin Y" / "Abu Y" names (Y is the father / the kunya), nor from "title +
#: given name" (الملك سلمان, الملك عبدالله: the word after a title is a given name)
_NO_FAMILY_NAME_AFTER = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ام", "ال", "عبد",
                                   "الملك", "الامير", "الاميره", "الشيخ", "الرئيس", "السلطان", "الامام", "السيد",
                                   "الملكه", "العاهل"})
#: tokens that make the following person name part of someone else's nasab (سلطان بن سلمان بن عبدالعزيز): a person
#: reading right after them is not a mention of that person
NASAB_MARKERS = frozenset({"بن", "ابن", "بنت"})
#: last words that are not family names (جورج بوش الاب, الملك عبدالله الثاني)
_NOT_FAMILY_NAMES = frozenset({"الاب", "الابن", "الاول", "الثاني", "الثالث", "الرابع", "الخامس", "الصغير",
                               "الكبير", "جونيور", "الجد", "الحفيد",
                               # second halves of compound names (نصر الله, عز الدين, عبد الرحمن)
                               "الله", "الدين", "الرحمن", "الرحيم", "الاله"})
#: shortest first token that gets proclitic variants (letters)
_MIN_CLITIC_STEM = 3

#: mention kinds: a name or alias, a nisba adjective, a person's short name resolved in the article, and a generic
#: word or shortened title resolved to another type of actor named in full in the article
KINDS = ("name", "adjective", "short_name", "reference")
#: quotation marks around a mention that ``when_quoted`` rules look for
OPEN_QUOTES = frozenset('«"“„\'‹{')
CLOSE_QUOTES = frozenset('»"”\'›}')  # SaudiNewsNet also quotes outlets with braces: لـ {الشرق الأوسط}
# priority of a key's entry: lower wins when two forms produce the same string
_P_NAME, _P_ADJ, _P_DERIVED_ADJ, _P_SHORT = 0, 1, 2, 3
#: proclitics that can precede the article on the word before a mention (the article itself is checked after them)
_ARTICLE_PROCLITICS = ("", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")
#: words that start with ال but are not a definite noun a nisba could qualify (normalised): إلى, إلا, relative
#: pronouns, God, now, today and the weekdays (أعلنت الثلاثاء السعودية ...)
_NOT_DEFINITE_NOUNS = frozenset({
    "الى", "الا", "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللاتي", "اللواتي", "اللائي",
    "الله", "اللهم", "الان", "اليوم", "الليله", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه",
    "السبت",
})


def is_definite_noun(token: str) -> bool:
    """Whether a normalised token is a word with the article (proclitics allowed: والحكومه, للحكومه), i.e. a
    definite noun or adjective that a following definite nisba agrees with (الحكومه السعوديه 'the Saudi
    government'); إلى, relative pronouns, الله and the like are not.

    >>> [is_definite_noun(t) for t in ("الحكومه", "وللحكومه", "بالهيئه", "في", "الى", "حكومه")]
    [True, True, True, False, False, False]
    """
    for p in _ARTICLE_PROCLITICS:
        if token.startswith(p + "ال") and len(token) > len(p) + 3:
            return token[len(p):] not in _NOT_DEFINITE_NOUNS
    for p in LAM_ARTICLE:
        if token.startswith(p) and len(token) > len(p) + 1:
            return "ال" + token[len(p):] not in _NOT_DEFINITE_NOUNS
    return False


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention.

    ``start``/``end`` are character offsets into the original text (``text[start:end] == surface``; the span
    covers whole tokens, so a proclitic is inside it), ``token_start``/``token_end`` token offsets (end
    exclusive) into :func:`tokenize_with_spans`, ``sentence`` the sentence index (0-based). ``kind`` is
    ``'name'``, ``'adjective'``, ``'short_name'`` (a person's short or family name resolved in the article) or
    ``'reference'`` (a generic word or shortened title resolved to another actor type, ``المملكة``); ``form`` is the normalised gazetteer form that matched and
    ``proclitic`` the normalised proclitic string that was attached (``''`` if none). ``candidates`` lists every
    reading of an ambiguous form (empty when there was only one); ``affiliations`` the organisation ids of a
    person on the article's date (only with ``resolve_affiliations=True``).
    """

    actor_id: str
    kind: str
    start: int
    end: int
    token_start: int
    token_end: int
    sentence: int
    surface: str
    form: str
    proclitic: str = ""
    candidates: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}


def sentence_breaks(text: str, until: int | None = None) -> list[int]:
    """Offsets where a new sentence starts (sentence index of offset i = ``bisect_right(breaks, i)``), up to
    offset *until* (default: the whole text)."""
    if until is None:
        return [m.end() for m in BREAK_RE.finditer(text)]
    return [m.end() for m in BREAK_RE.finditer(text, 0, until)]


def token_offsets(text: str) -> tuple[list[int], list[str]]:
    """``(offsets, tokens)``: the tokens of :func:`arabic_news.text.tokenize_with_spans` and their flat character
    offsets (token i is ``text[offsets[2 * i]:offsets[2 * i + 1]]``), built with C-level loops only."""
    spans = tokenize_with_spans(text)
    if not spans:
        return [], []
    tokens, starts, ends = zip(*spans)
    offsets = [0] * (2 * len(spans))
    offsets[0::2] = starts
    offsets[1::2] = ends
    return offsets, list(tokens)


def proclitic_variants(form: str) -> list[tuple[str, str]]:
    """(proclitic, surface) pairs a normalised *form* takes when proclitics attach to its first word.

    >>> [s for _, s in proclitic_variants("العراق")][:3]
    ['والعراق', 'فالعراق', 'بالعراق']
    >>> ("ل", "لايران") in proclitic_variants("ايران")
    True
    """
    first = form.split(" ", 1)[0]
    if first.startswith("ال") and len(first) >= 2 + _MIN_CLITIC_STEM - 1:
        out = [(p, p + form) for p in PROCLITICS_BEFORE_ARTICLE]
        out += [(p[:-1], p + form[2:]) for p in LAM_ARTICLE]  # لل = ل + ال: the proclitic is the first ل
        return out
    if len(first) < _MIN_CLITIC_STEM:
        return []
    return [(p, p + form) for p in PROCLITICS_NO_ARTICLE]


def _adjective_inflections(form: str) -> list[str]:
    """Regular inflections of a normalised nisba adjective (one word ending in ي): the form with the article when
    it lacks it, and the feminine/plural/dual endings with and without the article. The bare masculine singular
    is never derived from the definite one (تركي and مصري are also given and family names): a gazetteer that
    wants it lists it."""
    if " " in form:
        return []
    definite = form.startswith("ال")
    if definite and len(form) <= 4:
        return [form]
    bare = form[2:] if definite else form
    out = [form] if definite else [form, "ال" + form]
    if bare.endswith("ي") and len(bare) >= 4:
        out += [b + s for b in (bare, "ال" + bare) for s in NISBA_SUFFIXES]
    return out


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands alone between quotation marks (spaces inside the marks allowed)."""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    j = end
    while j < len(text) and text[j] == " ":
        j += 1
    return i >= 0 and j < len(text) and text[i] in OPEN_QUOTES and text[j] in CLOSE_QUOTES


def _family_name(form: str) -> str | None:
    words = form.split(" ")
    if (len(words) < 2 or words[-2] in _NO_FAMILY_NAME_AFTER or len(words[-1]) < 3
            or words[-1] in _NOT_FAMILY_NAMES):
        return None
    return words[-1]


def _as_date(when) -> _dt.date | None:
    if when is None:
        return None
    try:
        if when != when:  # NaT / NaN
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(when, _dt.datetime):
        return when.date()
    if isinstance(when, _dt.date):
        return when
    if hasattr(when, "to_pydatetime"):
        return when.to_pydatetime().date()
    if isinstance(when, str) and when.strip():
        return _dt.date.fromisoformat(when.strip()[:10])
    return None


class ActorMatcher(BaseEstimator):
    """Find gazetteer actors in Arabic texts (see the module docstring for the rules).

    Parameters
    ----------
    gazetteer : Gazetteer or None
        The gazetteer to match; ``None`` loads the project's (``load_gazetteer()``) in :meth:`fit`.
    resolve_short_names : bool
        Resolve short names / family names to a person named in full in the same article (``short_name``), and the
        gazetteer's short forms of other actors to the actor named in full in the article (``reference``).
    include_adjectives : bool
        Match nisba adjectives and demonyms (``kind='adjective'``) and map them to their country.
    resolve_affiliations : bool
        Attach the person's affiliations on the article's date to each person mention.
    person_word_context : {'related', 'actor', None}
        The context a one-word name of a person (``كيري``, ``النفطي``, ``باردو``) needs when the gazetteer sets no
        ``requires_context`` for it: such words are often ordinary words or other people's family names, so by
        default they count only in an article that also names the person in full or something related to them
        (their country, an organisation they belong to, another actor of their country). ``None`` matches them
        everywhere; a gazetteer rule ``requires_context: none`` exempts one form.

    Learned attributes: ``gazetteer_``, ``actor_ids_`` (feature names), ``n_keys_`` (automaton size),
    ``automaton_`` (rebuilt after unpickling).
    """

    def __init__(self, *, gazetteer=None, resolve_short_names: bool = True, include_adjectives: bool = True,
                 resolve_affiliations: bool = False, person_word_context: str | None = "related"):
        self.gazetteer = gazetteer
        self.resolve_short_names = resolve_short_names
        self.include_adjectives = include_adjectives
        self.resolve_affiliations = resolve_affiliations
        self.person_word_context = person_word_context

    # -- building -----------------------------------------------------------------------------------------------
    def fit(self, X=None, y=None):
        """Build the automaton from the gazetteer (*X* and *y* are ignored)."""
        gaz = self.gazetteer
        if gaz is None:
            from arabic_news.actors.gazetteer import load_gazetteer

            gaz = load_gazetteer()
        self.gazetteer_ = gaz
        self._rank_cache = None  # gazetteer order, rebuilt for this gazetteer
        self.actor_ids_ = np.array(list(gaz.actors), dtype=object)
        self._types_ = {a.id: a.type for a in gaz.actors.values()}
        self._country_of_ = {a.id: a.country for a in gaz.actors.values() if a.country}
        if self.person_word_context not in (None, "actor", "related"):
            raise ValueError(f"person_word_context must be None, 'actor' or 'related', got "
                             f"{self.person_word_context!r}")
        self._related_ = {
            a.id: frozenset(x for x in (a.parent, a.country, *(f.org for f in a.affiliations)) if x)
            for a in gaz.actors.values()
        }
        self.key_table_ = self._build_key_table(gaz)
        self._nisba_names_ = self._nisba_names(gaz) if self.include_adjectives else {}
        self.n_keys_ = len(self.key_table_)
        self._build_automaton()
        return self

    def _build_key_table(self, gaz) -> dict[str, tuple]:
        """surface string -> (priority, kind, form, proclitic, n_tokens, readings) for the automaton.

        ``readings`` is a tuple of (actor_id, rank): rank 0 when the actor owns the form as a name/alias/adjective,
        1 when it lists it only as ``ambiguous`` (a metonymic or secondary reading).
        """
        # normalised form -> {actor_id: (priority, kind, rank)}
        forms: dict[str, dict[str, tuple[int, str, int]]] = {}

        def add(form: str, actor_id: str, priority: int, kind: str, rank: int) -> None:
            if not form:
                return
            per = forms.setdefault(form, {})
            old = per.get(actor_id)
            if old is None or (priority, rank) < (old[0], old[2]):
                per[actor_id] = (priority, kind, rank)

        adjective_forms: list[tuple[str, str]] = []
        person_names: list[tuple[str, str]] = []
        for sf in gaz.surface_forms():
            key = sf.key
            if not key:
                continue
            if sf.kind in ("name", "alias"):
                add(key, sf.actor_id, _P_NAME, "name", 0)
                if self._types_.get(sf.actor_id) == "person":
                    person_names.append((key, sf.actor_id))
            elif sf.kind == "adjective":
                if self.include_adjectives:
                    add(key, sf.actor_id, _P_ADJ, "adjective", 0)
                    adjective_forms.append((key, sf.actor_id))
            elif sf.kind == "ambiguous":
                add(key, sf.actor_id, _P_NAME, "name", 1)
            elif sf.kind == "short_name":
                if self.resolve_short_names:
                    add(key, sf.actor_id, _P_SHORT, "short_name", 0)
        owned = set(forms)
        for key, actor_id in adjective_forms:
            for derived in _adjective_inflections(key):
                if derived not in owned:
                    add(derived, actor_id, _P_DERIVED_ADJ, "adjective", 0)
        if self.resolve_short_names:
            for key, actor_id in person_names:
                family = _family_name(key)
                if family and family not in owned:
                    add(family, actor_id, _P_SHORT, "short_name", 0)

        table: dict[str, tuple] = {}
        form_rules = self._effective_rules(gaz, person_names)

        def put(surface: str, priority: int, entry: tuple) -> None:
            old = table.get(surface)
            if old is None or priority < old[0]:
                table[surface] = (priority,) + entry

        for form, per in forms.items():
            best = min(p for p, _, _ in per.values())
            winners = {a: v for a, v in per.items() if v[0] == best}
            kind = min((v[1] for v in winners.values()), key=KINDS.index)
            readings = tuple(sorted(((a, v[2]) for a, v in winners.items()),
                                    key=lambda r: (r[1], self._gazetteer_rank(r[0]))))
            rules = tuple((a, form_rules[(form, a)]) for a, _ in readings if (form, a) in form_rules)
            n_tokens = form.count(" ") + 1
            # exact form: priority 2*p; with proclitics 2*p+1, so every exact form beats every derived one of
            # the same kind and a name with a proclitic still beats an adjective
            put(form, 2 * best, (kind, form, "", n_tokens, readings, rules))
            for proclitic, surface in proclitic_variants(form):
                kept, kept_rules = readings, rules
                if rules:
                    blocked = {a for a, rule in rules if rule.blocked_proclitics & set(proclitic)}
                    if blocked:
                        kept = tuple(r for r in readings if r[0] not in blocked)
                        kept_rules = tuple(r for r in rules if r[0] not in blocked)
                        if not kept:
                            continue
                put(surface, 2 * best + 1, (kind, form, proclitic, n_tokens, kept, kept_rules))
        return table

    @staticmethod
    def _nisba_names(gaz) -> dict[str, str]:
        """Names that are also their actor's definite feminine nisba (normalised form -> actor id): السعوديه is
        Saudi Arabia and 'Saudi' (feminine) alike, its adjective السعودي + ه."""
        out = {}
        for actor in gaz.actors.values():
            adjectives = {normalize_text(a) for a in actor.adjectives}
            if not adjectives:
                continue
            for name in (actor.name_ar, *actor.aliases):
                key = normalize_text(name)
                if (" " not in key and key.startswith("ال") and key.endswith("ه")
                        and (key[:-1] in adjectives or key[2:-1] in adjectives)):
                    out[key] = actor.id
        return out

    def _effective_rules(self, gaz, person_names: list[tuple[str, str]]) -> dict:
        """The gazetteer's form rules plus the default context of one-word person names
        (``person_word_context``); ``requires_context: none`` in the gazetteer becomes no requirement."""
        rules = dict(gaz.form_rules()) if hasattr(gaz, "form_rules") else {}
        if self.person_word_context:
            for key, actor_id in person_names:
                if " " in key:
                    continue
                rule = rules.get((key, actor_id))
                if rule is None:
                    rules[(key, actor_id)] = FormRule(form=key, requires_context=self.person_word_context)
                elif rule.requires_context is None:
                    rules[(key, actor_id)] = replace(rule, requires_context=self.person_word_context)
        for key, rule in list(rules.items()):
            if rule.requires_context == "none":
                rules[key] = replace(rule, requires_context=None)
        return {k: r for k, r in rules.items() if r != type(r)(form=r.form, notes=r.notes)}

    def _gazetteer_rank(self, actor_id: str) -> int:
        order = getattr(self, "_rank_cache", None)
        if order is None:
            order = {a: i for i, a in enumerate(self.gazetteer_.actors)}
            self._rank_cache = order
        return order.get(actor_id, len(order))

    def _build_automaton(self) -> None:
        automaton = ahocorasick.Automaton()
        entries = []
        for surface, entry in self.key_table_.items():
            automaton.add_word(" " + surface + " ", len(entries))
            entries.append((len(surface) + 2,) + entry)
        automaton.make_automaton()
        self.automaton_ = automaton
        self._entries_ = entries

    def __getstate__(self):
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        state.pop("automaton_", None)
        state.pop("_entries_", None)
        state.pop("_rank_cache", None)
        return state

    def __setstate__(self, state):
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        if "key_table_" in self.__dict__:
            self._build_automaton()

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The actor ids (the columns of :meth:`count_matrix`)."""
        self._check_fitted()
        return self.actor_ids_.copy()

    def _check_fitted(self) -> None:
        if not hasattr(self, "automaton_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("ActorMatcher is not fitted yet; call fit() first")

    # -- matching -------------------------------------------------------------------------------------------
    def _candidates(self, text: str) -> tuple[list[int], list[tuple[int, int, tuple]], str]:
        """Token offsets, the selected (token_start, token_end, entry) matches before resolution, and the normalised
        tokens joined by single spaces.

        The offsets are flat: token i spans ``text[offsets[2 * i]:offsets[2 * i + 1]]``.
        """
        offsets, tokens = token_offsets(text)
        if not tokens:
            return offsets, [], ""
        joined = normalize_text(" ".join(tokens))
        if joined.count(" ") != len(tokens) - 1:  # normalisation created/removed a space inside a token
            joined = " ".join(normalize_text(t).replace(" ", "_") for t in tokens)
        padded = " " + joined + " "
        entries = self._entries_
        hits = []
        count = padded.count
        last_pos, last_count = 0, 0
        for end, idx in self.automaton_.iter(padded):
            entry = entries[idx]
            first = end - entry[0] + 2  # one past the key's leading space
            # spaces before the key = tokens before it (counted incrementally: hits arrive by end position)
            if first >= last_pos:
                last_count += count(" ", last_pos, first)
            else:
                last_count = count(" ", 0, first)
            last_pos = first
            hits.append((-entry[5], last_count - 1, idx))
        if not hits:
            return offsets, [], joined
        hits.sort()
        taken = bytearray(len(tokens))
        selected = []
        for neg_len, token_start, idx in hits:
            token_end = token_start - neg_len
            if any(taken[token_start:token_end]):
                continue
            if token_end - token_start > 1 and "\n" in text[offsets[2 * token_start]:offsets[2 * token_end - 1]]:
                continue
            taken[token_start:token_end] = b"\x01" * (token_end - token_start)
            selected.append((token_start, token_end, entries[idx]))
        selected.sort(key=lambda s: s[0])
        return offsets, selected, joined

    def find(self, text: str, date=None) -> list[Mention]:
        """The actor mentions in *text* (in text order). *date* (date, Timestamp or ISO string) is the article's
        date, used by ``resolve_affiliations``."""
        self._check_fitted()
        if not text:
            return []
        offsets, selected, joined = self._candidates(text)
        if not selected:
            return []
        breaks = sentence_breaks(text, offsets[2 * selected[-1][0]])
        # entry = (key_len, priority, kind, form, proclitic, n_tokens, readings, rules)
        # 1. apply the per-form rules: drop readings next to a blocked word, promote quoted readings, and note the
        #    readings that need context
        items = []  # (token_start, token_end, entry, readings, conditional {actor: mode} or None)
        norm_tokens = None
        types = self._types_
        for token_start, token_end, entry in selected:
            readings, rules = entry[6], entry[7]
            conditional = None
            if token_start and types.get(readings[0][0]) == "person":
                if norm_tokens is None:
                    norm_tokens = joined.split(" ")
                if norm_tokens[token_start - 1] in NASAB_MARKERS:
                    readings = tuple(r for r in readings if types.get(r[0]) != "person")
                    if not readings:
                        continue
            if rules:
                if norm_tokens is None:
                    norm_tokens = joined.split(" ")
                by_actor = dict(rules)
                prev = norm_tokens[token_start - 1] if token_start > 0 else ""
                nxt = norm_tokens[token_end] if token_end < len(norm_tokens) else ""
                quoted = None
                kept = []
                for actor_id, rank in readings:
                    rule = by_actor.get(actor_id)
                    if rule is not None:
                        if prev in rule.not_after or nxt in rule.not_before:
                            continue
                        if rule.requires_context:
                            conditional = conditional or {}
                            conditional[actor_id] = rule.requires_context
                        if rule.when_quoted:
                            if quoted is None:
                                quoted = _is_quoted(text, offsets[2 * token_start], offsets[2 * token_end - 1])
                            if quoted:
                                rank = -1
                    kept.append((actor_id, rank))
                if not kept:
                    continue
                kept.sort(key=lambda r: r[1])  # stable: gazetteer order within a rank
                readings = tuple(kept)
            items.append((token_start, token_end, entry, readings, conditional))
        # 2. anchors: actors named by their first reading (for short names and ambiguity; a secondary reading of
        #    the form does not compete) and every actor present through a name or adjective that has a single
        #    reading and needs no context (for requires_context and the country preference)
        named: dict[str, list[int]] = {}  # actor id -> token starts of unambiguous name mentions
        present: set[str] = set()
        for token_start, _, entry, readings, conditional in items:
            if entry[2] == "short_name":
                continue
            first, rank = readings[0]
            if conditional and first in conditional:
                continue
            if len(readings) == 1:
                present.add(first)
            if entry[2] == "name" and (len(readings) == 1 or readings[1][1] > rank):
                named.setdefault(first, []).append(token_start)
        present_countries = None
        ended_by = None  # token_end -> type of the actor whose candidate ends there
        mentions: list[Mention] = []
        when = _as_date(date) if self.resolve_affiliations else None
        for token_start, token_end, entry, readings, conditional in items:
            kind, form, proclitic = entry[2], entry[3], entry[4]
            if (kind == "name" and not proclitic and token_start and form in self._nisba_names_
                    and readings[0][0] == self._nisba_names_[form]):
                # السعوديه after a definite noun agrees with it: الحكومه السعوديه is 'the Saudi government'; not
                # after the name of a person, place or country (زار سعود الفيصل السعوديه)
                if norm_tokens is None:
                    norm_tokens = joined.split(" ")
                if ended_by is None:
                    ended_by = {te: types.get(r[0][0]) for _, te, _, r, _ in items}
                if (is_definite_noun(norm_tokens[token_start - 1])
                        and ended_by.get(token_start) not in ("person", "place", "country")):
                    kind = "adjective"
            if conditional:
                if present_countries is None:
                    present_countries = {self._country_of_.get(a) for a in present} | present
                readings = tuple(r for r in readings
                                 if r[0] not in conditional
                                 or self._anchored(r[0], conditional[r[0]], named, present, present_countries))
                if not readings:
                    continue
            candidates: tuple[str, ...] = ()
            if kind == "short_name":
                actor_id = self._resolve_short(readings, token_start, named)
                if actor_id is None:
                    continue
                if types.get(actor_id) != "person":  # short names are people's; المملكة is a back-reference
                    kind = "reference"
            elif len(readings) == 1:
                actor_id = readings[0][0]
            else:
                candidates = tuple(a for a, _ in readings)
                best = readings[0][1]
                top = [a for a, rank in readings if rank == best]
                actor_id = top[0]
                in_text = [a for a in top if a in named] if len(top) > 1 else []
                if in_text:
                    actor_id = in_text[0]
                elif best >= 0:  # not a quoted reading
                    actor_id = self._by_country(actor_id, candidates, present)
            start, end = offsets[2 * token_start], offsets[2 * token_end - 1]
            affiliations: tuple[str, ...] = ()
            if when is not None and self._types_.get(actor_id) == "person":
                affiliations = tuple(dict.fromkeys(org for org, _ in self.gazetteer_.affiliation(actor_id, when)))
            mentions.append(Mention(
                actor_id=actor_id, kind=kind, start=start, end=end, token_start=token_start,
                token_end=token_end, sentence=bisect_right(breaks, start), surface=text[start:end], form=form,
                proclitic=proclitic, candidates=candidates, affiliations=affiliations,
            ))
        return mentions

    def _anchored(self, actor_id: str, mode: str, named: dict, present: set, present_countries: set) -> bool:
        """Whether a ``requires_context`` reading of *actor_id* is licensed by the rest of the article."""
        if actor_id in named or actor_id in present:
            return True
        if mode != "related":
            return False
        if self._related_.get(actor_id, frozenset()) & present:
            return True
        country = self._country_of_.get(actor_id)
        return country is not None and country in present_countries

    def _by_country(self, actor_id: str, candidates: tuple[str, ...], present: set) -> str:
        """For an ambiguous form whose first reading the article supports neither by naming it nor by naming its
        country, the first other reading (a place or person) whose country the article does name; else
        *actor_id* (``عمان`` in an article about Jordan is Amman, ``طرابلس`` in one about Lebanon Tripoli, Lebanon)."""
        if actor_id in present or self._country_of_.get(actor_id) in present:
            return actor_id
        for other in candidates:
            if (other != actor_id and self._types_.get(other) in ("place", "person")
                    and self._country_of_.get(other) in present):
                return other
        return actor_id

    @staticmethod
    def _resolve_short(readings, token_start: int, named: dict[str, list[int]]) -> str | None:
        best = None
        for actor_id, _ in readings:
            positions = named.get(actor_id)
            if not positions:
                continue
            before = [p for p in positions if p < token_start]
            # nearest earlier full mention first (distance), then nearest later one (offset by a large constant)
            score = (token_start - before[-1]) if before else 10**9 + (positions[0] - token_start)
            if best is None or score < best[0]:
                best = (score, actor_id)
        return None if best is None else best[1]

    def transform(self, texts: Iterable[str], dates: Sequence | None = None) -> list[list[Mention]]:
        """:meth:`find` over *texts* (with the matching *dates* if given)."""
        self._check_fitted()
        texts = list(texts)
        if dates is None:
            return [self.find(t) for t in texts]
        if len(dates) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(dates)} dates")
        return [self.find(t, d) for t, d in zip(texts, dates)]

    def fit_transform(self, X, y=None, **kw):
        return self.fit().transform(X, **kw)

    def count_matrix(self, texts: Iterable[str], *, kinds: Sequence[str] | None = None):
        """A sparse document x actor count matrix (columns = :meth:`get_feature_names_out`)."""
        from scipy import sparse

        self._check_fitted()
        column = {a: i for i, a in enumerate(self.actor_ids_)}
        rows, cols = [], []
        n = 0
        for n, mentions in enumerate(self.transform(texts), 1):
            for m in mentions:
                if kinds is None or m.kind in kinds:
                    rows.append(n - 1)
                    cols.append(column[m.actor_id])
        data = np.ones(len(rows), dtype=np.int32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(n, len(column)), dtype=np.int32)
