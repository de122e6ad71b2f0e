"""The baseline read in words: every measure of every comparison together, reversals included.

The chapter on the securitizing move prints these sentences; none of their numbers is typed. Each comparison
(:mod:`analysis.sections.move.baseline`) gets one paragraph that says how many documents each side holds and of
which issuer rank, the ratio under every measure with its document-level interval and verdict, the permutation test,
the second model, leave-one-out, and what would have been read had every occurrence counted as independent. Then the
reversals: a direction that changes between measures or between strata, a verdict the occurrence-level interval
would print and the document-level one does not, a verdict that appears when one document is left out, and a normal
interval that would decide where the *t* interval does not. Last, for each comparison, which texts are missing and
how a reader adds them."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.corpus import select
from analysis.evidence.uncertainty import format_interval
from analysis.sections.move import baseline, inference

#: The strictest measure (security sense, outside names): the one a securitizing move most needs.
STRICTEST = "security_without_names"
RANK_WORDS = {
    "state_council": "State Council regulations",
    "department": "departmental rules",
    "local_congress": "local people's congress regulations",
    "legislature": "laws",
    "local_government": "local government rules",
    "other": "other issuers",
}
ADD_TEXT = (
    "A reader adds a text by listing it in `data/corpus/manifest.csv` (topic `control` or `ai`, level, genre and "
    "issuer as for the texts above), then `make data`, or by saving a copy and running "
    "`python -m analysis corpus import FILE --doc DOC_ID`; the comparisons pick it up without other changes."
)


def short_label(label: str) -> str:
    """The first clause of a comparison's label (before a colon or a parenthesis)."""
    cut = min((i for i in (label.find(":"), label.find(" (")) if i > 0), default=len(label))
    return label[:cut].strip()


def _num(x: float, digits: int = 2) -> str:
    return "∞" if math.isinf(x) else f"{x:.{digits}f}"


def _docs(n: int, what: str = "text") -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _ranks(docs: pd.DataFrame, ids: list[str]) -> str:
    counts = docs[docs["doc_id"].isin(ids)].drop_duplicates("doc_id")["issuer_rank"].value_counts()
    if len(counts) == 1:
        return "all " + RANK_WORDS.get(counts.index[0], counts.index[0])
    return ", ".join(f"{n} {RANK_WORDS.get(r, r)}" for r, n in counts.items())


def measure_sentence(label: str, r: Mapping[str, object]) -> str:
    """One measure of one comparison: densities, ratio, document-level interval, dispersion and verdict."""
    qp = format_interval(float(r["ratio"]), float(r["qp_lo"]), float(r["qp_hi"]), 2)
    if math.isnan(float(r["qp_lo"])):
        qp = f"{_num(float(r['ratio']))} with no document-level interval ({r['qp_note']})"
    else:
        qp = f"{qp} (quasi-Poisson, χ²/df {float(r['dispersion']):.2f} on {int(r['df'])} df)"
    word = r["verdict"] if r["verdict"] != inference.CANNOT_TELL else "cannot tell"
    return (
        f"{label}: AI {float(r['ai_per_10k']):.1f} against {float(r['control_per_10k']):.1f} per 10,000 characters, "
        f"a ratio of {qp}: **{word}** ({r['reason']})."
    )


def _loo_sentence(loo: pd.DataFrame, verdict: str, labels: Mapping[str, str], measure: str) -> str:
    changed = loo[loo["verdict"] != verdict]
    if loo["ratio"].isna().all():
        return ""
    finite = loo["ratio"].dropna()
    text = (
        f"Leaving one document out at a time, the ratio ({baseline.MEASURES[measure]}) runs from "
        f"{_num(finite.min())} to {_num(finite.max())}"
    )
    crossed = bool((finite > 1).any() and (finite < 1).any())
    if crossed:
        text += ", on both sides of 1"
    if changed.empty:
        return text + "; no single text changes the verdict."
    flips = "; ".join(
        f"without {labels.get(d, d)}: {v}" for d, v in zip(changed["dropped"], changed["verdict"], strict=True)
    )
    return text + f"; the verdict changes when one text goes ({flips})."


