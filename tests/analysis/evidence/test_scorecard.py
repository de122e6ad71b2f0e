"""Tests of analysis.evidence.scorecard: the landing page's scorecard in every data state."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import load_manifest
from analysis.evidence import ledger
from analysis.evidence.scorecard import scorecard, scorecard_markdown


def _coverage(available: set[str]) -> pd.DataFrame:
    manifest = load_manifest()
    return pd.DataFrame(
        {
            "doc_id": manifest["doc_id"],
            "status": ["available" if d in available else "missing" for d in manifest["doc_id"]],
        }
    )


def test_scorecard_with_no_texts_matches_the_ledger() -> None:
    evaluated = ledger.evaluate_ledger({}, baseline={})  # no AI text, and no control or reference text either
    card = scorecard(evaluated, _coverage(set()))
    assert card.claims == len(evaluated)
    assert card.by_status == {s: int((evaluated["status"] == s).sum()) for s in ledger.STATUSES}
    assert card.by_status[ledger.REPRODUCED] == 0  # nothing can be computed from a text that is not there
    assert card.documents_available == 0 and card.documents_total == len(load_manifest())
    text = scorecard_markdown(card)
    assert text.index("core claims") < text.index("All ")  # the core tier leads
    assert "No primary text is available" in text
    assert "{doc}`../notebooks/ledger`" in text
    assert all(s in text for s in ledger.STATUSES)
    # The book's own findings are counted apart from the article's claims, and shown.
    ours = int((evaluated["tier"] == ledger.EXTENSION).sum())
    assert ours > 0 and "claims of the article**" in text and f"*extension*, {ours}" in text
    assert sum(card.article_status.values()) == len(evaluated) - ours


def test_scorecard_with_texts_counts_reproduced_claims() -> None:
    texts = {"internet_plus_ai_2016": "合成测试：" + "安全" * 16}  # synthetic: 16 times 安全, no 网络安全
    evaluated = ledger.evaluate_ledger(texts)
    card = scorecard(evaluated, _coverage(set(texts)))
    assert card.by_tier["core"][ledger.REPRODUCED] == 2  # 安全 16 and 国家安全 0
    assert card.by_tier["core"][ledger.DIFFERS] == 1  # 网络安全 5 against 0 here
    assert card.documents_available == 1
    assert "No primary text" not in scorecard_markdown(card)


def test_landing_page_computes_the_scorecard_at_build_time() -> None:
    import nbformat

    from analysis.io.paths import PROJECT_ROOT

    page = nbformat.read(PROJECT_ROOT / "book" / "index.ipynb", as_version=4)
    code = [c for c in page.cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].metadata["tags"] == ["remove-input"]
    assert code[0].metadata["mystnb"]["markdown_format"] == "myst"
    # The same evaluation as Appendix A, and the documents of the same selection (the AI texts), so that the
    # scorecard matches the ledger page and its document count rests on the ledger's selection.
    call = 'scorecard_markdown(scorecard(evaluate_ledger(chapter_corpus(topic="ai")), chapter_coverage(topic="ai")))'
    assert call in code[0].source
    text = "".join(c.source for c in page.cells)
    assert text.index("What this build reproduced") < text.index("What you will find")  # the scorecard opens the book
    # Stored without outputs or cell ids: the page is computed at build time and builds byte for byte the same.
    assert not code[0].outputs and all("id" not in c for c in page.cells)
