"""The article's analytical framework (its Table 1) as a table of the introduction chapter."""

from __future__ import annotations

import pandas as pd

from analysis.markdown import markdown_table


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
                "content": row["content"],
                "evidence": chapters,
                "article_ref": row["article_ref"],
            }
        )
    frame = pd.DataFrame(rows, columns=["element", "content", "evidence", "article_ref"])
    headers = {
        "element": "Element",
        "content": "In the article (our words)",
        "evidence": "Evidence in chapter",
        "article_ref": "Article",
    }
    return markdown_table(frame, headers, link_columns=())
