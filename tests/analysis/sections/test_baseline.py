"""Tests of the baseline (analysis.sections.move.baseline, analysis.sections.move.reading, the figures) on synthetic texts and rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.corpus import select
from analysis.sections.move import baseline, inference
from analysis.sections.move import reading as baseline_reading

# Synthetic text: a regulation-like structure invented for the tests.
SYNTH_REG = (
    "甲市测试条例\n第一章 总则\n第一条 为了维护国家安全，根据《中华人民共和国网络安全法》制定本条例。\n"
    "第二条 依照本条例第一条的规定，处理者应当开展安全评估。\n第三条 不得利用服务从事危害国家安全的活动。\n"
    "第四条 本条例自公布之日起施行。"
)
CONGRESS = "甲市人民代表大会常务委员会 (Standing Committee, synthetic)"
CAC = "国家互联网信息办公室 (CAC)"
COLUMNS = ["doc_id", "title_zh", "issuer", "level", "genre", "language", "topic", "date", "text"]


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def _text(extra: int) -> str:
    return SYNTH_REG.replace("施行", "安全" * extra + "施行")


LOCAL = [
    ("a1", "甲市人工智能产业促进条例", CONGRESS, "city", "regulation", "zh", "ai", "2022", _text(3)),
    ("c1", "甲市数据条例", CONGRESS, "city", "regulation", "zh", "control", "2021", SYNTH_REG),
    ("c2", "乙省数字经济促进条例", "乙省人民代表大会常务委员会 (synthetic)", "province", "regulation", "zh", "control",
     "2020", _text(1)),
    ("p1", "甲市人工智能行动计划", "甲市人民政府", "city", "plan", "zh", "ai", "2019", _text(3)),  # no stratum
]  # fmt: skip
CENTRAL = [
    ("n1", "测试算法规定", CAC, "central", "provisions", "zh", "ai", "2021", _text(6)),
    ("n2", "测试合成规定", CAC, "central", "provisions", "zh", "ai", "2022", _text(4)),
    ("s1", "测试条例", "国务院 (State Council)", "central", "regulation", "zh", "control", "2023", SYNTH_REG),
    ("s2", "测试若干规定", "国务院 (State Council)", "central", "provisions", "zh", "control", "2019", _text(1)),
]  # fmt: skip


def test_issuer_rank_from_level_and_issuer():
    assert select.issuer_rank("central", "国务院 (State Council)") == "state_council"
    assert select.issuer_rank("central", "国务院新闻办公室 (SCIO)") == "department"
    assert select.issuer_rank("central", "国家互联网信息办公室、工业和信息化部 (CAC, MIIT)") == "department"
    assert select.issuer_rank("central", "全国人民代表大会常务委员会 (NPCSC)") == "legislature"
    assert select.issuer_rank("city", CONGRESS) == "local_congress"
    assert select.issuer_rank("province", "乙省人民政府办公厅") == "local_government"
    assert select.issuer_rank("federal", "The White House") == "other"
    assert select.issuer_name("国务院（State Council）") == "国务院"


def test_strata_file_loads_and_names_rank_and_genre():
    strata = baseline.load_strata()
    assert set(strata["kind"]) == {"stratum", "pair"}
    pairs = strata[strata["kind"] == "pair"]
    assert set(pairs["parent"]) <= set(strata.loc[strata["kind"] == "stratum", "stratum"])
    assert {"same_issuer", "title:促进条例"} <= set(strata["match"])
    assert (strata.loc[strata["kind"] == "stratum", "issuer_ranks"] != "").all()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,group,,l,local,regulation,,,r", "line 2, kind='group': is not one of stratum, pair"),
        ("x,pair,nowhere,l,,,,,r", "parent must be a stratum"),
        ("x,stratum,,l,federal,regulation,,,r", "line 2, level_group='federal': is not one of central, local"),
        (
            "x,stratum,,l,local,regulation,emperor,,r",
            "line 2, issuer_ranks='emperor': 'emperor' is not one of legislature",
        ),
        ("x,stratum,,l,local,regulation,,title:(,r", r"line 2, match='title:\(': is not a regular expression"),
        ("x,stratum,,l,,regulation,,,r", "line 2, .*: a stratum has a level_group"),
    ],
)
def test_bad_strata_file_names_file_and_line(tmp_path, row, message):
    p = tmp_path / "strata.csv"
    p.write_text(",".join(baseline.STRATA_COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(baseline.BaselineError, match=message) as err:
        baseline.load_strata(p)
    assert str(p) in str(err.value)


def test_membership_strata_and_pairs():
    members = baseline.membership(_frame(LOCAL + CENTRAL))
    by = members.groupby("comparison")["doc_id"].apply(list).to_dict()
    assert by["local_congress_regulations"] == ["a1", "c1", "c2"]  # the plan is in no stratum
    assert by["local_same_issuer"] == ["a1", "c1"]
    assert by["local_promotion"] == ["a1", "c2"]
    assert by["central_rules"] == ["n1", "n2", "s1", "s2"]
    assert by["central_departmental"] == ["n1", "n2"]  # no departmental control


def test_the_cac_controls_and_deep_synthesis_fall_in_the_fair_central_comparison():
    """The CAC's rules on non-AI technologies (controls) and its deep synthesis provisions (AI) are departmental rules
    of one regulator: the fair central pair, once their texts are present."""
    from analysis.corpus import load_manifest

    manifest = load_manifest()
    cac = manifest[manifest["issuer"].str.startswith("国家互联网信息办公室") & (manifest["date"] >= "2019")]
    members = baseline.membership(pd.concat([cac.assign(text=""), _frame(CENTRAL)], ignore_index=True))
    fair = members[members["comparison"] == "central_departmental"]
    controls = set(cac.loc[cac["topic"] == "control", "doc_id"])
    assert set(fair.loc[fair["topic"] == "control", "doc_id"]) == controls and len(controls) == 8
    assert "deep_synthesis_provisions_2022" in set(fair.loc[fair["topic"] == "ai", "doc_id"])


def test_document_measures_counts_and_clopper_pearson_shares():
    docs = baseline.document_measures(_frame(LOCAL), "all")
    assert docs["doc_id"].tolist() == ["a1", "c2", "c1"]  # AI first, then by date
    a1 = docs.set_index("doc_id").loc["a1"]
    assert a1["count"] == 7 and a1["issuer_rank"] == "local_congress"
    assert a1["units_with"] == 4 and a1["units"] == 5  # the preamble and four articles; article 4 holds the extra
    assert (docs["share_lo"] <= docs["share_units"]).all() and (docs["share_units"] <= docs["share_hi"]).all()
    assert (docs["share_hi"] > 0).all()


def test_document_measures_remove_names_and_empty_corpus():
    corpus = _frame([LOCAL[1]])
    counts = {m: int(baseline.document_measures(corpus, m)["count"].iloc[0]) for m in baseline.MEASURES}
    assert counts["all"] == 4 and counts["without_names"] == 2
    assert counts["security_without_names"] <= counts["without_names"]
    empty = baseline.document_measures(_frame([]))
    assert empty.empty and list(empty.columns) == list(baseline.DOC_COLUMNS)
    assert baseline.comparison_table(empty, baseline.membership(_frame([]))).empty


def test_comparison_table_applies_the_verdict_rule():
    corpus = _frame(LOCAL + CENTRAL)
    docs = baseline.document_measures(corpus, "all")
    table = baseline.comparison_table(docs, baseline.membership(corpus)).set_index("comparison")
    assert "central_departmental" not in table.index  # no control: no comparison
    local = table.loc["local_congress_regulations"]
    assert (local["ai_docs"], local["control_docs"], local["ai_count"], local["control_count"]) == (1, 2, 7, 9)
    assert local["verdict"] == inference.CANNOT_TELL and "only 1 AI document" in local["reason"]
    central = table.loc["central_rules"]
    assert central["perm_assignments"] == 6 and central["ratio"] == pytest.approx(
        ((10 + 8) / (docs.set_index("doc_id").loc[["n1", "n2"], "chars"].sum()))
        / ((4 + 5) / (docs.set_index("doc_id").loc[["s1", "s2"], "chars"].sum()))
    )
    assert table.loc["local_same_issuer", "qp_note"].startswith("one document per side")


def test_coverage_lists_missing_sides_and_texts():
    cov = _frame(LOCAL + CENTRAL).assign(status=["available"] * 7 + ["missing"])
    table = baseline.stratum_coverage(cov).set_index(["comparison", "topic"])
    assert table.loc[("central_departmental", "control"), "in_manifest"] == 0
    assert table.loc[("central_rules", "control"), "missing"] == "s2"
    lines = baseline_reading.missing_sentences(table.reset_index(), baseline.load_strata(), {"s2": "Synthetic S2"})
    assert any("lists no control text" in s for s in lines) and any("Synthetic S2" in s for s in lines)
    assert lines[-1] == baseline_reading.ADD_TEXT


def _tables(corpus: pd.DataFrame) -> tuple[dict, dict, dict, pd.DataFrame]:
    members = baseline.membership(corpus)
    docs = {m: baseline.document_measures(corpus, m) for m in baseline.MEASURES}
    tables = {m: baseline.comparison_table(d, members) for m, d in docs.items()}
    loos = {m: baseline.leave_one_out_table(d, members) for m, d in docs.items()}
    return docs, tables, loos, members


def test_reading_says_every_measure_and_the_rank_gap():
    corpus = _frame(LOCAL + CENTRAL)
    docs, tables, loos, members = _tables(corpus)
    strata = baseline.load_strata()
    text = baseline_reading.comparison_paragraph(
        "central_rules",
        strata.set_index("stratum").at["central_rules", "label"],
        tables,
        loos,
        docs["all"],
        members,
        {},
    )
    assert text.startswith("**Central binding rules** (2 AI texts, all departmental rules; 2 control texts, all State")
    assert all(label.capitalize() in text for label in baseline.MEASURES.values())
    assert "differ in issuer rank" in text and "Leaving one document out" in text and "6 ways" in text
    assert (
        baseline_reading.comparison_paragraph("central_departmental", "x", tables, loos, docs["all"], members, {}) == ""
    )
    rows = baseline_reading.comparison_rows(tables, strata)
    assert rows.index.names == ["comparison", "measure"] and set(rows["verdict"]) <= set(inference.VERDICTS)
    assert len(baseline_reading.figure_rows(tables, strata)) == len(rows)


def test_reversals_name_occurrence_level_verdicts_and_opposite_directions():
    strata = baseline.load_strata()
    row = {
        "comparison": "local_congress_regulations", "ratio": 0.25, "occ_lo": 0.08, "occ_hi": 0.61,
        "qp_z_lo": 0.05, "qp_z_hi": 1.5, "verdict": "cannot tell", "reason": "only 1 AI document", "ai_docs": 1,
        "control_docs": 4,
    }  # fmt: skip
    central = {**row, "comparison": "central_rules", "ratio": 2.4, "occ_lo": 0.8, "occ_hi": 8.0, "ai_docs": 4,
               "control_docs": 2, "qp_z_lo": 1.1, "qp_z_hi": 7.0, "reason": "the document-level interval includes 1"}  # fmt: skip
    tables = {"all": pd.DataFrame([{**row, "ratio": 1.2, "occ_lo": 0.5, "occ_hi": 2.0}]),
              baseline_reading.STRICTEST: pd.DataFrame([row, central])}  # fmt: skip
    turns = baseline_reading.reversals(tables, strata)
    assert any("direction reverses between measures" in t for t in turns)
    assert any("would read **AI lower**" in t for t in turns)
    assert any("a normal interval" in t and "would read AI higher" in t for t in turns)
    assert any("opposite directions" in t for t in turns)
    assert baseline_reading.reversals({"all": pd.DataFrame([{**row, "occ_hi": 1.5}])}, strata) == []


def test_figures_show_n(plotting):
    from analysis.present.plotting.argument import baseline_figure, objects_figure, ratio_figure

    corpus = _frame(LOCAL + CENTRAL)
    docs, tables, _, _ = _tables(corpus)
    fig = baseline_figure(docs["all"], list(baseline.load_strata()["stratum"]), "synthetic", {})
    texts = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()] + [
        ax.get_title(loc="left") for ax in fig.axes
    ]
    texts = [t.replace("\u00a0", " ") for t in texts]
    assert any("n = 7" in t for t in texts) and any("2 AI, 2 control" in t for t in texts)
    rows = baseline_reading.figure_rows(tables, baseline.load_strata())
    rows.loc[0, ["qp_lo", "qp_hi"]] = [math.nan, math.nan]
    rows.loc[1, ["qp_lo", "qp_hi"]] = [1e-6, math.inf]
    fig = ratio_figure(rows)
    assert all("n = " in t.get_text().replace("\u00a0", " ") for t in fig.axes[0].get_yticklabels())
    summary = pd.DataFrame(
        {
            "doc_id": ["x", "y"],
            "topic": ["ai", "control"],
            "passages": [5, 2],
            "object_goal": [3, 1],
            "object_other": [2, 1],
        }
    )
    fig = objects_figure(summary, ["goal", "other"], {"y": "Synthetic Y"})
    assert [t.get_text().replace("\u00a0", " ") for t in fig.axes[0].get_yticklabels()] == ["x [ai] (n = 5)"]
    assert any("Synthetic Y (n = 2)" in t.get_text() for t in fig.texts)


@pytest.mark.parametrize(("drawn", "small"), [(1, 0), (2, 1), (12, 40), (60, 60), (0, 30)])
def test_the_objects_figure_lays_out_any_number_of_texts(plotting, drawn, small):
    """A corpus with many texts of few sentences (the synthetic states of CI) once pushed the note under the figure
    past its top: matplotlib warned, and MyST-NB failed the build on the warning in the cell's stderr."""
    import warnings

    from analysis.present.plotting.argument import objects_figure

    ids = [f"d{i}" for i in range(drawn + small)]
    summary = pd.DataFrame(
        {
            "doc_id": ids,
            "topic": ["ai", "control"] * ((drawn + small) // 2) + ["ai"] * ((drawn + small) % 2),
            "passages": [5] * drawn + [1] * small,
            "object_goal": [3] * drawn + [1] * small,
            "object_other": [2] * drawn + [0] * small,
        }
    )
    labels = {d: f"A synthetic document with a long English title, number {d}" for d in ids}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        objects_figure(summary, ["goal", "other"], labels)
