"""The audiences of the securitizing move (article section 4) and one computed consequence (section 6).

* **Local governments.** :func:`local_plans_timeline` dates every provincial and municipal AI plan of
  the corpus manifest against the State Council's *New Generation AI Development Plan* (signed
  2017-07-08, published 2017-07-20). Manifest dates are often approximate ("2018 (day not seen)",
  "2018 (repost dated 2018-04-03)"), so each date is read as a *window* of possible issue dates
  (:func:`date_window`) and a plan is "before" or "after" only when its whole window is
  (:func:`timing_relative`); otherwise the timing is "undetermined". :func:`security_vocabulary_table`
  compares the security vocabulary of the central plans with that of every local plan whose text is
  available (using :mod:`analysis.counting`); :func:`guangdong_exception` checks the article's
  footnote 109, which names Guangdong's 2018 plan as an exception to local plans' silence on
  national security.
* **Market actors.** :func:`load_national_ai_team` reads the sourced table of the "national AI team"
  (国家新一代人工智能开放创新平台, the national new-generation AI open innovation platforms).
* **Consequence (e).** :func:`team_on_entity_list` joins the team with the US Entity List listings of
  Chinese AI companies (``data/facts/entity_list_ai_companies.csv``) on ``company_key``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from analysis.facts import FactTableError, load_facts

#: Administrative levels of local governments in the manifest.
LOCAL_LEVELS: tuple[str, ...] = ("province", "municipality", "city")
#: Central documents the local plans are compared with (doc ids of the manifest).
CENTRAL_PLANS: tuple[str, ...] = ("ngaidp_2017", "internet_plus_ai_2016")
GUANGDONG_2018 = "guangdong_2018_ai_plan"
#: Genres of local documents that are not plans. The first local text of the corpus, Shenzhen's AI industry
#: regulation (2022), is a law, years after the 2017–2019 plans the article discusses: it is shown beside the
#: central documents of 2021–2025 (:func:`recent_documents_table`), never counted as a local plan.
NOT_PLAN_GENRES: tuple[str, ...] = ("regulation",)

#: Timing classes, in display order.
TIMINGS: tuple[str, ...] = ("before", "between signing and publication", "after", "undetermined", "no date")


@dataclass(frozen=True)
class ReferenceEvent:
    """A dated central document that local plans are compared with."""

    doc_id: str
    label: str
    signed: dt.date
    published: dt.date
    source: str


#: The State Council plan (国发〔2017〕35号): notice dated 2017-07-08, released 2017-07-20.
STATE_COUNCIL_PLAN = ReferenceEvent(
    doc_id="ngaidp_2017",
    label="State Council, New Generation AI Development Plan",
    signed=dt.date(2017, 7, 8),
    published=dt.date(2017, 7, 20),
    source=(
        "notice dated 2017年7月8日 (https://newton.com.tw/wiki/ …/22036812); Xinhua on gov.cn, Beijing 20 July 2017 "
        "(http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2017-07/20/content_5212064.htm)"
    ),
)


@dataclass(frozen=True)
class DateWindow:
    """The possible issue dates of a document whose date is known only approximately.

    ``precision`` is ``day``, ``month``, ``months`` (e.g. 2019-02/03), ``year``, ``years``
    (e.g. 2018-2019) or ``none``; ``caveats`` lists what the manifest says about the date
    (``not verified``, ``draft``, ``bounded by a later report``, ``day not seen``).
    """

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    caveats: tuple[str, ...] = ()


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MAIN = re.compile(
    r"^\s*(?:(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"|(?P<ym_y>\d{4})-(?P<ym_m1>\d{2})/(?P<ym_m2>\d{2})"
    r"|(?P<m_y>\d{4})-(?P<m_m>\d{2})"
    r"|(?P<yy1>\d{4})-(?P<yy2>\d{4})"
    r"|(?P<year>\d{4}))(?![\d/-])"
)
# Phrases in the manifest's date text that give an upper bound: the document existed by then.
_BOUND = re.compile(r"(?:repost dated|reported|posted|news date)\s+(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def date_window(date_issued: str) -> DateWindow:
    """Read the manifest's ``date_issued`` text as a window of possible issue dates.

    ``2017-12-26`` is one day; ``2017-12`` the month; ``2019-02/03`` two months; ``2018`` the year;
    ``2018-2019`` two years. A parenthesised later date (``repost dated``, ``reported``, ``posted``,
    ``news date``) caps the window, since the document existed by then. Unparseable or empty text
    gives a window without dates (precision ``none``); it never raises.
    """
    text = (date_issued or "").strip()
    m = _MAIN.match(text)
    caveats: list[str] = []
    lowered = text.lower()
    if "not verified" in lowered:
        caveats.append("not verified")
    if "draft" in lowered:
        caveats.append("draft")
    if "day not seen" in lowered:
        caveats.append("day not seen")
    if m is None:
        return DateWindow(None, None, "none", tuple(caveats))
    if m.group("y"):
        day = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        earliest, latest, precision = day, day, "day"
    elif m.group("ym_y"):
        year = int(m.group("ym_y"))
        earliest = dt.date(year, int(m.group("ym_m1")), 1)
        latest = _month_end(year, int(m.group("ym_m2")))
        precision = "months"
    elif m.group("m_y"):
        year, month = int(m.group("m_y")), int(m.group("m_m"))
        earliest, latest, precision = dt.date(year, month, 1), _month_end(year, month), "month"
    elif m.group("yy1"):
        earliest, latest, precision = dt.date(int(m.group("yy1")), 1, 1), dt.date(int(m.group("yy2")), 12, 31), "years"
    else:
        year = int(m.group("year"))
        earliest, latest, precision = dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    bound = _BOUND.search(text)
    if bound is not None:
        y, mo, d = (int(x) for x in _ISO_DAY.match(bound.group(1)).groups())  # type: ignore[union-attr]
        cap = dt.date(y, mo, d)
        if cap < latest:
            latest = cap
            caveats.append("bounded by a later report")
    if latest < earliest:  # a report dated before the stated issue date: keep the stated window
        latest = earliest
    return DateWindow(earliest, latest, precision, tuple(caveats))


def timing_relative(window: DateWindow, event: ReferenceEvent = STATE_COUNCIL_PLAN) -> str:
    """``before``, ``after``, ``between signing and publication``, ``undetermined`` or ``no date``.

    A document is "before" only if its latest possible date precedes the event's signing, "after"
    only if its earliest possible date follows the event's publication.
    """
    if window.earliest is None or window.latest is None:
        return "no date"
    if window.latest < event.signed:
        return "before"
    if window.earliest > event.published:
        return "after"
    if event.signed <= window.earliest and window.latest <= event.published:
        return "between signing and publication"
    return "undetermined"


def local_plans_timeline(manifest: pd.DataFrame, event: ReferenceEvent = STATE_COUNCIL_PLAN) -> pd.DataFrame:
    """Every local-government document of the manifest, dated and placed before or after ``event``.

    Columns: ``doc_id, region, level, title_en, genre, date_issued`` (as in the manifest),
    ``earliest, latest`` (ISO dates of the window), ``precision``, ``caveats``, ``timing``.
    Sorted by ``earliest``, ``latest`` then ``doc_id``.
    """
    needed = ["doc_id", "region", "level", "title_en", "genre", "date_issued"]
    missing = [c for c in needed if c not in manifest.columns]
    if missing:
        raise ValueError(f"the manifest table lacks column(s) {', '.join(missing)}")
    local = manifest[manifest["doc_id"].isin(local_plan_ids(manifest))].loc[:, needed].copy()
    windows = [date_window(str(text)) for text in local["date_issued"]]
    local["earliest"] = [w.earliest.isoformat() if w.earliest else "" for w in windows]
    local["latest"] = [w.latest.isoformat() if w.latest else "" for w in windows]
    local["precision"] = [w.precision for w in windows]
    local["caveats"] = ["; ".join(w.caveats) for w in windows]
    local["timing"] = [timing_relative(w, event) for w in windows]
    local = local.sort_values(["earliest", "latest", "doc_id"], kind="mergesort")
    return local.reset_index(drop=True)


def local_plan_ids(manifest: pd.DataFrame) -> set[str]:
    """Ids of the local plans of ``manifest``: local levels (:data:`LOCAL_LEVELS`), genre not in :data:`NOT_PLAN_GENRES`."""
    local = manifest["level"].isin(LOCAL_LEVELS)
    if "genre" in manifest.columns:
        local &= ~manifest["genre"].isin(NOT_PLAN_GENRES)
    return set(manifest.loc[local, "doc_id"])


def timing_summary(timeline: pd.DataFrame) -> pd.DataFrame:
    """Number of local documents in each timing class (all classes listed, in :data:`TIMINGS` order)."""
    counts = timeline["timing"].value_counts()
    unknown = sorted(set(counts.index) - set(TIMINGS))
    if unknown:
        raise ValueError(f"unknown timing classes: {', '.join(unknown)}")
    return pd.DataFrame({"timing": list(TIMINGS), "documents": [int(counts.get(t, 0)) for t in TIMINGS]})


# ---------------------------------------------------------------------------------------------
# Central vs local security vocabulary
# ---------------------------------------------------------------------------------------------


def security_vocabulary_table(corpus: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Security vocabulary of the central plans and of every *available* local plan.

    ``corpus`` is :func:`analysis.corpus.load_corpus` (available documents only). Rows: the
    documents of :data:`CENTRAL_PLANS` and of :data:`LOCAL_LEVELS` present in ``corpus``, sorted by
    group (central first) then ``doc_id``. Columns: ``doc_id, group, region, chars``,
    ``security_vocabulary`` (each listed security term counted once, net of longer terms, see
    :func:`analysis.counting.vocabulary_count`), ``per_10k`` (per 10,000 characters),
    ``anquan`` (安全, inclusive) and ``guojia_anquan`` (国家安全, inclusive). Empty (with these
    columns) when no such text is available.
    """
    from analysis import counting

    columns = ["doc_id", "group", "region", "chars", "security_vocabulary", "per_10k", "anquan", "guojia_anquan"]
    plans = local_plan_ids(manifest)
    wanted = corpus[corpus["doc_id"].isin(CENTRAL_PLANS) | corpus["doc_id"].isin(plans)]
    if wanted.empty:
        return pd.DataFrame(columns=columns).astype(
            {"doc_id": object, "group": object, "region": object, "chars": "int64", "security_vocabulary": "int64",
             "per_10k": "float64", "anquan": "int64", "guojia_anquan": "int64"}
        )
    vocabulary = counting.security_vocabulary()
    rows = []
    for row in wanted.itertuples(index=False):
        text = str(row.text)
        chars = int(row.chars)
        vocab = counting.vocabulary_count(text, vocabulary)
        rows.append(
            {
                "doc_id": row.doc_id,
                "group": "central" if row.doc_id in CENTRAL_PLANS else "local",
                "region": row.region,
                "chars": chars,
                "security_vocabulary": vocab,
                "per_10k": round(counting.density(vocab, chars), 2),
                "anquan": counting.count_term(text, "安全"),
                "guojia_anquan": counting.count_term(text, "国家安全"),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    table["_order"] = (table["group"] != "central").astype(int)
    table = table.sort_values(["_order", "doc_id"], kind="mergesort").drop(columns="_order")
    return table.reset_index(drop=True)


def local_texts_status(corpus: pd.DataFrame, manifest: pd.DataFrame) -> tuple[int, int]:
    """(number of local documents whose text is available, number listed in the manifest)."""
    local_ids = local_plan_ids(manifest)
    return len(local_ids & set(corpus["doc_id"])), len(local_ids)


RECENT_COLUMNS: tuple[str, ...] = (
    "doc_id", "group", "region", "genre", "date", "chars", "security_vocabulary", "per_10k", "anquan", "guojia_anquan",
)


def recent_documents_table(corpus: pd.DataFrame, *, start_year: int = 2021, end_year: int = 2025) -> pd.DataFrame:
    """Security vocabulary of every available Chinese document issued from ``start_year`` to ``end_year``.

    Central and local documents side by side (``group`` is ``central`` or ``local``), with their genre
    and date; measures as in :func:`security_vocabulary_table`. Sorted by date then ``doc_id``. Empty,
    with the columns :data:`RECENT_COLUMNS` and their types, when no such text is available. The caller
    selects the topic (the chapters pass the AI texts only).
    """
    from analysis import counting

    years = corpus["date"].astype(str).str[:4]
    wanted = corpus[(corpus["language"] == "zh") & years.between(str(start_year), str(end_year))]
    vocabulary = counting.security_vocabulary()
    rows = []
    for row in wanted.itertuples(index=False):
        text, chars = str(row.text), int(row.chars)
        vocab = counting.vocabulary_count(text, vocabulary)
        rows.append({
            "doc_id": row.doc_id, "group": "local" if row.level in LOCAL_LEVELS else "central", "region": row.region,
            "genre": row.genre, "date": row.date, "chars": chars, "security_vocabulary": vocab,
            "per_10k": round(counting.density(vocab, chars), 2), "anquan": counting.count_term(text, "安全"),
            "guojia_anquan": counting.count_term(text, "国家安全"),
        })
    table = counting.typed_frame(rows, RECENT_COLUMNS, ["doc_id", "group", "region", "genre", "date"])
    return table.sort_values(["date", "doc_id"], kind="mergesort").reset_index(drop=True)


@dataclass(frozen=True)
class GuangdongCheck:
    """What the texts say about footnote 109 (Guangdong 2018 as an exception)."""

    guangdong_guojia_anquan: int
    guangdong_per_10k: float
    other_local_per_10k_median: float | None
    other_local_plans: int


def guangdong_exception(table: pd.DataFrame) -> GuangdongCheck:
    """Guangdong's 国家安全 count and security-vocabulary density beside the other available local plans.

    ``table`` is :func:`security_vocabulary_table`; raises ``LookupError`` when Guangdong's 2018 plan
    is not in it (its text is not available).
    """
    gd = table[table["doc_id"] == GUANGDONG_2018]
    if gd.empty:
        raise LookupError(f"not reproducible here: {GUANGDONG_2018} is not available")
    others = table[(table["group"] == "local") & (table["doc_id"] != GUANGDONG_2018)]
    return GuangdongCheck(
        guangdong_guojia_anquan=int(gd["guojia_anquan"].iloc[0]),
        guangdong_per_10k=float(gd["per_10k"].iloc[0]),
        other_local_per_10k_median=float(others["per_10k"].median()) if not others.empty else None,
        other_local_plans=len(others),
    )


# ---------------------------------------------------------------------------------------------
# Market actors and the Entity List
# ---------------------------------------------------------------------------------------------

TEAM_COLUMNS: tuple[str, ...] = (
    "company_key", "company_en", "company_zh", "field_zh", "field_pinyin", "field_en",
    "field_zh_seen_in_chinese_source", "batch", "date_announced", "announced_at", "source", "note",
)
ENTITY_LIST_TABLE = "entity_list_ai_companies"


def load_national_ai_team() -> pd.DataFrame:
    """The sourced table of the national AI team, sorted by announcement date then company key."""
    team = load_facts("national_ai_team", required=TEAM_COLUMNS)
    dupes = sorted(team.loc[team["company_key"].duplicated(), "company_key"])
    if dupes:
        raise FactTableError(f"national_ai_team.csv: duplicate company_key {', '.join(dupes)}")
    return team.sort_values(["date_announced", "company_key"], kind="mergesort").reset_index(drop=True)


def team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """National AI team members that appear in ``listings`` (one row per member and listing).

    ``listings`` is the Entity List fact table; it needs ``company_key`` and ``source`` and should
    carry the listing date. Output columns: ``company_key, company_en, company_zh, field_en,
    date_announced`` (from the team) followed by every other column of ``listings`` (its ``source``
    renamed ``listing_source``; its own name columns dropped) and, when the listing date is known,
    ``listed_after_joining`` (``yes`` when the listing date, ISO text, is later than the date the
    company joined the team); sorted by listing date (see :func:`listing_date_column`) and company key.
    """
    for name, frame in (("team", team), ("listings", listings)):
        if "company_key" not in frame.columns:
            raise ValueError(f"the {name} table needs a company_key column")
    left = team.loc[:, ["company_key", "company_en", "company_zh", "field_en", "date_announced"]]
    right = listings.rename(columns={"source": "listing_source"})
    right = right.drop(columns=[c for c in ("company_en", "company_zh", "field_en", "date_announced") if c in right.columns])
    joined = left.merge(right, on="company_key", how="inner", validate="one_to_many")
    date_column = listing_date_column(listings)
    if date_column:
        joined["listed_after_joining"] = [
            "yes" if str(listed) > str(joined_team) else "no"
            for listed, joined_team in zip(joined[date_column], joined["date_announced"])
        ]
    keys = ([date_column] if date_column else []) + ["company_key"]
    return joined.sort_values(keys, kind="mergesort").reset_index(drop=True)


#: Column names that hold the listing date in an Entity List table, in order of preference.
LISTING_DATE_COLUMNS: tuple[str, ...] = ("effective", "date_effective", "listed", "date_listed", "announced", "date")


def listing_date_column(listings: pd.DataFrame) -> str | None:
    """The column of ``listings`` that holds the listing date (see :data:`LISTING_DATE_COLUMNS`), if any."""
    return next((c for c in LISTING_DATE_COLUMNS if c in listings.columns), None)


def count_team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> int:
    """How many distinct national AI team members are on the Entity List."""
    return int(team_on_entity_list(team, listings)["company_key"].nunique())


# ---------------------------------------------------------------------------------------------
# Markdown rendering of fact tables (displayed with IPython.display.Markdown; MyST-NB renders it
# with the cell metadata ``mystnb: {markdown_format: myst}``, so {term} and {doc} roles work)
# ---------------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"']+")


def _link(match: re.Match[str]) -> str:
    url = match.group(0).rstrip(".,;:)")
    tail = match.group(0)[len(url):]
    host = re.sub(r"^www\.", "", url.split("/")[2])
    return f"[{host}]({url}){tail}"


def markdown_cell(value: object, *, links: bool = False) -> str:
    """One table cell: pipes escaped, line breaks flattened, URLs turned into links named by their host."""
    text = re.sub(r"\s+", " ", str(value)).strip().replace("|", "\\|")
    return _URL.sub(_link, text) if links else text


def markdown_table(frame: pd.DataFrame, columns: dict[str, str], *, link_columns: tuple[str, ...] = ("source",)) -> str:
    """A Markdown (GFM/MyST) table of ``frame``: ``columns`` maps column names to headers, in order."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}")
    lines = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        cells = [markdown_cell(row[c], links=c in link_columns) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def framework_table_markdown(table: pd.DataFrame) -> str:
    """The article's Table 1 (``data/facts/table1_framework.csv``) as MyST Markdown.

    The element links to its glossary entry (``{term}``), and each row to the chapter(s) that hold
    its evidence (``{doc}``, relative to the chapters' folder).
    """
    rows = []
    for _, row in table.iterrows():
        chapters = ", ".join(f"{{doc}}`{doc.strip()}`" for doc in row["chapters"].split(";") if doc.strip())
        rows.append(
            {
                "element": f"{{term}}`{row['element']} <{row['glossary_term']}>`",
                "content": markdown_cell(row["content"]),
                "evidence": chapters,
                "article_ref": markdown_cell(row["article_ref"]),
            }
        )
    frame = pd.DataFrame(rows, columns=["element", "content", "evidence", "article_ref"])
    headers = {"element": "Element", "content": "In the article (our words)", "evidence": "Evidence in chapter", "article_ref": "Article"}
    return markdown_table(frame, headers, link_columns=())


# ---------------------------------------------------------------------------------------------
# The public
# ---------------------------------------------------------------------------------------------

CHINA_INTERNET_USERS = "cn_internet_users_2019"
US_INTERNET_USERS: tuple[str, ...] = ("us_internet_users_2019_statista_secondary", "us_internet_users_2019_datareportal")


def internet_user_ratios(figures: pd.DataFrame) -> pd.DataFrame:
    """China's internet users divided by each US figure of ``public_figures`` (the article: "twice more").

    Columns: ``us_figure`` (the row's ``quantity``), ``us_users_million``, ``cn_users_million``, ``ratio``
    (rounded to 2 decimals), in the order of :data:`US_INTERNET_USERS`.
    """
    table = figures.set_index("figure_id")
    missing = [f for f in (CHINA_INTERNET_USERS, *US_INTERNET_USERS) if f not in table.index]
    if missing:
        raise FactTableError(f"public_figures.csv: missing row(s) {', '.join(missing)}")
    cn = float(table.loc[CHINA_INTERNET_USERS, "value"])
    rows = []
    for fid in US_INTERNET_USERS:
        us = float(table.loc[fid, "value"])
        rows.append({"us_figure": table.loc[fid, "quantity"], "us_users_million": us, "cn_users_million": cn, "ratio": round(cn / us, 2)})
    return pd.DataFrame(rows, columns=["us_figure", "us_users_million", "cn_users_million", "ratio"])
