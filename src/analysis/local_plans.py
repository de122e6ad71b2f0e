"""The local AI plans of the manifest, and what they say: the data behind the ledger's section 5 claims.

Local means a province, a municipality or a city (:data:`analysis.audiences.LOCAL_LEVELS`); only documents
whose manifest ``topic`` is ``ai`` count, so the control texts of the baseline never enter an AI claim.
"""

from __future__ import annotations

import pandas as pd

from analysis.audiences import LOCAL_LEVELS
from analysis.counting import count_substring


def local_ai_plans(manifest: pd.DataFrame) -> pd.DataFrame:
    """The manifest's local AI documents (level province / municipality / city, ``topic == "ai"``)."""
    local = manifest[manifest["level"].isin(LOCAL_LEVELS)]
    if "topic" in manifest.columns:
        local = local[local["topic"].astype(str).str.strip() == "ai"]
    return local.reset_index(drop=True)


def local_plan_mentions(texts: dict[str, str], manifest: pd.DataFrame, term: str = "国家安全") -> pd.DataFrame:
    """Per local AI plan present in ``texts``: ``doc_id, title_en, level, region, count`` of ``term``.

    Only documents with manifest ``topic == "ai"`` count (control texts never enter). Sorted by doc_id.
    """
    local = local_ai_plans(manifest)
    rows = [
        (d, str(t), str(lv), str(rg), count_substring(texts[d], term))
        for d, t, lv, rg in zip(local["doc_id"], local["title_en"], local["level"], local["region"], strict=False)
        if d in texts
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "title_en", "level", "region", "count"])
    return table.sort_values("doc_id", kind="mergesort").reset_index(drop=True)
