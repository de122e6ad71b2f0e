"""Who is told security things: the addressee of every clause, and the security language each addressee receives.

The article's audience mechanism: the centre securitizes AI to mobilise local governments, firms and the public.
If so, the security language should reach them. This module asks, clause by clause, *who a text addresses* and
what security words that addressee receives.

**Clauses** are sentences (:func:`analysis.counting.passages.sentences`: they end at 。！？； or a line break);
a bare article marker (第七条) with nothing after it is not a clause.

**The addressee** of a clause is found by rules kept as data (``data/argument/addressees.csv``: ``addressee,
pattern, example, pinyin, gloss_en, rationale``; :data:`ADDRESSEES` lists the classes), in this order:

1. ``named``: the clause names its subject: a match of a rule that stands in *subject position*, at the head of
   the clause or of one of its comma-separated parts (after an item number such as （一）), or right before a modal
   or a verb of office (应当, 应, 要, 须, 不得, 可以, 有权, 负责, 会同, 依法, 按照 …). The first such match wins
   (then the longest, then file order). A name after a verb (督促企业, *urge the firms*; 支持企业, *support the
   firms*) is an object, not the addressee;
2. ``chapeau``: a numbered item （一）… whose lead-in clause ends with a colon takes the lead-in's addressee;
3. ``recipients``: a clause of a notice that names no subject is addressed to the organs the notice is sent to,
   its 主送机关 (*zhǔsòng jīguān*): the line near the top that lists them and ends with a colon
   (:func:`recipients`); that line itself has the basis ``recipient line``;
4. ``none``: no addressee is named (a rule's own declarations: 鼓励…, *encourage …*).

**Security language** is counted in the text with names and citations masked (:mod:`analysis.counting.names`:
《网络安全法》 and the legal list of prohibited content are not the issuer's own words): 安全 (every occurrence,
compounds included), 国家安全, and the security vocabulary of :func:`analysis.counting.security_vocabulary`
(each occurrence once, as :func:`analysis.counting.vocabulary_count` counts).

The rules read surface forms. They cannot resolve an omitted subject that an earlier sentence supplies, and a
sentence that names two subjects is given to the first; the chapter's audit lists every clause with security
language and the rule that placed it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.counting import security_vocabulary, substring_spans
from analysis.counting.matching import net_spans
from analysis.counting.names import load_name_rules, mask_names
from analysis.counting.passages import sentences
from analysis.counting.terms import load_terms
from analysis.evidence.beyond.common import COMPARED, TOPIC_LABELS, chinese_documents, load_rules, rule_spans
from analysis.io import vocabulary
from analysis.io.paths import DATA_DIR

RULES_PATH: Path = DATA_DIR / "argument" / "addressees.csv"
TABLE = "argument/addressees.csv"
#: The addressee classes, in display order, with readers' labels (their home: :mod:`analysis.io.vocabulary`).
ADDRESSEES: dict[str, str] = vocabulary.ADDRESSEES
NONE = "none"
#: The audiences of the article's section 4 that each class belongs to.
GROUPS: dict[str, str] = {
    "local_government": "government",
    "department": "government",
    "provider": "market",
    "platform": "market",
    "enterprise": "market",
    "public": "public",
    "everyone": "public",
    "state": "the state itself",
    NONE: "none named",
}
BASES: tuple[str, ...] = ("named", "chapeau", "recipients", "recipient line", "none")
CLAUSE_COLUMNS: tuple[str, ...] = (
    "doc_id", "topic", "clause", "start", "end", "addressee", "basis", "matched",
    "anquan", "national_security", "vocabulary",
)  # fmt: skip
SECURITY_COLUMNS: tuple[str, ...] = ("anquan", "national_security", "vocabulary")

_ITEM = r"(?:（[一二三四五六七八九十\d]+）|\([\d]+\)|\d+[.．、])"
_LEAD = re.compile(rf"(?:^|[，：；,:])\s*(?:{_ITEM}|[一二三四五六七八九十]+、)?\s*(?:由|凡|对于)?$")
_PREDICATE = re.compile(
    r"\s*(?:(?:及其|等)[^，。；]{0,10}?)?(?:[^，。；]{1,40}?[的时][，,])?[，,]?\s*(?:应当|应(?![用急对变])|要(?![素点求])|须|必须|不得|"
    r"可以|可(?![信控能靠])|有权|负责|会同|依法|依照|按照|根据|在[^，。；]{1,30}?(?:中|时))"
)
_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+条\s*)?")
_IS_ITEM = re.compile(rf"^\s*{_ITEM}")
_MARKER = re.compile(r"^\s*第[一二三四五六七八九十百零〇两\d]+[条章节]\s*$")
_RECIPIENTS = re.compile(r"(?:^|\n)[ \t　]*((?:各|有关|国务院|中央)[^。：\n]{1,240}?)[：:]")
RECIPIENT_WINDOW = 600


class AddresseeRuleError(ValueError):
    """The addressee rule file is malformed (the message names the file and line)."""


def load_addressee_rules(path: Path | None = None) -> pd.DataFrame:
    """The addressee rules, validated (every pattern compiles and matches its example), in file order."""
    return load_rules(RULES_PATH if path is None else Path(path), TABLE, AddresseeRuleError)


def subject_match(clause: str, rules: pd.DataFrame) -> tuple[int, int, int] | None:
    """``(start, end, rule)`` of the first rule match in subject position in ``clause`` (see the module), or None.
    Leading white space and an article marker (第七条) are skipped; offsets are into ``clause``."""
    skip = _HEAD.match(clause).end()  # type: ignore[union-attr]
    body = clause[skip:]
    best: tuple[int, int, int] | None = None
    for i, pattern in enumerate(rules["pattern"]):
        for m in re.finditer(pattern, body):
            s, e = m.start(), m.end()
            if e == s or not (_LEAD.search(body[:s]) or _PREDICATE.match(body, e)):
                continue
            if best is None or (s, -(e - s), i) < (best[0], -(best[1] - best[0]), best[2]):
                best = (s, e, i)
            break
    return None if best is None else (best[0] + skip, best[1] + skip, best[2])


def recipients(text: str, rules: pd.DataFrame | None = None) -> tuple[int, int, list[str]] | None:
    """The notice's 主送机关: ``(start, end, classes)`` of the line near the top (first :data:`RECIPIENT_WINDOW`
    characters) that lists organs and ends with a colon; ``classes`` are the addressee classes it names, in order
    (:func:`~analysis.evidence.beyond.common.rule_spans`: a rule listed first takes the words it covers). None when
    there is no such line or it names no class."""
    rules = load_addressee_rules() if rules is None else rules
    m = _RECIPIENTS.search(text[:RECIPIENT_WINDOW])
    if m is None:
        return None
    classes = list(dict.fromkeys(rule_spans(m.group(1), rules, "addressee")["addressee"]))
    return (m.start(1), m.end(1), classes) if classes else None


def _security_positions(masked: str, vocabulary: list[str], pool: list[str]) -> dict[str, list[int]]:
    vocab = sorted({s for t in vocabulary for s, _ in net_spans(masked, t, pool)})
    return {
        "anquan": [s for s, _ in substring_spans(masked, "安全")],
        "national_security": [s for s, _ in substring_spans(masked, "国家安全")],
        "vocabulary": vocab,
    }


def _count(positions: list[int], start: int, end: int) -> int:
    return bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start)


def clause_addressees(
    text: str,
    *,
    rules: pd.DataFrame | None = None,
    name_rules: pd.DataFrame | None = None,
    vocabulary: list[str] | None = None,
) -> pd.DataFrame:
    """Every clause of ``text``: ``clause`` (index), ``start, end``, ``addressee`` (a class of :data:`ADDRESSEES`
    or ``none``), ``basis`` (:data:`BASES`), ``matched`` (the words that placed it) and the security language
    outside names and citations (:data:`SECURITY_COLUMNS`)."""
    rules = load_addressee_rules() if rules is None else rules
    vocabulary = security_vocabulary() if vocabulary is None else vocabulary
    pool = sorted(set(load_terms()["term"]) | set(vocabulary))
    masked = mask_names(text, load_name_rules() if name_rules is None else name_rules)
    positions = _security_positions(masked, vocabulary, pool)
    head = recipients(text, rules)
    rows, chapeau = [], None
    for unit in sentences(text):
        clause = text[unit.start : unit.end]
        if _MARKER.match(clause):
            continue
        found = subject_match(clause, rules)
        if head is not None and unit.start <= head[0] < unit.end:
            addressee, basis, matched = (
                head[2][0],
                "recipient line",
                clause[head[0] - unit.start : head[1] - unit.start],
            )
        elif found is not None:
            addressee, basis, matched = str(rules["addressee"].iloc[found[2]]), "named", clause[found[0] : found[1]]
        elif chapeau is not None and _IS_ITEM.match(clause):
            addressee, basis, matched = chapeau[0], "chapeau", chapeau[1]
        elif head is not None:
            addressee, basis, matched = head[2][0], "recipients", text[head[0] : head[1]]
        else:
            addressee, basis, matched = NONE, "none", ""
        if clause.rstrip().endswith(("：", ":")):
            chapeau = (addressee, matched)
        elif not _IS_ITEM.match(clause):
            chapeau = None
        counts = {c: _count(positions[c], unit.start, unit.end) for c in SECURITY_COLUMNS}
        rows.append((len(rows), unit.start, unit.end, addressee, basis, matched, *counts.values()))
    out = pd.DataFrame(rows, columns=list(CLAUSE_COLUMNS[2:]))
    return out.astype({c: "int64" for c in ("clause", "start", "end", *SECURITY_COLUMNS)})


def addressee_table(corpus: pd.DataFrame | Mapping[str, str], manifest: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`clause_addressees` of every Chinese AI and control text of ``corpus`` (:data:`CLAUSE_COLUMNS`)."""
    docs = chinese_documents(corpus, manifest, COMPARED)
    rules, names, vocab = load_addressee_rules(), load_name_rules(), security_vocabulary()
    parts = []
    for doc_id, topic, text in zip(docs["doc_id"], docs["topic"], docs["text"], strict=True):
        part = clause_addressees(text, rules=rules, name_rules=names, vocabulary=vocab)
        part.insert(0, "topic", topic)
        part.insert(0, "doc_id", doc_id)
        parts.append(part)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in SECURITY_COLUMNS else object) for c in CLAUSE_COLUMNS})
    return pd.concat(parts, ignore_index=True).loc[:, list(CLAUSE_COLUMNS)]


