"""The committed corpus manifest (data/corpus/manifest.csv) and the manifest checks."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import COLUMNS, ManifestError, load_manifest
from analysis.corpus.manifest import GENRES, LANGUAGES, LEVELS, MANIFEST_COLUMNS, MANIFEST_PATH, OPTIONAL_COLUMNS, urls
from analysis.io.paths import PROJECT_ROOT, mirror_dir

FIXTURE_MANIFEST = Path(__file__).parents[2] / "fixtures" / "corpus" / "manifest.csv"


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return load_manifest()


def test_manifest_shape_and_columns(manifest: pd.DataFrame) -> None:
    assert list(manifest.columns) == list(COLUMNS)
    assert len(manifest) == 93
    assert manifest["doc_id"].is_unique
    assert str(manifest["year"].dtype) == "Int64"


def test_manifest_vocabularies(manifest: pd.DataFrame) -> None:
    assert set(manifest["level"]) == set(LEVELS)
    assert set(manifest["language"]) == set(LANGUAGES)
    assert set(manifest["genre"]) <= set(GENRES)
    assert (manifest.loc[manifest["level"] == "federal", "language"] == "en").all()
    chinese = (manifest["level"] != "federal") & (manifest["genre"] != "translation")
    assert (manifest.loc[chinese, "language"] == "zh").all()
    assert manifest.loc[manifest["genre"] == "translation", "doc_id"].tolist() == ["ngaidp_2017_en"]
    assert (manifest.loc[manifest["language"] == "zh", "title_zh"] != "").all()
    assert (manifest["title_en"] != "").all()


def test_key_documents_are_listed(manifest: pd.DataFrame) -> None:
    ids = set(manifest["doc_id"])
    for doc_id in (
        "ngaidp_2017",
        "internet_plus_ai_2016",
        "military_strategy_2015",
        "xi_2016_tech_power_speech",
        "guangdong_2018_ai_plan",
        "shanghai_2017_ai_opinions",
    ):
        assert doc_id in ids
    counts = manifest["level"].value_counts().to_dict()
    assert counts == {"central": 39, "province": 18, "federal": 14, "city": 13, "municipality": 9}


def test_dates_are_sortable_and_years_follow(manifest: pd.DataFrame) -> None:
    dated = manifest[manifest["date"] != ""]
    assert dated["date"].str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    assert (dated["year"].astype(int) == dated["date"].str.slice(0, 4).astype(int)).all()
    assert manifest.loc[manifest["date"] == "", "year"].isna().all()
    # the sortable date is the leading part of the text as given
    assert all(
        issued.startswith(date) or issued.startswith(date[:4])
        for date, issued in zip(dated["date"], dated["date_issued"], strict=False)
    )
    row = manifest.set_index("doc_id").loc["ngaidp_2017"]
    assert (row["date"], row["year"]) == ("2017-07-08", 2017)
    assert manifest.set_index("doc_id").loc["hefei_ai_opinions", "date"] == "2018"  # "2018-2019 (not verified …)"


def test_document_numbers_parsed_from_titles(manifest: pd.DataFrame) -> None:
    m = manifest.set_index("doc_id")
    assert m.loc["ngaidp_2017", "doc_number"] == "国发〔2017〕35号"
    assert m.loc["internet_plus_ai_2016", "doc_number"] == "发改高技〔2016〕1078号"
    assert m.loc["us_eo14110_2023", "doc_number"] == "Executive Order 14110"
    # a title that carries its number (…〔2017〕35号) agrees with doc_number; other numbers come from the
    # sources recorded in data/corpus/routes.csv (doc numbers shown by reprints and citations)
    for title, number in zip(manifest["title_zh"], manifest["doc_number"], strict=False):
        carried = re.search(r"〔\d{4}〕\d+号", title)
        if carried:
            assert any(part.endswith(carried.group(0)) and part in title for part in number.split("; "))


def test_caveats_are_kept(manifest: pd.DataFrame) -> None:
    m = manifest.set_index("doc_id")
    assert (
        "not verified" in m.loc["jiangsu_2018_ai_opinions", "date_issued"] or m.loc["jiangsu_2018_ai_opinions", "notes"]
    )
    assert (manifest["notes"] != "").sum() >= 60
    assert (manifest.loc[manifest["expected_sha256"] != "", "copy_source"] != "").all()


def test_urls_are_well_formed(manifest: pd.DataFrame) -> None:
    for value in manifest["official_url"]:
        for url in urls(value):
            assert re.match(r"^https?://[^\s]+$", url)


def test_expected_hashes_only_for_checked_texts(manifest: pd.DataFrame) -> None:
    verified = manifest[manifest["expected_sha256"] != ""]
    assert len(verified) == 24
    assert verified["expected_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (verified["level"] == "central").sum() == 16 and (verified["level"] == "federal").sum() == 3


def test_same_documents_as_the_mirror_manifest(manifest: pd.DataFrame) -> None:
    mirror = mirror_dir() or (PROJECT_ROOT.parent / "shared" / "corpus").resolve()
    path = mirror / "manifest.csv"
    if not path.is_file():
        pytest.skip("not reproducible here: no corpus mirror (set CORPUS_MIRROR)")
    theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
    # the mirror lists the manifest's documents in its order, except rows added after it was made: documents no
    # mirror holds (ngaidp_2017_en, a translation; the CAC's controls and deep synthesis rules), with no verified hash
    assert theirs["doc_id"].tolist() == [d for d in manifest["doc_id"] if d in set(theirs["doc_id"])]
    added = manifest[~manifest["doc_id"].isin(theirs["doc_id"])]
    assert "ngaidp_2017_en" in set(added["doc_id"]) and (added["expected_sha256"] == "").all()
    with_file = set(theirs.loc[theirs["file"] != "", "doc_id"])
    assert with_file == set(manifest.loc[manifest["expected_sha256"] != "", "doc_id"])


def test_no_primary_text_in_the_manifest(tmp_path: Path) -> None:
    # The manifest holds metadata only: no 150-character stretch of an available text (longer than any
    # title, which may legitimately appear in both the manifest and another text) occurs in it.
    from analysis.corpus import load_corpus

    mirror = mirror_dir() or (PROJECT_ROOT.parent / "shared" / "corpus").resolve()
    corpus = load_corpus(mirror, cache_dir=tmp_path)
    if corpus.empty:
        pytest.skip("not reproducible here: no corpus text available")
    committed = " ".join(MANIFEST_PATH.read_text(encoding="utf-8").split())
    df = pd.read_csv(MANIFEST_PATH, dtype=str, keep_default_na=False)
    assert list(df.columns) == [*MANIFEST_COLUMNS, *OPTIONAL_COLUMNS]
    assert max(df["title_zh"].str.len().max(), df["title_en"].str.len().max()) < 150
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=False):
        flat = " ".join(text.split())
        for start in range(0, max(1, len(flat) - 150), 50):
            assert flat[start : start + 150] not in committed, doc_id


# --------------------------------------------------------------------------- bad manifests


def _write(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    df = pd.read_csv(FIXTURE_MANIFEST, dtype=str, keep_default_na=False)
    df = edit(df)
    path = tmp_path / "manifest.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda df: df.assign(level=["central", "county", "city", "city", "federal"]),
            ["line 3", "level='county'", "central, province"],
        ),
        (
            lambda df: df.assign(date=["2030-13-01", "2030-02", "2030", "2030-03-04", "2030-05-06"]),
            ["line 2", "YYYY-MM-DD"],
        ),
        (lambda df: df.assign(language=["zh", "fr", "zh", "zh", "en"]), ["line 3", "language='fr'"]),
        (lambda df: df.assign(genre=["plan", "poem", "plan", "notice", "executive order"]), ["genre='poem'"]),
        (lambda df: df.assign(expected_sha256=["xyz", "", "", "", ""]), ["expected_sha256='xyz'", "64 lower-case hex"]),
        (lambda df: df.assign(official_url=["ftp://x", "", "", "", ""]), ["official_url='ftp://x'"]),
        (
            lambda df: df.assign(doc_id=["a", "a", "b", "c", "d"]),
            ["line 3, doc_id='a': appears more than once (lines 2, 3"],
        ),
        (lambda df: df.assign(doc_id=["Bad Id", "b", "c", "d", "e"]), ["doc_id='Bad Id'"]),
        (lambda df: df.drop(columns=["genre"]), ["missing column(s) genre"]),
    ],
)
def test_bad_manifest_is_refused_with_the_line_and_fix(tmp_path: Path, edit, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, edit)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for word in words:
        assert word in message


def test_missing_manifest_file(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="manifest not found"):
        load_manifest(tmp_path / "nope.csv")


def test_manifest_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(FIXTURE_MANIFEST.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(ManifestError, match="UTF-8"):
        load_manifest(path)


def test_manifest_summary_counts_every_level_and_the_total():
    from analysis.corpus.manifest import manifest_summary

    manifest = load_manifest()
    summary = manifest_summary(manifest)
    assert summary.loc["total", "documents"] == len(manifest)
    assert summary.drop(index="total")["documents"].sum() == len(manifest)
    assert summary.loc["US federal", "language"] == "en"
    assert summary.loc["total", "with_verified_hash"] == (manifest["expected_sha256"] != "").sum()
