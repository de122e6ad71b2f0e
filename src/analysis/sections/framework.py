"""The article's analytical framework (its Table 1) as a table of the introduction chapter."""

from __future__ import annotations

import pandas as pd

#: Headers of the framework table, in order.
FRAMEWORK_HEADERS: dict[str, str] = {
    "element": "Element",
    "content": "In the article (our words)",
    "evidence": "Evidence in chapter",
    "article_ref": "Article",
}


def framework_view(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The article's Table 1 (``data/facts/table1_framework.csv``) ready for a Markdown table, with its headers.

    The element links to its glossary entry (``{term}``), and each row to the chapter(s) that hold
    its evidence (``{doc}``, relative to the chapters' folder). Rendered by
    :func:`analysis.present.markdown.markdown_table`.
    """
    rows = []
    for _, row in table.iterrows():
        chapters = ", ".join(f"{{doc}}`{doc.strip()}`" for doc in row["chapters"].split(";") if doc.strip())
        rows.append(
            {
                "element": f"{{term}}`{row['element']} <{row['glossary_term']}>`",
                "content": row["content"],
                "evidence": chapters,
                "article_ref": row["article_ref"],
            }
        )
    return pd.DataFrame(rows, columns=list(FRAMEWORK_HEADERS)), dict(FRAMEWORK_HEADERS)