def addressee_summary(clauses: pd.DataFrame) -> pd.DataFrame:
    """Per topic and addressee class (every class listed, ``none`` last): ``clauses``, ``security_clauses`` (with
    any security vocabulary), the three counts of :data:`SECURITY_COLUMNS` and ``anquan_share`` (the class's share
    of the topic's 安全; NaN when the topic has none)."""
    classes = [*ADDRESSEES, NONE]
    rows = []
    for topic in COMPARED:
        part = select.select_topic(clauses, topic)
        total = int(part["anquan"].sum())
        for a in classes:
            sub = part[part["addressee"] == a]
            anquan = int(sub["anquan"].sum())
            rows.append(
                {
                    "topic": topic,
                    "addressee": a,
                    "group": GROUPS[a],
                    "clauses": len(sub),
                    "security_clauses": int((sub["vocabulary"] > 0).sum()),
                    "anquan": anquan,
                    "national_security": int(sub["national_security"].sum()),
                    "vocabulary": int(sub["vocabulary"].sum()),
                    "anquan_share": anquan / total if total else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def document_recipients(corpus: pd.DataFrame | Mapping[str, str], manifest: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per Chinese AI and control text: ``doc_id, topic, genre``, ``recipients`` (the classes its 主送机关 names,
    ``;``-separated, empty when it has none) and its security language outside names (:data:`SECURITY_COLUMNS`)."""
    docs = chinese_documents(corpus, manifest, COMPARED)
    clauses = addressee_table(docs)
    rules = load_addressee_rules()
    rows = []
    for doc_id, topic, genre, text in zip(docs["doc_id"], docs["topic"], docs["genre"], docs["text"], strict=True):
        head = recipients(text, rules)
        sums = clauses.loc[clauses["doc_id"] == doc_id, list(SECURITY_COLUMNS)].sum()
        row = {"doc_id": doc_id, "topic": topic, "genre": genre, "recipients": ";".join(head[2]) if head else ""}
        rows.append({**row, **{c: int(sums[c]) for c in SECURITY_COLUMNS}})
    columns = ["doc_id", "topic", "genre", "recipients", *SECURITY_COLUMNS]
    return pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in SECURITY_COLUMNS})


def share_of(clauses: pd.DataFrame, topic: str, classes: list[str], column: str = "anquan") -> tuple[int, int]:
    """``(k, n)``: the ``column`` count in clauses of ``topic`` addressed to ``classes``, and in all its clauses."""
    part = select.select_topic(clauses, topic)
    return int(part.loc[part["addressee"].isin(classes), column].sum()), int(part[column].sum())


def paragraph(clauses: pd.DataFrame, recipients_table: pd.DataFrame) -> str:
    """The computed paragraph of the chapter: who receives the AI texts' security language, against the controls."""
    if clauses.empty:
        return (
            "Not reproducible here: no Chinese AI or control text is available in this build, so no clause can be "
            "given an addressee."
        )
    parts = []
    for topic in COMPARED:
        k_m, n = share_of(clauses, topic, [a for a, g in GROUPS.items() if g == "market"])
        k_g, _ = share_of(clauses, topic, [a for a, g in GROUPS.items() if g == "government"])
        k_l, _ = share_of(clauses, topic, ["local_government"])
        ns_l, ns = share_of(clauses, topic, ["local_government"], "national_security")
        label = TOPIC_LABELS[topic]
        if n == 0:
            parts.append(f"The {label} of this build carry no 安全 outside names and citations.")
            continue
        parts.append(
            f"In the {label}, {n} occurrences of 安全 stand outside names and citations: {k_m} ({k_m / n:.0%}) in "
            f"clauses addressed to market actors (providers, platforms, enterprises), {k_g} ({k_g / n:.0%}) in "
            f"clauses addressed to government organs, of which {k_l} to local governments and their departments; "
            f"{ns_l} of their {ns} 国家安全 (national security) reach local governments."
        )
    notices = select.select_topic(recipients_table, select.AI)
    notices = notices[notices["recipients"] != ""]
    if not notices.empty:
        local = notices[notices["recipients"].str.split(";").str[0] == "local_government"]
        each = "; ".join(f"`{d}` {int(a)}" for d, a in zip(local["doc_id"], local["anquan"], strict=True))
        parts.append(
            f"{len(notices)} AI texts are notices sent to named organs (a 主送机关); {len(local)} of them go first to "
            f"local governments or their departments, and these carry {int(local['anquan'].sum())} 安全 and "
            f"{int(local['national_security'].sum())} 国家安全 between them" + (f" ({each})." if each else ".")
        )
    return " ".join(parts)


# ------------------------------------------------------------------------------------------- readers' tables

#: Readers' labels of every class, ``none`` included.
LABELS: dict[str, str] = {**ADDRESSEES, NONE: "no addressee named"}


def rules_table(rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules as readers see them: the class, an example with its pinyin and gloss, the pattern."""
    rules = load_addressee_rules() if rules is None else rules
    out = pd.DataFrame(
        {
            "addressee": rules["addressee"].map(LABELS),
            "example": rules["example"],
            "pinyin": rules["pinyin"],
            "what it catches": rules["gloss_en"],
            "pattern": rules["pattern"],
        }
    )
    return out.set_index("addressee")


def reader_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`addressee_summary` with English column names, indexed by topic and addressee."""
    out = summary.assign(
        topic=summary["topic"].map(TOPIC_LABELS),
        addressee=summary["addressee"].map(LABELS),
        share=[f"{v:.0%}" if v == v else "–" for v in summary["anquan_share"]],
    )
    names = {
        "group": "audience (article §4)", "clauses": "clauses", "security_clauses": "clauses with security words",
        "anquan": "安全 (security)", "share": "share of the topic's 安全", "national_security": "国家安全 (national security)",
        "vocabulary": "security words",
    }  # fmt: skip
    return out.rename(columns=names).set_index(["topic", "addressee"]).loc[:, list(names.values())]


def reader_recipients(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`document_recipients` for readers: the notices' recipients in words, indexed by document."""
    out = table.assign(
        topic=table["topic"].map(TOPIC_LABELS),
        recipients=[", ".join(LABELS[c] for c in r.split(";")) if r else "–" for r in table["recipients"]],
    )
    names = {"topic": "topic", "genre": "genre", "recipients": "recipients (主送机关)", "anquan": "安全",
             "national_security": "国家安全", "vocabulary": "security words"}  # fmt: skip
    return out.set_index("doc_id").rename(columns=names).loc[:, list(names.values())]


def audit(clauses: pd.DataFrame, corpus: pd.DataFrame, width: int = 60) -> pd.DataFrame:
    """Every clause with security words, the addressee it was given and why, and its first ``width`` characters
    (computed from the build's texts when the book is built; never stored)."""
    docs = chinese_documents(corpus, None, COMPARED)
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    rows = clauses[clauses["vocabulary"] > 0]
    return pd.DataFrame(
        {
            "doc_id": rows["doc_id"],
            "addressee": rows["addressee"].map(LABELS),
            "basis": rows["basis"],
            "named as": [m[:24] + ("…" if len(m) > 24 else "") for m in rows["matched"]],
            "安全": rows["anquan"],
            "国家安全": rows["national_security"],
            "clause": [
                texts[d][s : min(e, s + width)].strip()
                for d, s, e in zip(rows["doc_id"], rows["start"], rows["end"], strict=True)
            ],
        }
    ).reset_index(drop=True)
