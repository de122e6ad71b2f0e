"""Is a text the document? The acceptance checks of issue 21 (the title at the head, length floors and
``chars_expected``, opening fingerprints, garbled text layers, index and search pages, archive redirects)
and the reconstructed probes of its hostile test (F2).

The 24 texts of the shared mirror are the positive fixture: they are read from the mirror at test time
(:func:`corpus_files.real_mirror`) and never written into the repository. Every other text here is
SYNTHETIC, written in this file; loopback servers on 127.0.0.1 stand in for the official sites and the
Internet Archive.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import CorpusError, ManifestError, coverage, load_corpus, load_manifest
from analysis.corpus.accept import PARTIAL_RATIO, identifiers, length_floors, rejection, snapshot_redirect
from analysis.corpus.importing import import_file, opening_of_file
from analysis.corpus.manifest import GENRES
from analysis.corpus.opening import HEAD_CHARS, opening_fingerprint, opening_matches
from analysis.corpus.quality import (
    MAX_BARE_LINE_SHARE,
    MIN_FUNCTION_WORD_SHARE,
    MIN_HAN_WORD_SHARE,
    bare_line_share,
    function_word_share,
    han_word_share,
)
from analysis.io.paths import PROJECT_ROOT
from corpus_files import FAST, LoopbackServer, fetch_online, loopback_session, make_pdf, real_mirror, respond

NGAIDP_TITLE = "国务院关于印发新一代人工智能发展规划的通知"
NGAIDP_NUMBER = "国发〔2017〕35号"
#: A SYNTHETIC body (not any document's text): about 3,600 characters, above the floor of a plan (2,100).
BODY = "\n".join(f"第{i}条　本条为合成测试文字，用于检验接受检查，并非任何文件的原文内容。" for i in range(1, 101))
#: A SYNTHETIC English body (about 4,000 letters).
EN_BODY = "\n".join(
    f"Section {i}. This is a synthetic sentence for the tests of the corpus layer, and it is not the text of any order."
    for i in range(1, 41)
)


def manifest() -> pd.DataFrame:
    return load_manifest().set_index("doc_id", drop=False)


def unverified(doc_id: str, known: bool = False, **values: str) -> pd.Series:
    """The manifest row of ``doc_id`` without its expected hash (so the acceptance checks decide), then ``values``.

    Without ``known``, also without the length and opening of the real text (``chars_expected``, ``opening_sha256``):
    for the synthetic texts of these tests, which are no copies of it."""
    row = manifest().loc[doc_id].copy()
    row["expected_sha256"] = ""
    if not known:
        row[["chars_expected", "opening_sha256"]] = ""
    for key, value in values.items():
        row[key] = value
    return row


def ngaidp_text(body: str = BODY) -> str:
    return f"{NGAIDP_TITLE}\n{NGAIDP_NUMBER}\n{body}"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The real texts of the shared mirror, as the book reads them (normalised), one row per document."""
    mirror = real_mirror()
    texts = load_corpus(mirror, cache_dir=tmp_path_factory.mktemp("raw"))
    if len(texts) < 24:
        pytest.skip(f"the shared mirror holds {len(texts)} texts, fewer than the 24 this test describes")
    return texts.set_index("doc_id", drop=False)


# --------------------------------------------------------------------------- the positive fixture


def test_every_real_mirror_text_passes_every_check_without_its_hash(real: pd.DataFrame) -> None:
    refused = {d: rejection(r["text"], unverified(d, known=True), int(r["chars"])) for d, r in real.iterrows()}
    assert {d: why for d, why in refused.items() if why} == {}


def test_a_real_text_is_refused_for_every_document_it_only_mentions(real: pd.DataFrame) -> None:
    """The old check accepted a text for every document whose title or number occurs anywhere in it."""
    rows = [unverified(d, known=True) for d in manifest().index]
    mentioned = 0
    for doc_id, r in real.iterrows():
        compact = "".join(r["text"].split())
        for row in rows:
            if row["doc_id"] == doc_id:
                continue
            if any(len(w) >= 6 and "".join(w.split()) in compact for w in identifiers(row)):
                mentioned += 1
                assert rejection(r["text"], row, int(r["chars"])) is not None, (doc_id, row["doc_id"])
    assert (
        mentioned >= 2
    )  # at least the two of the issue: EO 13960 in EO 14110, "Preparing for the Future" in the R&D plan