def comparison_paragraph(
    comparison: str,
    label: str,
    tables: Mapping[str, pd.DataFrame],
    loos: Mapping[str, pd.DataFrame],
    docs: pd.DataFrame,
    members: pd.DataFrame,
    labels: Mapping[str, str],
) -> str:
    """The paragraph for one comparison that has both sides (see the module's docstring)."""
    rows = {
        m: t.set_index("comparison").loc[comparison] for m, t in tables.items() if comparison in set(t["comparison"])
    }
    if not rows:
        return ""
    first = next(iter(rows.values()))
    m = members[members["comparison"] == comparison]
    is_ai = select.is_topic(m, select.AI)
    ai_ids, ctl_ids = m.loc[is_ai, "doc_id"].tolist(), m.loc[~is_ai, "doc_id"].tolist()
    parts = [
        f"**{short_label(label).capitalize()}** ({_docs(int(first['ai_docs']), 'AI text')}, {_ranks(docs, ai_ids)}; "
        f"{_docs(int(first['control_docs']), 'control text')}, {_ranks(docs, ctl_ids)})."
    ]
    ai_ranks = set(docs.loc[docs["doc_id"].isin(ai_ids), "issuer_rank"])
    ctl_ranks = set(docs.loc[docs["doc_id"].isin(ctl_ids), "issuer_rank"])
    if ai_ranks and ctl_ranks and not ai_ranks & ctl_ranks:
        parts.append(
            "The two sides differ in issuer rank, and so in issuer: rank, issuer and subject change together, so this "
            "comparison cannot show that AI, rather than who issued the rules, makes a difference."
        )
    parts += [measure_sentence(baseline.MEASURES[mm].capitalize(), r) for mm, r in rows.items()]
    strict = rows.get(STRICTEST, first)
    if not math.isnan(float(strict["perm_p"])):
        kind = "exact" if strict["perm_exact"] else "sampled"
        parts.append(
            f"Moving the AI label over the documents ({kind}, {int(strict['perm_assignments'])} ways), a ratio at least "
            f"as {'high' if strict['perm_direction'] == 'higher' else 'low'} as the one observed on the strictest measure "
            "comes up with p = "
            f"{float(strict['perm_p']):.2f} (one-sided; the smallest p these documents allow is "
            f"{float(strict['perm_smallest_p']):.2f})."
        )
    if not math.isnan(float(strict["nb_lo"])):
        parts.append(
            "The negative binomial model, which estimates the extra variance as a parameter (α "
            f"{float(strict['nb_alpha']):.3f}), gives "
            f"{format_interval(float(strict['nb_ratio']), float(strict['nb_lo']), float(strict['nb_hi']), 2)}"
            " on the strictest measure; it is shown, not used for the verdict."
        )
    if STRICTEST in loos:
        loo = loos[STRICTEST]
        parts.append(_loo_sentence(loo[loo["comparison"] == comparison], str(strict["verdict"]), labels, STRICTEST))
    return " ".join(p for p in parts if p)


def reversals(tables: Mapping[str, pd.DataFrame], strata: pd.DataFrame) -> list[str]:
    """Sentences on everything that points the other way (see the module's docstring); empty when nothing does."""
    out: list[str] = []
    label = dict(zip(strata["stratum"], strata["label"].map(short_label), strict=True))
    rows = [(m, r) for m, t in tables.items() for _, r in t.iterrows()]
    for comparison in dict.fromkeys(r["comparison"] for _, r in rows):
        mine = [(m, r) for m, r in rows if r["comparison"] == comparison and not math.isnan(r["ratio"])]
        up = [baseline.MEASURES[m] for m, r in mine if r["ratio"] > 1]
        down = [baseline.MEASURES[m] for m, r in mine if r["ratio"] < 1]
        if up and down:
            out.append(f"In {label[comparison]} the direction reverses between measures: AI higher on {', '.join(up)}; "
                       f"AI lower on {', '.join(down)}.")  # fmt: skip
        for m, r in mine:
            occ = "AI higher" if r["occ_lo"] > 1 else "AI lower" if r["occ_hi"] < 1 else ""
            if occ and r["verdict"] != occ:
                out.append(
                    f"In {label[comparison]}, {baseline.MEASURES[m]}: counted occurrence by occurrence, the interval "
                    f"{format_interval(r['ratio'], r['occ_lo'], r['occ_hi'], 2)} would read **{occ}**; with the "
                    f"document as the unit it reads {r['verdict']} ({r['reason']})."
                )
            z = "AI higher" if r["qp_z_lo"] > 1 else "AI lower" if r["qp_z_hi"] < 1 else ""
            if (
                z
                and r["verdict"] != z
                and r["ai_docs"] >= inference.MIN_DOCS
                and r["control_docs"] >= inference.MIN_DOCS
            ):
                out.append(
                    f"In {label[comparison]}, {baseline.MEASURES[m]}: a normal interval "
                    f"({_num(r['qp_z_lo'])}–{_num(r['qp_z_hi'])}), which ignores that the dispersion is estimated from "
                    f"{_docs(int(r['ai_docs'] + r['control_docs']), 'document')}, would read {z}; the *t* interval does not."
                )
    strata_only = set(strata.loc[strata["kind"] == "stratum", "stratum"])
    if STRICTEST in tables:
        t = tables[STRICTEST]
        t = t[t["comparison"].isin(strata_only) & t["ratio"].notna()]
        if (t["ratio"] > 1).any() and (t["ratio"] < 1).any():
            hi = ", ".join(label[c] for c in t.loc[t["ratio"] > 1, "comparison"])
            lo = ", ".join(label[c] for c in t.loc[t["ratio"] < 1, "comparison"])
            out.append(f"On the strictest measure the strata point in opposite directions: AI higher in {hi}, "
                       f"AI lower in {lo}.")  # fmt: skip
    return out


