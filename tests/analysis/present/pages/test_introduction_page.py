"""The introduction (:mod:`analysis.present.pages.introduction`): Table 1 linked to chapters that exist, and the
criteria table computed from the coverage of whatever build runs the test (an empty one included)."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from analysis.datastate import chapter_coverage
from analysis.io.paths import PROJECT_ROOT
from analysis.present.pages import introduction as page

TOC = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
NUMBERED = {e["file"] for part in TOC["parts"] for e in part["chapters"]}


def test_every_criterion_is_tested_by_a_chapter_of_the_book() -> None:
    assert [c.name for c in page.CRITERIA] == [
        "a securitizing move",
        "an extraordinary measure",
        "acceptance by an audience",
    ]
    for criterion in page.CRITERIA:
        assert criterion.chapters and all(f"notebooks/{d}" in NUMBERED for d in criterion.chapters)


def test_the_criteria_table_counts_what_the_build_has() -> None:
    cover = chapter_coverage(topic=None)
    shown = page.criteria_table(cover)
    assert shown.name == "tbl-intro-criteria" and "{doc}`securitizing_move`" in shown.markdown()
    data = shown.data.set_index("criterion")
    assert (data["available in this build"] <= data["listed in the manifest"]).all()
    available = cover[cover["status"] == "available"]
    for criterion in page.CRITERIA:
        assert data.at[criterion.name, "available in this build"] == int(criterion.select(available).sum())
    nothing = page.criteria_table(cover.assign(status="missing")).data
    assert (nothing["available in this build"] == 0).all()
    assert nothing["listed in the manifest"].tolist() == data["listed in the manifest"].tolist()


def test_table_1_links_each_element_to_its_glossary_entry_and_chapters() -> None:
    shown = page.framework_table()
    links = re.findall(r"\{doc\}`([^`]+)`", shown.markdown())
    assert links and all(f"notebooks/{d}" in NUMBERED for d in links)
    assert {"securitizing_move", "beyond_the_count"} <= set(links)
    assert len(pd.DataFrame(shown.data)) == 5 and shown.markdown().count("{term}`") == 5
