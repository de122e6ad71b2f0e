"""The codebook (analysis.sections.move.coding) and the blind validation sample (analysis.sections.move.sample), on synthetic fixtures.

The last tests read the committed sample against the texts it was drawn from; they skip where those texts are not
available (no texts, or a synthetic data state whose texts differ from the mirror's).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.sections.move import coding, speech_acts
from analysis.sections.move import sample as coding_sample
from analysis.sections.move.coding import CodebookError, load_codebook
from analysis.sections.move.sample import SampleError

DIM_HEAD = ["dimension", "hand_column", "answers", "rule_column", "question", "instruction"]
CODE_HEAD = list(coding.CODEBOOK_SCHEMA.names)


def _write(path: Path, head: list[str], rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(head)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _code(dim: str, code: str, prec: int, rule: str = "", examples: str = "doc_a: 安全评估") -> list[str]:
    return [dim, code, str(prec), rule, code, "definition", "include", "exclude", "decision", examples, ""]


def _good_rows() -> list[list[str]]:
    rows = [
        _code("function", "request", 1, "request"),
        _code("function", "warn", 2, "warn"),
        _code("function", "claim", 3, "claim"),
        _code("function", "none", 4, "unmarked"),
    ]
    rows += [_code("object", o, i + 1, o) for i, o in enumerate(speech_acts.OBJECTS)]
    rows += [_code("strand", "control", 1), _code("strand", "none", 2)]
    return rows


def _good_dims() -> list[list[str]]:
    return [
        ["function", "acts_hand", "all", "function", "q", "i"],
        ["object", "object_hand", "one", "object", "q", "i"],
        ["strand", "strand_hand", "one", "", "q", "i"],
    ]


@pytest.fixture
def book(tmp_path: Path):
    """Write a synthetic codebook (rows may be replaced) and load it without the manifest check."""

    def make(rows: list[list[str]] | None = None, dims: list[list[str]] | None = None) -> coding.Codebook:
        d = _write(tmp_path / "dims.csv", DIM_HEAD, _good_dims() if dims is None else dims)
        c = _write(tmp_path / "codebook.csv", CODE_HEAD, _good_rows() if rows is None else rows)
        return load_codebook(c, d, check_docs=False)

    return make


# --- the codebook -------------------------------------------------------------------------------------------


def test_the_committed_codebook_is_valid_and_maps_every_rule_code():
    book = load_codebook()
    assert book.names == ["function", "object", "strand", "threat_direction"]
    assert book.hand_columns() == ["acts_hand", "object_hand", "strand_hand", "threat_direction_hand"]
    assert set(book.rule_map("function").values()) == set(coding.RULE_CODES["function"])
    assert set(book.rule_map("object").values()) == set(coding.RULE_CODES["object"])
    assert book.rule_map("strand") == {} and book.rule_map("threat_direction") == {}
    assert {"control", "routine_practice", "agenda", "deterrence"} <= set(book.codes_of("strand"))
    assert {"ai_threat", "ai_instrument", "ai_lagging"} <= set(book.codes_of("threat_direction"))
    items = coding.example_items(book)
    assert (items["snippet"].str.len() <= coding.MAX_EXAMPLE_CHARS).all()
    assert "## strand" in coding.codebook_markdown(book)


def test_a_good_synthetic_codebook_loads_in_precedence_order(book):
    b = book()
    assert b.codes_of("function") == ["request", "warn", "claim", "none"]
    assert b.rule_map("function")["none"] == "unmarked"


@pytest.mark.parametrize(
    ("line", "column", "value", "expected"),
    [
        (3, 3, "threat", "line 3, rule_code='threat': must be one of the rules' function codes"),
        (5, 2, "x", "line 5, precedence='x': does not have the form"),
        (4, 9, "doc_a: 这是一个远远超过十二个字符的长引文片段", "cites a snippet of 19 characters; cite 1 to 12"),
        (2, 9, "just a snippet", "line 2, examples='just a snippet': 'just a snippet' is not of the form"),
        (13, 0, "stance", "line 13, dimension='stance': not a dimension"),
        (13, 3, "goal", "line 13, rule_code='goal': the rules do not code strand"),
        (2, 9, "", "line 2, code='request', examples='', non_examples='': give at least one example"),
    ],
)
def test_codebook_errors_name_the_file_and_the_line(book, tmp_path, line, column, value, expected):
    rows = _good_rows()
    rows[line - 2][column] = value
    with pytest.raises(CodebookError) as err:
        book(rows)
    assert str(tmp_path / "codebook.csv") in str(err.value)
    assert expected in str(err.value)


def test_codebook_errors_for_repeated_codes_missing_rule_codes_and_none(book):
    rows = _good_rows()
    rows[1][1] = "request"  # line 3 repeats line 2's code
    with pytest.raises(CodebookError, match=r"line 3, dimension='function', code='request': appears more than once"):
        book(rows)
    rows = [r for r in _good_rows() if r[1] != "threat"]
    with pytest.raises(CodebookError, match="no code maps onto the rules' threat"):
        book(rows)
    rows = [r for r in _good_rows() if not (r[0] == "function" and r[1] == "none")]
    with pytest.raises(CodebookError, match="needs the code 'none'"):
        book(rows)


def test_dimension_file_errors_name_the_line(book, tmp_path):
    dims = _good_dims()
    dims[1][2] = "several"
    with pytest.raises(CodebookError, match=r"dims\.csv: line 3, answers='several': is not one of one, all"):
        book(dims=dims)
    dims = _good_dims()
    dims[2][3] = "function"
    with pytest.raises(CodebookError, match="line 4, rule_column='function', dimension='strand': the rules code this"):
        book(dims=dims)


def test_examples_must_name_manifest_documents(tmp_path):
    d = _write(tmp_path / "dims.csv", DIM_HEAD, _good_dims())
    c = _write(tmp_path / "codebook.csv", CODE_HEAD, _good_rows())
    with pytest.raises(CodebookError, match="'doc_a' is not a doc_id of the manifest"):
        load_codebook(c, d)


def test_answers_are_parsed_by_precedence_and_refused_with_reasons(book):
    b = book()
    assert b.parse("function", "warn+request") == ["request", "warn"]
    assert b.primary("function", "claim+warn") == "warn"
    assert b.primary("function", "none") == "none"
    for answer, reason in [
        ("none+warn", "joins none"),
        ("shout", "'shout' is not one of"),
        ("warn+warn", "twice"),
        ("", "empty"),
    ]:
        with pytest.raises(ValueError, match=reason):
            b.parse("function", answer)
    with pytest.raises(ValueError, match="takes one code"):
        b.parse("strand", "control+none")
    codes = pd.DataFrame({"acts_hand": ["request", "none+warn"], "strand_hand": ["bogus", "none"]})
    assert coding.answer_problems(b, codes) == [
        "line 2, strand_hand='bogus': 'bogus' is not one of control, none",
        "line 3, acts_hand='none+warn': joins none with another code",
    ]


def test_example_problems_find_snippets_missing_from_their_text(book):
    b = book()
    assert coding.example_problems(b, {"doc_a": "应当开展安全评估。"}) == []
    problems = coding.example_problems(b, {"doc_a": "没有这个词。"})
    assert problems and all("does not occur in doc_a" in p for p in problems)
    assert coding.example_problems(b, {}) == []  # documents not available are skipped


# --- the sampler --------------------------------------------------------------------------------------------

SENTENCES = [
    "提供者应当开展安全评估。",  # request, compliance
    "防范安全风险。",  # request + warn, threat
    "安全风险日益突出。",  # claim + warn -> warn, threat
    "维护国家安全。",  # request, goal
    "系统应当安全可控。",  # request, system_property
    "\n第八章数据安全\n",  # unmarked, other
    "依照《网络安全法》处理。",  # name_citation
]


def _corpus(ai_copies: int = 3, control_copies: int = 6) -> pd.DataFrame:
    rows = []
    for group, copies in (("ai", ai_copies), ("control", control_copies)):
        for k in range(2):
            text = "".join(SENTENCES * copies) if k == 0 else "".join(reversed(SENTENCES * copies))
            rows.append({"doc_id": f"{group}_{k}", "topic": group, "text": text})
    rows.append({"doc_id": "law", "topic": "reference", "text": "".join(SENTENCES)})
    return pd.DataFrame(rows)


def test_allocate_known_values_and_minimum():
    # base: a 3, b 2 (all it has), c 3 = 8; 4 left, shared by room a 7, c 27: a 0.82 -> 1 by remainder, c 3.18 -> 3
    assert coding_sample.allocate({"a": 10, "b": 2, "c": 30}, 12, 3) == {"a": 4, "b": 2, "c": 6}
    assert coding_sample.allocate({"a": 10, "b": 2}, 50, 3) == {"a": 10, "b": 2}  # never more than a stratum holds
    assert sum(coding_sample.allocate({"a": 7, "b": 9, "c": 13}, 20, 2).values()) == 20
    with pytest.raises(SampleError, match="cannot give each of 3 strata its minimum of 3"):
        coding_sample.allocate({"a": 10, "b": 10, "c": 10}, 8, 3)


def test_group_quotas_oversample_ai_and_pass_shortfalls_on():
    assert coding_sample.group_quotas({"ai": 100, "control": 200}, 80, 0.6) == {"ai": 48, "control": 32}
    assert coding_sample.group_quotas({"ai": 10, "control": 200}, 80, 0.6) == {"ai": 10, "control": 70}
    assert coding_sample.group_quotas({"ai": 100, "control": 5}, 80, 0.6) == {"ai": 75, "control": 5}


def test_strata_are_the_rarest_rule_code():
    coded = pd.DataFrame(
        {
            "function": ["request", "request", "warn", "request"],
            "object": ["goal", "compliance", "threat", "goal"],
            "claim": [False, False, True, False],
            "warn": [False, True, True, False],
        }
    )
    strata = coding_sample.assign_strata(coded, pd.Series(["ai", "ai", "control", "ai"]))
    assert list(strata) == ["ai|object:goal", "ai|object:compliance", "control|flag:claim", "ai|object:goal"]


def test_the_sampler_is_deterministic_stratified_and_weighted():
    corpus = _corpus()
    a = coding_sample.draw_sample(corpus, n=36, seed=7, minimum=2)
    b = coding_sample.draw_sample(corpus, n=36, seed=7, minimum=2)
    assert coding_sample.sample_csv(a) == coding_sample.sample_csv(b)
    assert coding_sample.design_csv(a, 7) == coding_sample.design_csv(b, 7)
    other = coding_sample.draw_sample(corpus, n=36, seed=8, minimum=2)
    assert set(other.sample["passage_id"]) != set(a.sample["passage_id"])

    s, pop = a.sample, a.population
    assert len(s) == 36 and not s["passage_id"].duplicated().any()
    assert set(pop["group"]) == {"ai", "control"}  # the reference law is outside the frame
    assert coding_sample.missing_categories(a) == []
    assert (s.groupby("group").size() == pd.Series({"ai": 22, "control": 14})).all()
    share = s.groupby("group").size() / pop.groupby("group").size()
    assert share["ai"] > share["control"]  # AI texts oversampled
    sizes = pop.groupby("stratum").size()
    drawn = s.groupby("stratum").size()
    assert set(drawn.index) == set(sizes.index)  # every stratum is sampled
    assert (drawn >= sizes.clip(upper=2)).all()
    weights = s.groupby("stratum")["weight"].sum()
    assert weights.round(9).equals(sizes.astype(float).reindex(weights.index))  # weights add up to the strata
    assert s["passage_id"].is_monotonic_increasing


def test_the_sample_file_holds_no_rule_output(tmp_path):
    drawn = coding_sample.draw_sample(_corpus(), n=36, seed=7, minimum=2)
    sample, design = tmp_path / "sample.csv", tmp_path / "design.csv"
    coding_sample.write_sample(drawn, sample, design, seed=7)
    header = sample.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(coding_sample.SAMPLE_COLUMNS)
    assert not set(header) & {"function", "object", "objects", "claim", "warn", "request", "stratum", "weight"}
    assert not set(drawn.sample["stratum"]) & set(sample.read_text(encoding="utf-8").split(","))
    read = coding_sample.read_design(design)
    assert set(coding_sample.decode_strata(read["stratum"], 7).values()) == set(drawn.sample["stratum"])
    pd.testing.assert_frame_equal(
        coding_sample.read_sample(sample), drawn.sample.loc[:, list(coding_sample.SAMPLE_COLUMNS)], check_dtype=False
    )
    with pytest.raises(SampleError, match="exists; a sample is drawn once"):
        coding_sample.write_sample(drawn, sample, design, seed=7)


def test_a_sample_missing_a_rule_category_is_not_written(tmp_path):
    drawn = coding_sample.draw_sample(_corpus(), n=36, seed=7, minimum=2)
    claims = set(drawn.population.loc[drawn.population["claim"], "passage_id"])
    thin = coding_sample.Drawn(drawn.sample[~drawn.sample["passage_id"].isin(claims)], drawn.population)
    with pytest.raises(SampleError, match="misses the rule categories"):
        coding_sample.write_sample(thin, tmp_path / "s.csv", tmp_path / "d.csv")
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "d.csv").exists()


def test_sample_and_design_errors_name_the_line(tmp_path):
    bad = tmp_path / "sample.csv"
    bad.write_text("passage_id,doc_id,start,end,keywords,passage_sha256\npabcdef01,d,9,3,安全,0123456789abcdef\n")
    with pytest.raises(SampleError, match=r"sample\.csv: line 2, start='9', end='3': start must be before end"):
        coding_sample.read_sample(bad)
    leaky = tmp_path / "leaky.csv"
    leaky.write_text(
        "passage_id,doc_id,start,end,keywords,passage_sha256,function\npabcdef01,d,0,3,安全,0123456789abcdef,warn\n"
    )
    with pytest.raises(
        SampleError, match=r"leaky\.csv, line 1: unknown column\(s\) function; the sample holds no rule"
    ):
        coding_sample.read_sample(leaky)
    design = tmp_path / "design.csv"
    design.write_text("passage_id,stratum,stratum_passages,stratum_sampled,weight\npabcdef01,s123abc,9,3,2.5\n")
    with pytest.raises(
        SampleError, match="line 2, .*weight='2.5': weight must be stratum_passages / stratum_sampled = 3.000000"
    ):
        coding_sample.read_design(design)


def test_the_coder_sheet_shows_passages_with_context_and_refuses_changed_texts(monkeypatch, tmp_path):
    corpus = _corpus()
    drawn = coding_sample.draw_sample(corpus, n=36, seed=7, minimum=2)
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=False))
    sample = drawn.sample.loc[:, list(coding_sample.SAMPLE_COLUMNS)]
    passages = coding_sample.sample_passages(sample, texts, context=5)
    sheet = coding_sample.format_passages(passages, {"ai_0": "Synthetic AI text"})
    assert sheet.count("PASSAGE:") == 36 and "【安全】" in sheet and "(Synthetic AI text)" in sheet
    assert all(p.passage_id in sheet for p in passages)
    # the sheet does not depend on the rules: other function rules give the same sheet
    rules = tmp_path / "functions.csv"
    rules.write_text("function,pattern,gloss_en,rationale\nclaim,安全,x,y\n", encoding="utf-8")
    monkeypatch.setattr(speech_acts, "FUNCTIONS_PATH", rules)
    assert (
        coding_sample.format_passages(
            coding_sample.sample_passages(sample, texts, context=5), {"ai_0": "Synthetic AI text"}
        )
        == sheet
    )
    changed = dict(texts, ai_0="改" + texts["ai_0"])
    with pytest.raises(SampleError, match="changed since the sample was drawn"):
        coding_sample.sample_passages(sample, changed)
    with pytest.raises(SampleError, match="is not available"):
        coding_sample.sample_passages(sample, {})


def test_codes_template_and_problems(tmp_path):
    sample = pd.DataFrame({"passage_id": ["pa", "pb", "pc"]})
    template = coding_sample.codes_template(sample, ["acts_hand", "object_hand"])
    assert template.splitlines() == ["passage_id,acts_hand,object_hand,note", "pa,,,", "pb,,,", "pc,,,"]
    codes = pd.DataFrame({"passage_id": ["pa", "pa", "px"]})
    assert coding_sample.codes_problems(codes, sample) == [
        "line 4, passage_id='px': not a passage of the sample",
        "2 sampled passage(s) not coded: pb, pc",
    ]
    twice = tmp_path / "codes.csv"  # a passage coded twice: the codes file's schema refuses it
    twice.write_text("passage_id,acts_hand,note\npabcdef01,claim,\npabcdef01,warn,\n", encoding="utf-8")
    with pytest.raises(SampleError, match=r"line 3, passage_id='pabcdef01': appears more than once \(lines 2, 3; code"):
        coding_sample.read_codes(twice, ["acts_hand"], SampleError)
    with pytest.raises(
        SampleError, match=r"missing column\(s\) object_hand; the header is passage_id, acts_hand, note"
    ):
        coding_sample.read_codes(twice, ["acts_hand", "object_hand"], SampleError)


def test_example_overlaps_find_examples_inside_sampled_passages():
    sample = pd.DataFrame({"passage_id": ["p1"], "doc_id": ["d"], "start": [0], "end": [6]})
    examples = pd.DataFrame(
        [("function", "request", "example", "d", "应当"), ("object", "goal", "example", "d", "维护")],
        columns=["dimension", "code", "kind", "doc_id", "snippet"],
    )
    found = coding_sample.example_overlaps(examples, sample, {"d": "提供者应当。维护安全。"})
    assert found == ["function/request example d: '应当' is inside sampled passage p1"]


def test_the_command_line_checks_codes_and_never_overwrites_them(tmp_path, capsys):
    drawn = coding_sample.draw_sample(_corpus(), n=36, seed=7, minimum=2)
    sample, design = tmp_path / "sample.csv", tmp_path / "design.csv"
    coding_sample.write_sample(drawn, sample, design, seed=7)
    codes = tmp_path / "codes.csv"
    assert main(["coding", "template", "--sample", str(sample), "--out", str(codes)]) == 0
    assert main(["coding", "template", "--sample", str(sample), "--out", str(codes)]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert main(["coding", "check-codes", str(codes), "--sample", str(sample)]) == 2
    assert "line 2, acts_hand='': is empty" in capsys.readouterr().err
    frame = pd.read_csv(codes, dtype=str, keep_default_na=False)
    frame = frame.assign(
        acts_hand="warn+request", object_hand="threat", strand_hand="control", threat_direction_hand="none"
    )
    frame.to_csv(codes, index=False)
    assert main(["coding", "check-codes", str(codes), "--sample", str(sample)]) == 0
    assert "36 passages coded" in capsys.readouterr().out
    assert main(["coding", "codebook"]) == 0
    assert "## threat_direction" in capsys.readouterr().out


# --- the committed sample against the texts it was drawn from -------------------------------------------------


@pytest.fixture(scope="module")
def drawn_from_texts():
    from analysis.corpus import load_corpus, select_topic

    sample = coding_sample.read_sample()
    corpus = select_topic(load_corpus(), coding_sample.GROUPS)
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=False))
    try:
        coding_sample.sample_passages(sample, texts)
    except SampleError as exc:
        pytest.skip(f"the texts the sample was drawn from are not available here ({str(exc)[:80]}…)")
    return sample, corpus, texts


@pytest.mark.corpus
def test_the_committed_sample_holds_passages_of_the_texts_with_its_design(drawn_from_texts):
    # properties that do not depend on the rules (which may change after the draw; `coding draw-sample --check`
    # compares the files with a fresh draw while they have not)
    sample, corpus, _texts = drawn_from_texts
    population = coding_sample.population(corpus)
    units = set(zip(population["doc_id"], population["start"], population["end"], strict=False))
    assert set(zip(sample["doc_id"], sample["start"], sample["end"], strict=False)) <= units
    assert len(sample) >= 60
    topic = dict(zip(corpus["doc_id"], corpus["topic"], strict=False))
    drawn = sample["doc_id"].map(topic).value_counts()
    total = population["group"].value_counts()
    assert drawn["ai"] / total["ai"] > drawn["control"] / total["control"]  # AI texts oversampled
    design = coding_sample.read_design()
    assert list(design["passage_id"]) == list(sample["passage_id"])
    assert abs(design["weight"].sum() - len(population)) < 1e-3  # the weights add up to the population


@pytest.mark.corpus
def test_codebook_examples_occur_in_their_texts_and_never_inside_the_sample(drawn_from_texts):
    from analysis.corpus import load_corpus

    sample, _corpus, _texts = drawn_from_texts
    every = load_corpus()
    texts = dict(zip(every["doc_id"], every["text"], strict=False))
    book = load_codebook()
    assert coding.example_problems(book, texts) == []
    assert coding_sample.example_overlaps(coding.example_items(book), sample, texts) == []
