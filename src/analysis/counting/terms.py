"""The term lists: one :class:`TermList` for Chinese and English, the matching rule a property of each term.

Terms are data: ``data/terms.csv`` (Chinese: ``term, pinyin, gloss_en, category, rule, note``,
documented in ``data/terms.md``) and ``data/terms_en.csv`` (English: ``term, definition, category,
rule, note``). Each term's ``rule`` says how it is found (:mod:`analysis.counting.matching`):
``substring`` or ``token`` for a Chinese term, ``english`` or ``english_plural`` for an English one.
Both lists are described by a :class:`TermList` (:data:`TERM_LISTS`); every function takes the
``language`` (``zh``, the default, or ``en``):

* :func:`load_terms` reads and checks a list, in file order with an ``order`` column;
* :func:`terms_in` selects terms by category; :func:`security_vocabulary` gives the terms of the
  categories that make up a language's security vocabulary;
* :func:`describe_terms` gives the gloss (Chinese) or definition (English) of terms;
* :func:`matching_rule` gives the rule of any term, looked up in both lists.

The loader refuses, naming the file and the line: an unknown category or rule, an empty gloss or
definition, a term listed twice (for English, ignoring case and hyphens), a term with an invisible
character (zero-width space, word joiner, byte-order mark, ideographic or no-break space …, which
normalised texts never contain, so such a term would silently never match) or two terms that differ
only by such characters; and for English, a malformed term or nested terms written differently or
with different rules (so that net counts agree however they are computed).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.counting.matching import ENGLISH_RULES, MATCHERS, TERM_RULES, contains_words, english_key
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR
from analysis.io.text import invisible_characters

TERMS_PATH: Path = DATA_DIR / "terms.csv"
TERMS_EN_PATH: Path = DATA_DIR / "terms_en.csv"
TERM_COLUMNS: tuple[str, ...] = registry.schema_of("terms.csv").names
TERM_EN_COLUMNS: tuple[str, ...] = registry.schema_of("terms_en.csv").names
LANGUAGES: tuple[str, ...] = vocabulary.LANGUAGES

#: The term categories of ``data/terms.csv``, with what each collects (their home is
#: :mod:`analysis.io.vocabulary`, whose words the schema registry checks). Names are stable: other chapters select
#: terms by them. Documented for readers in ``data/terms.md``.
CATEGORIES: dict[str, str] = vocabulary.TERM_CATEGORIES

#: Categories whose terms make up the "security vocabulary" of the density extension.
SECURITY_VOCABULARY_CATEGORIES: tuple[str, ...] = (
    "security",
    "national_security",
    "cyber_security",
    "data_security",
    "information_security",
    "political_security",
    "economic_security",
    "ideological_security",
    "cultural_security",
    "public_security",
    "homeland_security",
    "technology_security",
    "environmental_security",
    "resource_security",
    "energy_security",
    "nuclear_security",
    "safe_controllable",
    "national_defence",
    "military",
    "military_civil_fusion",
)

#: The categories of ``data/terms_en.csv``. Where a name is also a key of :data:`CATEGORIES` it
#: collects the comparable English words (so :data:`SECURITY_VOCABULARY_CATEGORIES_EN` can name the
#: same families as the Chinese security vocabulary); the others exist only for English.
CATEGORIES_EN: dict[str, str] = vocabulary.TERM_CATEGORIES_EN

#: Categories of ``data/terms_en.csv`` whose terms make up the English security vocabulary: the
#: English counterparts of :data:`SECURITY_VOCABULARY_CATEGORIES` (security, its compounds, defence
#: and the military). ``safety`` and office names (``institution``) are left out.
SECURITY_VOCABULARY_CATEGORIES_EN: tuple[str, ...] = (
    "security",
    "national_security",
    "homeland_security",
    "cyber_security",
    "economic_security",
    "national_defence",
    "military",
)


class TermListError(ValueError):
    """A term list, ``data/anquan_senses.csv`` or ``data/concept_map.csv`` is malformed."""


def _visible_key(term: str) -> str:
    """``term`` without its invisible characters, NFKC-normalised: two terms with one key look the same."""
    kept = "".join(ch for ch in term if not invisible_characters(ch, spaces=False) or ch == " ")
    return unicodedata.normalize("NFKC", kept).strip()


@dataclass(frozen=True)
class TermList:
    """What distinguishes the Chinese and the English term lists; the functions of this module take either."""

    language: str
    path: Path
    table: str  # the registry's name of the list (:mod:`analysis.io.registry`)
    columns: tuple[str, ...]
    categories: Mapping[str, str]
    rules: tuple[str, ...]
    vocabulary_categories: tuple[str, ...]
    gloss: str  # the column that says what a term means
    describe_columns: tuple[str, ...]

    @property
    def label(self) -> str:
        """Name of the term column in :func:`describe_terms` (``term_zh`` / ``term_en``)."""
        return f"term_{self.language}"

    def key(self, term: str) -> Hashable:
        """What matching cannot tell apart: the English words ignoring case and hyphens, the visible Chinese characters."""
        return english_key(term) if self.language == "en" else _visible_key(term)


ZH = TermList(
    "zh",
    TERMS_PATH,
    "terms.csv",
    TERM_COLUMNS,
    CATEGORIES,
    TERM_RULES,
    SECURITY_VOCABULARY_CATEGORIES,
    "gloss_en",
    ("pinyin", "gloss_en", "category", "rule"),
)
EN = TermList(
    "en",
    TERMS_EN_PATH,
    "terms_en.csv",
    TERM_EN_COLUMNS,
    CATEGORIES_EN,
    ENGLISH_RULES,
    SECURITY_VOCABULARY_CATEGORIES_EN,
    "definition",
    ("definition", "category", "rule"),
)
#: The term lists by language.
TERM_LISTS: dict[str, TermList] = {"zh": ZH, "en": EN}


def term_list(language: str) -> TermList:
    """The :class:`TermList` of ``language`` (``zh`` or ``en``)."""
    if language not in TERM_LISTS:
        raise ValueError(f"language must be zh or en, not {language!r}")
    return TERM_LISTS[language]


def _nesting_problems(keys: Mapping[str, tuple[str, ...]], rule_of: Mapping[str, str]) -> list[str]:
    problems = []
    for a, ka in keys.items():
        for b, kb in keys.items():
            if contains_words(kb, ka) and a not in b:
                problems.append(
                    f"term {a!r} lies inside {b!r} but is written differently there (use the same capitalisation and spacing)"
                )
            elif contains_words(kb, ka) and rule_of[a] != rule_of[b]:
                problems.append(
                    f"term {a!r} lies inside {b!r} but has another rule ({rule_of[a]} vs {rule_of[b]}); "
                    "nested terms share a rule so that net counts agree"
                )
    return problems


def _key_problems(df: pd.DataFrame, spec: TermList) -> list[str]:
    """Terms that matching cannot tell apart from an earlier one (its schema already refused exact repeats), and for
    English, malformed terms and nested terms written differently or with different rules."""
    problems: list[str] = []
    seen: dict[Hashable, int] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for i, term in enumerate(df["term"]):
        line = i + 2
        try:
            key = spec.key(term)
        except ValueError as exc:
            problems.append(f"line {line}, term={term!r}: {exc}")
            continue
        if key in seen and df["term"].iloc[seen[key] - 2] != term:  # an exact repeat is the schema's
            why = (
                "matching ignores case and hyphens"
                if spec.language == "en"
                else "the two differ only by invisible or full-width characters"
            )
            problems.append(f"line {line}, term={term!r}: already listed on line {seen[key]} ({why})")
        seen.setdefault(key, line)
        if spec.language == "en":
            keys.setdefault(term, key)  # type: ignore[arg-type]
    return problems + _nesting_problems(keys, dict(zip(df["term"], df["rule"], strict=False)))


def _read_terms(path: Path, spec: TermList) -> pd.DataFrame:
    # the schema (analysis.io.registry): glosses, categories, rules, no term twice, no invisible character
    df = registry.read_registered(spec.table, path=path, error=TermListError, more=lambda d: _key_problems(d, spec))
    df = df.loc[:, list(spec.columns)].copy()
    df.insert(0, "order", range(len(df)))
    return df.reset_index(drop=True)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, language: str) -> pd.DataFrame:
    return _read_terms(Path(path), TERM_LISTS[language])


def load_terms(path: Path | None = None, *, language: str = "zh") -> pd.DataFrame:
    """The validated term list of ``language`` (``data/terms.csv`` or ``data/terms_en.csv``) in file order,
    with an ``order`` column. Raises :class:`TermListError` naming the file and line of every problem
    (see the module docstring)."""
    spec = term_list(language)
    path = Path(path) if path is not None else spec.path
    if not path.is_file():
        raise TermListError(f"{path}: file not found")
    return _load_cached(str(path.resolve()), path.stat().st_mtime_ns, language).copy()


def terms_in(*categories: str, terms: pd.DataFrame | None = None, language: str = "zh") -> list[str]:
    """Terms of the given categories, in file order (all terms when no category is given)."""
    spec = term_list(language)
    df = load_terms(language=language) if terms is None else terms
    unknown = sorted(set(categories) - set(spec.categories))
    if unknown:
        label = "term" if language == "zh" else "English term"
        raise KeyError(f"unknown {label} categories: {', '.join(unknown)}; known: {', '.join(spec.categories)}")
    if categories:
        df = df[df["category"].isin(categories)]
    return df.sort_values("order")["term"].tolist()


def describe_terms(terms: Sequence[str], *, table: pd.DataFrame | None = None, language: str = "zh") -> pd.DataFrame:
    """``term_zh, pinyin, gloss_en, category, rule`` (Chinese) or ``term_en, definition, category, rule``
    (English) for ``terms`` in the given order; unlisted terms raise ``KeyError``."""
    spec = term_list(language)
    df = (load_terms(language=language) if table is None else table).set_index("term")
    missing = [t for t in terms if t not in df.index]
    if missing:
        raise KeyError(f"terms not in {spec.path.name}: {', '.join(missing)}")
    return df.loc[list(terms), list(spec.describe_columns)].reset_index().rename(columns={"term": spec.label})


def security_vocabulary(terms: pd.DataFrame | None = None, *, language: str = "zh") -> list[str]:
    """Terms of the security-vocabulary categories of ``language``, in file order."""
    return terms_in(*term_list(language).vocabulary_categories, terms=terms, language=language)


def matching_rule(term: str, terms: pd.DataFrame | None = None) -> str:
    """The matcher a term is found with: its ``rule`` when that names a matcher of
    :data:`~analysis.counting.matching.MATCHERS`, else ``substring`` (also for unlisted terms and
    ``token``-rule terms). Without ``terms``, the term is looked up in the Chinese list, then the English one."""
    tables = [terms] if terms is not None else [load_terms(language=lang) for lang in LANGUAGES]
    for df in tables:
        rule = df.loc[df["term"] == term, "rule"]
        if not rule.empty:
            return rule.iloc[0] if rule.iloc[0] in MATCHERS else "substring"
    return "substring"
