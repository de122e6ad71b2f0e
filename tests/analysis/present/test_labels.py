"""Documents as readers know them (:mod:`analysis.present.labels`): a curated short title and the month of issue,
unique over the manifest, put in place of every ``doc_id`` in reader text while code spans and URLs keep ids."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import load_manifest
from analysis.io.schemas import TableError
from analysis.present.labels import (
    MAX_SHORT,
    document_labels,
    labels_from_manifest,
    load_short_titles,
    name_documents,
    short_title,
)


def test_every_manifest_document_has_a_curated_short_title_and_a_unique_label():
    short, manifest = load_short_titles(), load_manifest()
    missing = sorted(set(manifest["doc_id"]) - set(short))
    assert not missing, f"add a short English title for {missing} to data/corpus/short_titles.csv"
    assert not sorted(set(short) - set(manifest["doc_id"])), "short_titles.csv names a document not in the manifest"
    labels = document_labels()
    assert len(set(labels.values())) == len(labels)
    assert labels["ngaidp_2017"] == "New Generation AI Development Plan (2017-07)"
    assert all(len(label) <= MAX_SHORT + 10 for label in labels.values())


def test_a_document_without_a_curated_title_is_shortened_by_rule():
    assert short_title("Notice of the State Council on Issuing the New Generation Artificial Intelligence Plan") == (
        "New Generation AI Plan"
    )
    assert short_title("Anhui AI Industry Development Plan (2018-2030)") == "Anhui AI Industry Development Plan"
    manifest = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "title_en": ["Plan", "", "Plan"], "date": ["2017-07-08", "", "2017-07-20"]}
    )
    assert labels_from_manifest(manifest) == {"a": "Plan (2017-07-08)", "b": "b", "c": "Plan (2017-07-20)"}


def test_a_bad_short_titles_file_names_the_file_and_line(tmp_path: Path):
    path = tmp_path / "short_titles.csv"
    path.write_text("doc_id,short_en\na,A title\na," + "x" * (MAX_SHORT + 1) + "\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"short_titles\.csv.*line 3"):
        load_short_titles(path)


def test_ids_become_titles_as_whole_words_and_stay_in_code_and_urls():
    labels = {"plan_2017": "Plan (2017-07)", "plan_2017_en": "Plan in English (2017-08)"}
    text = "count in plan_2017 and plan_2017_en; not xplan_2017; `--doc plan_2017` https://x.org/plan_2017 <plan_2017>"
    assert name_documents(text, labels) == (
        "count in Plan (2017-07) and Plan in English (2017-08); not xplan_2017; `--doc plan_2017` "
        "https://x.org/plan_2017 <plan_2017>"
    )
    assert name_documents(3, labels) == 3 and name_documents("nothing", {}) == "nothing"
