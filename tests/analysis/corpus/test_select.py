"""One definition per concept (analysis.corpus.select): what a local AI plan is, which texts are controls, level and
genre groups; every module and page that selects documents agrees with it, and no copy of a definition is left."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import load_manifest, select
from analysis.corpus.manifest import GENRES, LEVELS, TOPICS
from analysis.corpus.routes import load_routes, route_coverage
from analysis.evidence import ledger
from analysis.io.paths import PROJECT_ROOT
from analysis.sections import audiences


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return load_manifest()


def test_every_genre_is_in_exactly_one_group() -> None:
    listed = [g for genres in select.GENRE_GROUPS.values() for g in genres]
    assert sorted(listed) == sorted(GENRES) and len(listed) == len(set(listed))
    assert select.genre_group("law") == "rules" and select.genre_group("opinions") == "programme"


def test_levels_and_topics_come_from_one_place() -> None:
    assert TOPICS is select.TOPICS
    assert {select.level_group(level) for level in LEVELS} == set(select.LEVEL_GROUPS)
    assert select.level_group("province") == "local" and select.level_group("nowhere") == "other"


def test_the_local_ai_plans_of_the_manifest(manifest: pd.DataFrame) -> None:
    plans = select.local_ai_plans(manifest)
    assert len(plans) == 35
    assert set(plans["genre"]) == set(select.PLAN_GENRES) and set(plans["topic"]) == {"ai"}
    assert "shenzhen_ai_industry_regulation_2022" not in set(plans["doc_id"])  # a local regulation is not a plan
    assert "guangdong_2018_ai_plan" in set(plans["doc_id"])
    assert not set(plans["doc_id"]) & set(select.select_topic(manifest, "control")["doc_id"])


def test_the_ledger_chapter_7_and_appendix_b_count_the_same_local_plans(manifest: pd.DataFrame) -> None:
    ids = set(select.local_ai_plan_ids(manifest))
    assert audiences.local_plan_ids(manifest) == ids  # the audiences chapter's timeline and vocabulary table
    assert set(audiences.local_plans_timeline(manifest)["doc_id"]) == ids
    texts = {d: "合成测试：国家安全。" for d in manifest["doc_id"]}  # synthetic text for every document
    assert set(ledger.local_plan_mentions(texts, manifest)["doc_id"]) == ids  # the ledger's section 4 claims
    coverage = route_coverage(manifest, load_routes())
    assert coverage.loc["local plans", "documents"] == len(ids)  # Appendix B


def test_topic_selection_raises_on_unknown_topics_and_missing_columns(manifest: pd.DataFrame) -> None:
    assert set(select.select_topic(manifest, ("control", "reference"))["topic"]) == {"control", "reference"}
    assert select.select_topic(manifest, None) is manifest
    with pytest.raises(ValueError, match="unknown topic"):
        select.select_topic(manifest, "weather")
    with pytest.raises(ValueError, match="no 'topic' column"):
        select.select_topic(pd.DataFrame({"doc_id": ["a"]}))


SOURCES = sorted((PROJECT_ROOT / "src").rglob("*.py")) + sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
SOURCES += [PROJECT_ROOT / "book" / "index.ipynb"]
HOME = PROJECT_ROOT / "src" / "analysis" / "corpus" / "select.py"
#: The words the manifest's columns take live in the vocabulary that the schema registry checks them with;
#: select re-exports them and defines the concepts built on them.
WORDS = PROJECT_ROOT / "src" / "analysis" / "io" / "vocabulary.py"


@pytest.mark.parametrize(
    ("pattern", "what", "homes"),
    [
        (r"""["']province["'],\s*["']municipality["'],\s*["']city["']""", "the local levels", (WORDS,)),
        (r"""(?m)^\s*LOCAL_LEVELS\s*(:[^=\n]*)?=""", "LOCAL_LEVELS", (WORDS, HOME)),
        (r"""\[\\?["']topic\\?["']\]\s*==""", "a topic comparison", (HOME,)),
        (r"""genre\\?["']\]\s*!=\s*\\?["']regulation""", "the local-plan genre rule", (HOME,)),
        (r"""def select_topics?\(""", "topic selection", (HOME,)),
    ],
)
def test_no_copy_of_a_definition_outside_its_home(pattern: str, what: str, homes: tuple[Path, ...]) -> None:
    regex = re.compile(pattern)
    copies = [
        str(path.relative_to(PROJECT_ROOT))
        for path in SOURCES
        if path not in homes and regex.search(Path(path).read_text(encoding="utf-8"))
    ]
    assert not copies, f"{what} defined outside {', '.join(str(h.relative_to(PROJECT_ROOT)) for h in homes)}: {copies}"