# --------------------------------------------------------------------------- the title at the head (F2)


def related_files_page() -> str:
    """Another (SYNTHETIC) document that cites the plan in its first sentence and links it under 相关文件."""
    return (
        "示例省人民政府关于加快人工智能发展的实施意见\n"
        f"为贯彻落实《{NGAIDP_TITLE}》（{NGAIDP_NUMBER}）精神，结合本省实际，提出如下意见。\n"
        + BODY
        + f"\n相关文件：\n{NGAIDP_TITLE}\n示例省数字经济发展规划"
    )


def test_a_title_only_inside_another_documents_body_is_refused() -> None:
    reason = rejection(related_files_page(), unverified("ngaidp_2017"))
    assert reason is not None and f"no line in its first {HEAD_CHARS} characters begins with the title" in reason


def test_the_title_may_follow_a_label_or_the_metadata_block() -> None:
    meta = "索引号：000000000/0000-00000\n主题分类：测试\n发文机关：国务院\n"
    assert rejection(meta + f"标　　题：{NGAIDP_TITLE}\n" + BODY, unverified("ngaidp_2017")) is None
    assert rejection(meta + f"发文字号：{NGAIDP_NUMBER}\n" + BODY, unverified("ngaidp_2017")) is None
    assert rejection(f"1. {NGAIDP_TITLE}\n" + BODY, unverified("ngaidp_2017")) is not None  # a numbered link


def test_the_issuing_formula_of_its_own_notice_names_the_document() -> None:
    """Some sites put the title above the body container, so the extracted body starts with the addressees."""
    body = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现将《新一代人工智能发展规划》印发给你们，请认真贯彻执行。\n"
    assert rejection(body + BODY, unverified("ngaidp_2017")) is None
    citing = body.replace("现将《新一代人工智能发展规划》印发给你们", "为贯彻落实《新一代人工智能发展规划》")
    assert rejection(citing + BODY, unverified("ngaidp_2017")) is not None


def test_the_title_must_begin_within_the_head() -> None:
    late = "示例标题\n" + "本段为合成测试文字，并非任何文件的原文内容。" * 24 + "\n" + ngaidp_text()  # ~500 characters
    assert rejection(late, unverified("ngaidp_2017")) is not None
    assert rejection(ngaidp_text(), unverified("ngaidp_2017")) is None


# --------------------------------------------------------------------------- length floors and partial copies (F2, F3)


def test_every_genre_has_exactly_one_floor() -> None:
    floors = length_floors()
    assert sorted(floors) == sorted(GENRES)
    groups = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "length_floors.csv", dtype=str, keep_default_na=False)
    named = [g for genres in groups["genres"] for g in genres.split("|")]
    assert len(named) == len(set(named))


def test_each_floor_is_at_most_40_percent_of_the_shortest_real_text_of_its_genres(real: pd.DataFrame) -> None:
    groups = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "length_floors.csv", dtype=str, keep_default_na=False)
    for _, group in groups.iterrows():
        genres = group["genres"].split("|")
        texts = real[real["genre"].isin(genres)]
        named = re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", group["basis"])
        assert named and named[0] in texts.index, group["group"]  # the basis names a real text of the group
        shortest = int(texts["chars"].min())
        assert int(group["floor"]) <= 0.4 * shortest, group["group"]
        assert f"{shortest:,} characters" in group["basis"]  # the basis says the shortest text's length


def test_chars_expected_is_the_length_of_the_mirror_copy(real: pd.DataFrame) -> None:
    expected = manifest()["chars_expected"]
    assert {d: expected[d] for d in real.index} == {d: str(int(c)) for d, c in real["chars"].items()}


