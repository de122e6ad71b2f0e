"""Data states: topic selection, synthetic detection, and every chapter-facing table and figure on zero rows."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import counting
from analysis.corpus import CORPUS_COLUMNS, load_manifest
from analysis.datastate import (
    not_available,
    select_topic,
    synthetic_banner,
    synthetic_documents,
)
from analysis.present.plotting import setup_plotting
from analysis.present.plotting.counts import plot_density_timeline, plot_sense_breakdown
from analysis.present.plotting.mirror import GENRE_MARKERS, plot_coverage, plot_mirror_density
from analysis.present.plotting.typology import typology_heatmap
from analysis.sections import audiences, profiles, typology

EMPTY = pd.DataFrame({c: pd.Series(dtype=object) for c in CORPUS_COLUMNS})


@pytest.fixture(autouse=True)
def _plots():
    setup_plotting()
    yield
    plt.close("all")


def test_select_topic_keeps_the_ai_texts_only() -> None:
    manifest = load_manifest()
    ai = select_topic(manifest)
    assert set(ai["topic"]) == {"ai"} and len(ai) == int((manifest["topic"] == "ai").sum())
    assert "shanghai_data_regulation_2021" not in set(ai["doc_id"])  # a control text
    assert {"algorithm_recommendation_provisions_2021", "shenzhen_ai_industry_regulation_2022"} <= set(ai["doc_id"])
    assert select_topic(manifest, None) is manifest
    assert select_topic(EMPTY).empty
    with pytest.raises(ValueError, match="no 'topic' column"):
        select_topic(pd.DataFrame({"doc_id": ["a"]}))


def test_not_available_sentence() -> None:
    assert not_available("ngaidp_2017", "the 2017 plan") == (
        "not reproducible here: the 2017 plan (document ngaidp_2017) is not available in this build"
    )


def test_no_synthetic_documents_without_texts(tmp_path: Path) -> None:
    assert synthetic_documents("", cache_dir=tmp_path / "none") == []  # detection itself: test_synthetic_corpus.py
    assert synthetic_banner([]) == "" and "2 document(s)" in synthetic_banner(["a", "c"])


# ------------------------------------------------------------------------------------------- zero rows


def test_counting_tables_on_an_empty_corpus() -> None:
    profile = profiles.security_profile(EMPTY)
    assert profile.empty and profile["chars"].dtype == "int64" and profile["anquan_all_per_10k"].dtype == "float64"
    mirror = profiles.mirror_profile(EMPTY)
    assert mirror.empty and mirror["size"].dtype == "int64" and mirror["security_vocabulary_per_10k"].dtype == "float64"
    assert counting.sense_summary(EMPTY).empty and counting.kwic(EMPTY, "安全").empty
    assert counting.count_table(EMPTY, ["安全"]).empty
    assert typology.type_counts(EMPTY, typology.load_typology()).empty


def test_audiences_tables_on_an_empty_corpus() -> None:
    manifest = select_topic(load_manifest())
    vocabulary = audiences.security_vocabulary_table(EMPTY, manifest)
    assert vocabulary.empty and vocabulary["per_10k"].dtype == "float64"
    with pytest.raises(LookupError, match="not reproducible here"):
        audiences.guangdong_exception(vocabulary)
    like = audiences.like_genre_regulations(EMPTY)
    assert like.empty and list(like.columns) == list(audiences.LIKE_COLUMNS)


def test_figures_on_zero_rows() -> None:
    profile = profiles.security_profile(EMPTY).assign(date=pd.Series(dtype=object), genre=pd.Series(dtype=object))
    fig = plot_density_timeline(profile, [("security_vocabulary_per_10k", "安全词汇", "security vocabulary")])
    assert len(fig.axes) == 1
    assert plot_sense_breakdown(counting.sense_summary(EMPTY)).axes
    mirror = profiles.mirror_profile(EMPTY).assign(date=pd.Series(dtype=object), genre=pd.Series(dtype=object))
    fig = plot_mirror_density(mirror)
    assert [ax.get_title(loc="left").endswith("no document in this build") for ax in fig.axes[:2]] == [True, True]
    cover = pd.DataFrame({c: pd.Series(dtype=object) for c in ("doc_id", "date", "genre", "status", "lane")})
    assert plot_coverage(cover, [("zh_central", "中国中央", "Chinese central")]).axes
    assert typology_heatmap(typology.type_counts(EMPTY, typology.load_typology()), typology.load_typology()).axes


def test_every_manifest_genre_has_a_marker() -> None:
    from analysis.corpus.manifest import GENRES

    assert set(GENRES) <= set(GENRE_MARKERS)
    assert len(set(GENRE_MARKERS.values())) == len(GENRE_MARKERS)  # no two genres share a shape


def test_figures_leave_out_undated_documents() -> None:
    table = pd.DataFrame(
        {
            "doc_id": ["dated", "undated"],
            "language": ["en", "en"],
            "date": ["2020-01", ""],
            "genre": ["report", "report"],
            "security_vocabulary_per_10k": [3.0, 5.0],
        }
    )
    fig = plot_mirror_density(table)
    us = fig.axes[1]
    assert len(us.lines) == 1 + 1  # one document marker and the article's date line
    fig = plot_density_timeline(table, [("security_vocabulary_per_10k", "安全词汇", "security vocabulary")])
    assert len(fig.axes[0].collections[-1].get_offsets()) == 1
