"""What the local AI plans say: the data behind the ledger's section 5 claims.

Which documents are local AI plans is defined once, in :mod:`analysis.corpus.select` (local, about AI, a plan,
an action plan or opinions): the control texts and local regulations never enter these claims.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.select import local_ai_plans
from analysis.counting import count_substring


def local_plan_mentions(texts: dict[str, str], manifest: pd.DataFrame, term: str = "国家安全") -> pd.DataFrame:
    """Per local AI plan present in ``texts``: ``doc_id, title_en, level, region, count`` of ``term``.

    Only the local AI plans count (:func:`analysis.corpus.select.local_ai_plans`). Sorted by doc_id.
    """
    local = local_ai_plans(manifest)
    rows = [
        (d, str(t), str(lv), str(rg), count_substring(texts[d], term))
        for d, t, lv, rg in zip(local["doc_id"], local["title_en"], local["level"], local["region"], strict=False)
        if d in texts
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "title_en", "level", "region", "count"])
    return table.sort_values("doc_id", kind="mergesort").reset_index(drop=True)
