"""The book's own findings beyond the article's count (notebooks/beyond_the_count; ledger tier ``extension``).

Three analyses that the article's keyword counts cannot give, each computed in every data state (no texts, the
synthetic corpus, the mirror, a reader's full corpus):

* :mod:`~analysis.evidence.beyond.addressees`: who is told security things: the addressee of every clause
  (the organs a notice is sent to, 主送机关, and the subjects a rule regulates) and the security language each
  receives;
* :mod:`~analysis.evidence.beyond.grammar`: the grammar of exceptionality: priority markers (首要, 刻不容缓,
  红线 …) against balancing formulas (包容审慎, 统筹发展和安全 …), per text, AI against control;
* :mod:`~analysis.evidence.beyond.provenance`: whose words: for every 安全 outside names and citations, whether it
  sits in a phrase shared verbatim with an earlier reference law or control text, and which one.

:mod:`~analysis.evidence.beyond.common` holds what they share: the texts they read and the rule files.

They sit in the evidence layer, not in ``sections``, because the ledger's methods
(:mod:`analysis.evidence.methods`) compute the extension claims from them, and imports point down the layers.
"""
