"""Routes to the texts: the committed routes table, the order routes are tried in, the archive fallback
(loopback servers standing in for an official site and the Internet Archive, serving SYNTHETIC pages),
the masked-character check and the list of missing texts for Appendix B."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

import corpus_files
from analysis.corpus import ManifestError, coverage, is_local_ai_plan, load_manifest
from analysis.corpus.accept import caveats, rejection
from analysis.corpus.cache import cache_file, provenance
from analysis.corpus.manifest import GENRES, urls
from analysis.corpus.routes import (
    DEFAULT_ARCHIVE,
    KINDS,
    archive_url,
    check_routes,
    load_routes,
    missing_texts,
    plan_routes,
    route_coverage,
    route_kinds,
)
from corpus_files import FAST, fetch_online, loopback_session, manifest_row, serving

TITLE = "示例市人民政府关于印发示例市智能产业发展规划的通知"
BODY = "\n".join(f"第{i}条　本条为合成测试文字，用于检验获取路线，并非任何文件的原文内容。" for i in range(1, 21))
PAGE = (
    f'<html><head><meta charset="utf-8"></head><body><div class="nav">首页</div><div id="UCAP-CONTENT"><p>{TITLE}</p>'
    + "".join(f"<p>{line}</p>" for line in BODY.splitlines())
    + "</div></body></html>"
)
#: A local plan with an official URL, a reprint and a document number, and the routes of its two URLs.
P1 = {"doc_id": "p1", "official_url": "http://gov.example/1 http://repost.example/1", "doc_number": "示府〔2018〕1号"}
P1_ROUTES = [
    {"doc_id": "p1", "url": "http://gov.example/1", "kind": "official", "found_by": "x"},
    {"doc_id": "p1", "url": "http://repost.example/1", "kind": "other reprint", "found_by": "x"},
]


def write_manifest(path: Path, rows: list[dict[str, str]]) -> Path:
    return corpus_files.write_manifest(path, rows, title_zh=TITLE, date="2018-07-23", min_chars="100")


# --------------------------------------------------------------------------- the committed routes


def test_committed_routes_describe_the_manifest() -> None:
    manifest, routes = load_manifest(), load_routes()
    check_routes(manifest, routes)  # raises when a URL, its order or a document's row is missing
    assert set(routes["kind"]) <= set(KINDS)
    no_url = manifest.loc[manifest["official_url"] == "", "doc_id"]
    none_rows = routes[routes["kind"] == "none"]
    assert sorted(none_rows["doc_id"]) == sorted(no_url)
    assert none_rows["found_by"].str.contains("searched").all()  # each says what was searched


def test_manifest_has_the_translation_row() -> None:
    manifest = load_manifest().set_index("doc_id")
    row = manifest.loc["ngaidp_2017_en"]
    assert "translation" in GENRES and row["genre"] == "translation"
    assert row["language"] == "en" and row["topic"] == "ai"
    assert "not verified on the page" in row["notes"] and "Webster" in row["notes"]
    assert urls(row["official_url"])[0].startswith("https://digichina.stanford.edu/")


def test_route_check_names_what_differs(tmp_path: Path) -> None:
    manifest = load_manifest(
        write_manifest(
            tmp_path / "m.csv",
            [
                {"doc_id": "a", "official_url": "http://a.example/1 http://b.example/2"},
                {"doc_id": "b"},
            ],
        )
    )
    good = pd.DataFrame(
        [
            {"doc_id": "a", "url": "http://a.example/1", "kind": "official", "found_by": "x"},
            {"doc_id": "a", "url": "http://b.example/2", "kind": "other reprint", "found_by": "y"},
            {"doc_id": "b", "url": "", "kind": "none", "found_by": "searched: z"},
        ]
    )
    check_routes(manifest, good)
    with pytest.raises(ManifestError, match=r"a: routes .* differ"):
        check_routes(manifest, good.iloc[[1, 0, 2]])
    with pytest.raises(ManifestError, match="b: no row"):
        check_routes(manifest, good.iloc[:2])
    with pytest.raises(ManifestError, match="unknown doc_id"):
        check_routes(manifest, pd.concat([good, good.iloc[[0]].assign(doc_id="zzz")]))


def test_routes_file_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "routes.csv"
    path.write_text(
        "doc_id,url,kind,found_by\na,http://a.example/,blog,x\nb,http://b.example/,official,\n", encoding="utf-8"
    )
    with pytest.raises(ManifestError) as info:
        load_routes(path)
    assert "line 2, kind='blog': is not one of official" in str(info.value)
    assert "line 3, found_by='': is empty (say how the URL was found" in str(info.value)
    path.write_text("doc_id,url,kind,found_by\na,http://a.example/,none,x\nb,,official,y\n", encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_routes(path)
    assert str(info.value).count("a route of kind 'none' has no url") == 2


def test_routes_are_tried_official_then_archive_then_other_reprints() -> None:
    row = pd.Series(
        {
            "doc_id": "a",
            "year": 2018,
            "official_url": "http://repost.example/1 http://gov.example/1 http://daily.example/1",
        }
    )
    kinds = {
        "http://repost.example/1": "other reprint",
        "http://gov.example/1": "official",
        "http://daily.example/1": "authoritative reprint",
    }
    plan = plan_routes(row, kinds, "http://archive.example/web/")
    assert [(r.url, r.route) for r in plan] == [
        ("http://gov.example/1", "official"),
        ("http://daily.example/1", "reprint"),
        ("http://archive.example/web/2018id_/http://gov.example/1", "archive"),
        ("http://archive.example/web/2018id_/http://daily.example/1", "archive"),
        ("http://repost.example/1", "reprint"),
    ]
    assert plan[2].original == "http://gov.example/1" and plan[-1].kind == "other reprint"
    assert [r.route for r in plan_routes(row, kinds, "")] == ["official", "reprint", "reprint"]  # archive switched off


def test_archive_url_uses_the_raw_snapshot_of_the_year() -> None:
    assert archive_url("http://www.gov.cn/x.htm", 2017) == "https://web.archive.org/web/2017id_/http://www.gov.cn/x.htm"
    assert (
        archive_url("http://www.gov.cn/x.htm", None, "http://127.0.0.1:1/web")
        == "http://127.0.0.1:1/web/1996id_/http://www.gov.cn/x.htm"
    )


def test_route_coverage_counts_by_best_route(tmp_path: Path) -> None:
    manifest = load_manifest(
        write_manifest(
            tmp_path / "m.csv",
            [
                P1,
                {"doc_id": "p2", "official_url": "http://repost.example/2"},
                {"doc_id": "p3"},
                {"doc_id": "c1", "level": "central", "region": "national", "official_url": "http://gov.example/c"},
                {"doc_id": "r1", "genre": "regulation", "official_url": "http://gov.example/r"},
            ],
        )
    )
    routes = pd.DataFrame(
        [
            *P1_ROUTES,
            {"doc_id": "p2", "url": "http://repost.example/2", "kind": "other reprint", "found_by": "x"},
            {"doc_id": "p3", "url": "", "kind": "none", "found_by": "searched"},
            {"doc_id": "c1", "url": "http://gov.example/c", "kind": "official", "found_by": "x"},
            {"doc_id": "r1", "url": "http://gov.example/r", "kind": "official", "found_by": "x"},
        ]
    )
    assert is_local_ai_plan(manifest).tolist() == [True, True, True, False, False]
    table = route_coverage(manifest, routes)
    assert table.loc["whole manifest", ["documents", "with_route", "no_route"]].tolist() == [5, 4, 1]
    assert table.loc[
        "local plans", ["documents", "with_route", "best_official", "best_other_reprint", "with_doc_number"]
    ].tolist() == [3, 2, 1, 1, 1]
    assert table.loc["local plans", "with_route_pct"] == pytest.approx(66.7)
    labelled = route_coverage(manifest, routes, labelled=True)
    assert labelled.loc["local plans", "with a route (%)"] == pytest.approx(66.7) and labelled.shape == table.shape


# --------------------------------------------------------------------------- masked and abridged copies


def test_a_copy_with_masked_characters_is_rejected() -> None:
    row = manifest_row(doc_id="a", title_zh=TITLE, min_chars="100")
    assert rejection(TITLE + "\n" + BODY, row) is None
    masked = TITLE + "\n" + BODY.replace("合成", "**", 3)
    assert "masked with '*'" in (rejection(masked, row) or "")
    assert rejection(TITLE + "\n" + BODY + "\n注*：见附件。", row) is None  # one footnote star is not masking


def test_an_abridged_copy_is_flagged_not_rejected() -> None:
    assert caveats(BODY) == []
    assert caveats(BODY + "\n（此件有删减）")[0].startswith("abridged")


# --------------------------------------------------------------------------- the archive fallback, on 127.0.0.1


def test_official_404_falls_back_to_the_archive_snapshot(tmp_path: Path) -> None:
    with serving() as official, serving() as archive:
        official_url = official.url("/gkml/post_1.html")  # not in the official server's routes: 404
        snapshot = f"/web/2018id_/{official_url}"
        archive.routes[snapshot] = (200, "text/html; charset=utf-8", PAGE.encode("utf-8"))
        manifest = write_manifest(tmp_path / "manifest.csv", [{"doc_id": "example_plan", "official_url": official_url}])
        options = dataclasses.replace(FAST, archive_base=archive.url("/web/"))
        with loopback_session() as session:
            result = fetch_online(manifest, tmp_path / "raw", session, mirror="", options=options)
        assert official.hits["/gkml/post_1.html"] == 1 and archive.hits[snapshot] == 1
    row = result.iloc[0]
    assert row["action"] == "downloaded" and "route archive" in row["message"]
    meta = provenance("example_plan", tmp_path / "raw")
    assert meta is not None
    assert meta["route"] == "archive" and meta["route_kind"] == "archive" and meta["archived_url"] == official_url
    assert meta["url"] == archive.url(snapshot)
    cov = coverage("", manifest=manifest, cache_dir=tmp_path / "raw").iloc[0]
    assert cov["status"] == "available" and "route archive" in cov["message"]
    assert cache_file("example_plan", tmp_path / "raw").read_text(encoding="utf-8").count(TITLE) == 1


def test_other_reprints_come_last_and_are_marked(tmp_path: Path) -> None:
    with serving() as site:
        site.routes["/repost.html"] = (200, "text/html; charset=utf-8", PAGE.encode("utf-8"))
        masked = PAGE.replace("合成", "**")
        site.routes["/masked.html"] = (200, "text/html; charset=utf-8", masked.encode("utf-8"))
        manifest = write_manifest(
            tmp_path / "manifest.csv",
            [
                {
                    "doc_id": "example_plan",
                    "official_url": " ".join(site.url(p) for p in ("/masked.html", "/repost.html", "/gone.html")),
                },
            ],
        )
        routes = pd.DataFrame(
            [
                {"doc_id": "example_plan", "url": site.url("/masked.html"), "kind": "other reprint", "found_by": "x"},
                {"doc_id": "example_plan", "url": site.url("/repost.html"), "kind": "other reprint", "found_by": "x"},
                {"doc_id": "example_plan", "url": site.url("/gone.html"), "kind": "official", "found_by": "x"},
            ]
        )
        with loopback_session() as session:  # FAST: no archive routes
            result = fetch_online(manifest, tmp_path / "raw", session, mirror="", routes=routes)
        order = list(site.hits)
    assert order == ["/gone.html", "/masked.html", "/repost.html"]  # official first; the masked repost is refused
    assert result.iloc[0]["action"] == "downloaded"
    meta = provenance("example_plan", tmp_path / "raw")
    assert meta is not None and meta["route"] == "reprint" and meta["route_kind"] == "other reprint"


# --------------------------------------------------------------------------- how to get the missing texts


def _coverage(tmp_path: Path, statuses: list[str]) -> pd.DataFrame:
    manifest = load_manifest(
        write_manifest(
            tmp_path / "m.csv",
            [P1, {"doc_id": "p2"}],
        )
    )
    return manifest.assign(status=statuses, failure=["", ""])


ROUTES = pd.DataFrame([*P1_ROUTES, {"doc_id": "p2", "url": "", "kind": "none", "found_by": "searched"}])


def test_missing_texts_lists_every_route_and_the_import_command(tmp_path: Path) -> None:
    table = missing_texts(_coverage(tmp_path, ["missing", "missing"]), ROUTES)
    assert table["doc_id"].tolist() == ["p1", "p2"]
    p1 = table.iloc[0]
    assert p1["doc_number"] == "示府〔2018〕1号"
    assert [url for _, url in p1["routes"]] == [
        "http://gov.example/1",
        f"{DEFAULT_ARCHIVE}2018id_/http://gov.example/1",
        "http://repost.example/1",
    ]
    assert p1["import_command"] == "python -m analysis corpus import FILE --doc p1"


def test_missing_texts_in_every_data_state(tmp_path: Path) -> None:
    assert missing_texts(_coverage(tmp_path, ["available", "rejected"]), ROUTES)["doc_id"].tolist() == ["p2"]
    full = missing_texts(_coverage(tmp_path, ["available", "available"]), ROUTES)
    assert full.empty
    # the real manifest with an empty cache and no mirror: every document is listed, with its routes
    cov = coverage("", cache_dir=tmp_path / "empty")  # "": no mirror, whatever CORPUS_MIRROR says
    table = missing_texts(cov)
    assert table["doc_id"].tolist() == cov["doc_id"].tolist()
    kinds = route_kinds(load_routes())
    with_routes = table[table["doc_id"].isin(kinds)]
    assert (with_routes["routes"].map(len) > 0).all()


def test_provenance_header_is_json(tmp_path: Path) -> None:
    """The route fields sit in the one-line JSON header (checked on a written copy)."""
    from analysis.corpus.cache import write_cache
    from analysis.corpus.sources import Acquired

    acquired = Acquired(
        "a", TITLE + "\n" + BODY, "url", "http://x.example/", route="reprint", route_kind="other reprint"
    )
    path = write_cache(acquired, tmp_path)
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0][len("#provenance ") :])
    assert header["route"] == "reprint" and header["route_kind"] == "other reprint" and "caveats" not in header