def test_a_copy_cut_to_half_or_to_4_percent_is_refused(real: pd.DataFrame) -> None:
    for doc_id, r in real.iterrows():
        text = r["text"]
        half, tiny = text[: len(text) // 2], text[: len(text) * 4 // 100]
        assert "a partial copy" in str(rejection(half, unverified(doc_id, known=True))), doc_id
        assert rejection(tiny, unverified(doc_id, known=True)) is not None, doc_id


def test_partial_copies_of_a_plan_without_a_known_length() -> None:
    full = ngaidp_text(BODY * 8)  # a synthetic plan of about 28,000 characters
    n = len("".join(full.split()))
    row = unverified("ngaidp_2017")
    assert rejection(full[: len(full) * 4 // 100], row) is not None  # under the floor of a plan
    assert rejection(full[: len(full) // 2], row) is None  # nothing says how long the plan is …
    seen = unverified("ngaidp_2017", chars_expected=str(n))  # … until a copy was seen (chars_expected)
    assert "a partial copy" in str(rejection(full[: len(full) // 2], seen))
    assert rejection(prefix(full, int(n * PARTIAL_RATIO) + 1), seen) is None
    assert "a partial copy" in str(rejection(prefix(full, int(n * PARTIAL_RATIO) - 1), seen))


def prefix(text: str, chars: int) -> str:
    """The shortest start of ``text`` holding ``chars`` non-whitespace characters."""
    seen = 0
    for i, c in enumerate(text):
        seen += not c.isspace()
        if seen == chars:
            return text[: i + 1]
    return text


# --------------------------------------------------------------------------- opening fingerprints (F2)


def test_the_manifest_fingerprints_are_those_of_the_mirror_copies(real: pd.DataFrame) -> None:
    table = manifest()
    for doc_id, r in real.iterrows():
        found = opening_fingerprint(r["text"], identifiers(table.loc[doc_id]), r["language"])
        assert found is not None and table.loc[doc_id, "opening_sha256"] == found[1], doc_id


PLAN_OPENING = "本规划为合成测试文字，用于检验开头指纹，不是任何文件的原文，第一段到此为止。"


def plan_copies() -> dict[str, str]:
    """Copies of one SYNTHETIC plan as different sites give it: the plan alone, under its issuing notice,
    with the document number after the title, with other whitespace, punctuation and full-width forms."""
    plan = f"新一代人工智能发展规划\n{PLAN_OPENING}\n{BODY}"
    notice = (
        f"{NGAIDP_TITLE}\n{NGAIDP_NUMBER}\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "现将《新一代人工智能发展规划》印发给你们，请认真贯彻执行。\n国务院\n2017年7月8日\n（此件公开发布）\n"
    )
    return {
        "plan": plan,
        "notice and plan": notice + plan,
        "number after the title": f"新一代人工智能发展规划（{NGAIDP_NUMBER}）\n{PLAN_OPENING}\n{BODY}",
        "layout": "新一代人工智能\n发展规划\n" + " ".join(PLAN_OPENING).replace("，", ",") + "\n" + BODY,
    }


def test_the_opening_fingerprint_is_the_same_for_every_copy_of_the_plan() -> None:
    row = unverified("ngaidp_2017")
    prints = {k: opening_fingerprint(t, identifiers(row), "zh") for k, t in plan_copies().items()}
    assert len({p[1] for p in prints.values() if p}) == 1 and all(prints.values())
    fingerprint = prints["plan"][1]  # type: ignore[index]
    for name, text in plan_copies().items():
        assert rejection(text, unverified("ngaidp_2017", opening_sha256=fingerprint)) is None, name


def test_a_text_whose_opening_differs_is_refused() -> None:
    fingerprint = opening_fingerprint(plan_copies()["plan"], identifiers(unverified("ngaidp_2017")), "zh")
    assert fingerprint is not None
    other = plan_copies()["plan"].replace("本规划为合成测试文字", "本方案为合成测试文字")
    row = unverified("ngaidp_2017", opening_sha256=fingerprint[1])
    assert "its opening does not match" in str(rejection(other, row))
    assert not opening_matches(other, identifiers(row), "zh", fingerprint[1])


def test_the_fingerprint_command_prints_a_hash_never_the_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from analysis.cli import main

    copy = tmp_path / "opening.html"
    copy.write_bytes(
        ("<html><body><div id='UCAP-CONTENT'><p>" + plan_copies()["notice and plan"].replace("\n", "</p><p>")).encode()
    )
    assert main(["corpus", "fingerprint", str(copy), "--doc", "ngaidp_2017"]) == 0
    out = capsys.readouterr().out.strip()
    expected = opening_fingerprint(plan_copies()["plan"], identifiers(unverified("ngaidp_2017")), "zh")
    assert expected is not None and f"opening_sha256 {expected[1]}" in out and len(out.splitlines()) == 1
    assert not re.search(r"[\u4e00-\u9fff]{4}", out)  # not a word of the text
    with pytest.raises(CorpusError, match="no line in its first"):
        opening_of_file(copy, "us_eo14110_2023")


# --------------------------------------------------------------------------- garbled text layers (F2, F5)


def garbage(text: str, how: str, rng: random.Random) -> str:
    """``text`` garbled the ways a text layer goes wrong."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if how == "utf-8 read as gbk":
        return text.encode("utf-8").decode("gbk", errors="replace")
    if how == "gbk read as big5":
        return text.encode("gbk", errors="ignore").decode("big5", errors="replace")
    if how == "glyphs shifted":
        return "".join(chr(ord(c) + 1) if "\u4e00" <= c < "\u9fff" else c for c in text)
    if how == "glyphs permuted":
        alphabet = sorted(set(han))
        target = alphabet[:]
        rng.shuffle(target)
        mapping = dict(zip(alphabet, target, strict=True))
        return "".join(mapping.get(c, c) for c in text)
    if how == "shuffled":
        chars = list(text)
        rng.shuffle(chars)
        return "".join(chars)
    if how == "random han":
        return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in text)
    raise ValueError(how)


GARBAGE = ("utf-8 read as gbk", "gbk read as big5", "glyphs shifted", "glyphs permuted", "shuffled", "random han")


def test_han_word_share_separates_real_texts_from_garbage(real: pd.DataFrame) -> None:
    rng = random.Random(21)
    zh = real[real["language"] == "zh"]
    real_shares = [han_word_share(t)[0] for t in zh["text"]]
    worst_garbage = max(han_word_share(garbage(t, how, rng))[0] for t in zh["text"] for how in GARBAGE)
    assert min(real_shares) >= MIN_HAN_WORD_SHARE + 0.15  # measured: 0.500
    assert worst_garbage <= MIN_HAN_WORD_SHARE - 0.15  # measured: 0.129


def test_function_word_share_separates_real_english_from_garbage(real: pd.DataFrame) -> None:
    rng = random.Random(21)
    en = real[real["language"] == "en"]["text"]
    assert min(function_word_share(t)[0] for t in en) >= MIN_FUNCTION_WORD_SHARE + 0.1  # measured: 0.275
    shifted = ["".join(chr((ord(c) - 97 + 3) % 26 + 97) if "a" <= c <= "z" else c for c in t) for t in en]
    random_letters = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz   ") for _ in range(20000))
    assert max(function_word_share(t)[0] for t in [*shifted, random_letters]) < MIN_FUNCTION_WORD_SHARE - 0.1


@pytest.mark.parametrize("how", GARBAGE)
def test_a_garbled_body_under_a_correct_title_line_is_refused(how: str) -> None:
    text = ngaidp_text(garbage(BODY * 4, how, random.Random(7)))
    assert "dictionary words" in str(rejection(text, unverified("ngaidp_2017")))


def test_a_pdf_whose_body_layer_is_garbage_is_refused(tmp_path: Path) -> None:
    body = garbage(BODY, "glyphs shifted", random.Random(1)).splitlines()
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(make_pdf([[NGAIDP_TITLE, NGAIDP_NUMBER, *body[i : i + 40]] for i in range(0, len(body), 40)]))
    with pytest.raises(CorpusError, match="dictionary words"):
        import_file(pdf, "ngaidp_2017", manifest=unverified_manifest(tmp_path), cache_dir=tmp_path / "raw")
    assert not (tmp_path / "raw" / "ngaidp_2017.doc.txt").exists()


def test_mojibake_converted_from_traditional_under_a_correct_title_is_refused(tmp_path: Path) -> None:
    mojibake = garbage(BODY * 5, "gbk read as big5", random.Random(1))
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><div id='UCAP-CONTENT'><p>{NGAIDP_TITLE}</p><p>{mojibake}</p></div></body></html>")
    from analysis.corpus.sources import text_from_bytes

    acquired = text_from_bytes("ngaidp_2017", page.read_bytes(), "page", source="imported", location="page")
    assert acquired.converted_t2s and acquired.chars > 10000
    assert "dictionary words" in str(rejection(acquired.text, unverified("ngaidp_2017")))


def test_the_garble_measure_uses_the_books_one_jieba_configuration() -> None:
    from analysis.corpus import quality
    from analysis.io import text

    assert quality._dictionary() is text.get_tokenizer().FREQ
    sources = "".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "src/analysis/corpus").glob("*.py"))
    assert "import jieba" not in sources


# --------------------------------------------------------------------------- index, search-result and link-list pages (F2, F6)


def hot_files_page(wording: str = "信息已过期或已撤稿") -> str:
    """The "热门文件" page of the issue (494 characters): unlisted not-found wording, then a list of titles."""
    titles = [NGAIDP_TITLE] + [f"示例市人民政府关于印发示例第{i}号合成测试文件的通知" for i in range(1, 13)]
    text = f"首页 > 政策\n{wording}\n热门文件\n" + "\n".join(f"{t}\n2017-07-{10 + i:02d}" for i, t in enumerate(titles))
    return text


def test_the_hot_files_page_of_the_issue_is_refused() -> None:
    page = hot_files_page()
    assert 450 <= len("".join(page.split())) <= 550  # the issue's page: 494 characters
    assert "'page not found' page" in str(rejection(page, unverified("ngaidp_2017")))
    plain = hot_files_page("").replace("热门文件", "文件列表")  # without any listed wording …
    assert "too short" in str(rejection(plain, unverified("ngaidp_2017")))
    assert "a list of links or titles" in str(rejection(plain, unverified("ngaidp_2017", min_chars="100")))


FEDERAL_REGISTER_SEARCH = "\n".join(
    [
        "Federal Register",
        "Search Results",
        "3 documents matched your search",
        "Executive Order 13960",
        "Promoting the Use of Trustworthy Artificial Intelligence in the Federal Government",
        "A Presidential Document by the Executive Office of the President on 12/08/2020",
        *(
            f"Synthetic result {i}\nA Presidential Document by the Executive Office of the President on 0{i}/01/2021"
            for i in range(1, 9)
        ),
    ]
)
ENGLISH_INDEX = "\n".join(
    [
        "Translations",
        "New Generation Artificial Intelligence Development Plan",
        *(
            f"Notice of the Synthetic Council on the Plan for the Development of Item {i} in the Region"
            for i in range(1, 40)
        ),
    ]
)


def test_search_results_and_index_pages_are_refused_for_english_documents() -> None:
    assert "'page not found' page" in str(rejection(FEDERAL_REGISTER_SEARCH, unverified("us_eo13960_2020")))
    unmarked = FEDERAL_REGISTER_SEARCH.replace("Search Results", "Documents")
    assert rejection(unmarked, unverified("us_eo13960_2020")) is not None  # too short for an order
    assert "a list of links or titles" in str(rejection(ENGLISH_INDEX, unverified("ngaidp_2017_en")))
    order = "Executive Order 13960 of December 3, 2020\n" + EN_BODY
    assert rejection(order, unverified("us_eo13960_2020")) is None  # an order-shaped page is accepted


def test_list_shares_of_real_texts_stay_under_the_ceiling(real: pd.DataFrame) -> None:
    assert max(bare_line_share(t)[0] for t in real["text"]) <= MAX_BARE_LINE_SHARE - 0.2  # measured: 0.320
    assert bare_line_share(hot_files_page(""))[0] > 0.9 and bare_line_share(ENGLISH_INDEX)[0] > 0.9


# --------------------------------------------------------------------------- archive snapshots that redirect (F2, F6)


class Archive(LoopbackServer):
    """An Internet Archive on 127.0.0.1: ``/web/<time>id_/<url>`` answers ``pages``, or redirects as ``redirects``."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        if request.path in self.redirects:
            respond(request, 302, headers={"Location": self.redirects[request.path]})
        elif request.path in self.pages:
            respond(request, 200, self.pages[request.path], {"Content-Type": "text/html; charset=utf-8"})
        else:
            respond(request, 404)


@pytest.fixture()
def archive() -> Iterator[Archive]:
    with Archive() as server:
        yield server


def unverified_manifest(tmp_path: Path, doc_id: str = "ngaidp_2017", **values: str) -> Path:
    row = unverified(doc_id, **values).drop("year")
    path = tmp_path / "manifest.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    return path


PAGE = (
    "<html><body><div id='UCAP-CONTENT'><p>" + ngaidp_text().replace("\n", "</p><p>") + "</p></div></body></html>"
).encode()


@pytest.mark.parametrize(("target", "accepted"), [("http://portal.example/index.htm", False), ("", True)])
def test_an_archive_snapshot_that_redirected_to_another_site_is_refused(
    tmp_path: Path, archive: Archive, target: str, accepted: bool
) -> None:
    official = archive.url("/zhengce/content_1.htm")  # 404: the archive's copy is tried next
    moved = target or archive.url("/zhengce/moved.htm")  # the same site
    archive.redirects[f"/web/2017id_/{official}"] = f"/web/2017id_/{moved}"
    archive.pages[f"/web/2017id_/{moved}"] = PAGE
    manifest = unverified_manifest(tmp_path, official_url=official)
    options = dataclasses.replace(FAST, archive_base=archive.url("/web/"), connect_timeout=0.5)
    with loopback_session(options) as session:
        result = fetch_online(manifest, tmp_path / "raw", session, options=options)
    message = result["message"][0]
    if accepted:
        assert result["action"][0] == "downloaded", message
    else:
        # the official URL's 404 stays the failure class (fetching.py); the snapshot's text is never used
        assert result["action"][0] == "failed" and "redirected to a snapshot of another site" in message
        assert "portal.example" in message and len(message.splitlines()) == 1
        assert coverage("", manifest=manifest, cache_dir=tmp_path / "raw")["status"][0] != "available"
        assert not (tmp_path / "raw" / "ngaidp_2017.doc.txt").exists()


def test_snapshot_redirect_rules() -> None:
    base = "https://web.archive.org/web/2017id_/"
    gov = "http://www.gov.cn/zhengce/content/2017-07/20/content_5211996.htm"
    assert snapshot_redirect(base + gov, base + gov) is None
    assert snapshot_redirect(base + gov, base.replace("2017", "20170721") + gov.replace("http:", "https:")) is None
    assert "another site" in str(snapshot_redirect(base + gov, base + "http://www.example.com/"))
    assert "out of the archive" in str(snapshot_redirect(base + gov, "http://www.example.com/"))
    assert snapshot_redirect(gov, "http://www.example.com/") is None  # not a snapshot: other checks decide


# --------------------------------------------------------------------------- the manifest's new columns


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("chars_expected", "about 900", "chars_expected='about 900': does not have the form \\d+, a whole number"),
        (
            "opening_sha256",
            "abc",
            "opening_sha256='abc': does not have the form [0-9a-f]{64}, 64 lower-case hex digits",
        ),
        ("expected_sha256", "9b5f55" + "0" * 58, "appears more than once (lines 2, 3; one text is one document's"),
    ],
)
def test_the_new_columns_are_checked(tmp_path: Path, column: str, value: str, words: str) -> None:
    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    df.loc[df.index[:2], column] = value
    df.to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(ManifestError, match=re.escape(words)):
        load_manifest(tmp_path / "m.csv")


def test_the_synthetic_state_takes_over_known_lengths_and_openings(tmp_path: Path) -> None:
    """A length or opening the lead adds for an unverified document (ngaidp_2017 here) is the synthetic text's in the
    synthetic data state (booktools.synthetic_corpus), so that state still has a text for every document."""
    from booktools import synthetic_corpus

    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    df = df[df["doc_id"].isin(["ngaidp_2017", "us_eo14179_2025"])].copy()
    df.loc[df["doc_id"] == "ngaidp_2017", ["chars_expected", "opening_sha256"]] = ["28000", "0" * 64]
    source = tmp_path / "source.csv"
    df.to_csv(source, index=False)
    mirror = synthetic_corpus.write_mirror(tmp_path / "mirror", "article", load_manifest(source))
    target = tmp_path / "scratch" / "data" / "corpus" / "manifest.csv"
    target.parent.mkdir(parents=True)
    synthetic_corpus.write_book_manifest(target, mirror, source=source)
    cov = coverage(tmp_path / "mirror", manifest=target, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov["status"].tolist() == ["available", "available"], cov["message"].tolist()
    written = load_manifest(target).set_index("doc_id")
    assert written.loc["ngaidp_2017", "opening_sha256"] != "0" * 64
    assert written.loc["ngaidp_2017", "chars_expected"] == str(cov.loc["ngaidp_2017", "chars"])