def missing_sentences(cover: pd.DataFrame, strata: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """For each comparison, what it lacks in this build: a side the manifest does not list, or listed texts that
    are not available, and how a reader adds them."""
    out = []
    rationale = dict(zip(strata["stratum"], strata["rationale"], strict=True))
    label = dict(zip(strata["stratum"], strata["label"].map(short_label), strict=True))
    for comparison, g in cover.groupby("comparison", sort=False):
        sides = g.set_index("topic")
        for topic, word in (("control", "control"), ("ai", "AI")):
            if topic not in sides.index:
                continue
            s = sides.loc[topic]
            if int(s["in_manifest"]) == 0:
                out.append(f"**{label[comparison].capitalize()}**: the manifest lists no {word} text of this kind, so the "
                           f"comparison cannot be made. {rationale[comparison]}")  # fmt: skip
            elif s["missing"]:
                names = "; ".join(labels.get(d, d) for d in str(s["missing"]).split(";"))
                out.append(f"**{label[comparison].capitalize()}**: {_docs(int(s['in_manifest']) - int(s['available']), word + ' text')} "
                           f"listed in the manifest {'is' if int(s['in_manifest']) - int(s['available']) == 1 else 'are'} "
                           f"missing in this build: {names}.")  # fmt: skip
    if out:
        out.append(ADD_TEXT)
    return out


#: Short names of the measures for figure rows.
MEASURE_SHORT = {"all": "every 安全", "without_names": "安全 without names", "security_without_names": "security sense"}


def _dispersions(r: Mapping[str, object]) -> str:
    def show(x: object) -> str:
        return "–" if math.isnan(float(x)) else f"{float(x):.2f}"

    return f"{show(r['ai_dispersion'])} / {show(r['control_dispersion'])}"


def comparison_rows(tables: Mapping[str, pd.DataFrame], strata: pd.DataFrame) -> pd.DataFrame:
    """Every comparison under every measure, for readers: one row each, indexed by comparison and measure."""
    label = dict(zip(strata["stratum"], strata["label"].map(short_label), strict=True))
    order = {s: i for i, s in enumerate(strata["stratum"])}
    rows = []
    for measure, t in tables.items():
        for _, r in t.iterrows():
            perm = (
                "–"
                if math.isnan(r["perm_p"])
                else f"{r['perm_p']:.2f} ({int(r['perm_assignments'])} ways; smallest {r['perm_smallest_p']:.2f})"
            )
            loo = "–" if math.isnan(r["loo_min"]) else f"{_num(r['loo_min'])}–{_num(r['loo_max'])}"
            qp = format_interval(r["ratio"], r["qp_lo"], r["qp_hi"], 2)
            rows.append(
                {
                    "_o": order.get(r["comparison"], 0), "comparison": label.get(r["comparison"], r["comparison"]),
                    "measure": baseline.MEASURES[measure], "AI texts": int(r["ai_docs"]),
                    "control texts": int(r["control_docs"]), "AI per 10,000": round(float(r["ai_per_10k"]), 1),
                    "control per 10,000": round(float(r["control_per_10k"]), 1),
                    "rate ratio [95% CI], document as unit": qp if qp != "–" else f"{_num(r['ratio'])} (no interval)",
                    "χ²/df (df)": "–" if math.isnan(r["dispersion"]) else f"{r['dispersion']:.2f} ({int(r['df'])})",
                    "χ²/df AI / control": _dispersions(r),
                    "negative binomial [95% CI]": format_interval(r["nb_ratio"], r["nb_lo"], r["nb_hi"], 2),
                    "permutation p, one-sided": perm, "leave-one-out range": loo,
                    "occurrence-level [95% CI] (too narrow)": format_interval(r["ratio"], r["occ_lo"], r["occ_hi"], 2),
                    "verdict": r["verdict"], "why": r["reason"],
                }
            )  # fmt: skip
    columns = [
        "comparison",
        "measure",
        *(k for k in (rows[0] if rows else {}) if k not in ("_o", "comparison", "measure")),
    ]
    if not rows:
        return pd.DataFrame(columns=["comparison", "measure"]).set_index(["comparison", "measure"])
    out = pd.DataFrame(rows).sort_values("_o", kind="mergesort").loc[:, columns]
    return out.set_index(["comparison", "measure"])


def figure_rows(tables: Mapping[str, pd.DataFrame], strata: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`analysis.present.plotting.argument.ratio_figure`: comparison and measure, sides, ratio, interval."""
    label = dict(zip(strata["stratum"], strata["label"].map(short_label), strict=True))
    order = {s: i for i, s in enumerate(strata["stratum"])}
    rows = [
        {"_o": order.get(r["comparison"], 0), "_m": i, "row": f"{label.get(r['comparison'], r['comparison'])}: {MEASURE_SHORT[m]}",
         "ai_docs": int(r["ai_docs"]), "control_docs": int(r["control_docs"]), "ratio": float(r["ratio"]),
         "qp_lo": float(r["qp_lo"]), "qp_hi": float(r["qp_hi"]), "verdict": r["verdict"]}
        for i, (m, t) in enumerate(tables.items()) for _, r in t.iterrows()
    ]  # fmt: skip
    columns = ["row", "ai_docs", "control_docs", "ratio", "qp_lo", "qp_hi", "verdict"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows).sort_values(["_o", "_m"], kind="mergesort").loc[:, columns].reset_index(drop=True)
