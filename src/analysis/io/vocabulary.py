"""The words the committed tables' columns may take: the one home of every list of allowed values.

The schema registry (:mod:`analysis.io.registry`) declares which column takes which list; the modules that reason
with the words import them from here under their own names (:data:`TOPICS` is
:data:`analysis.corpus.select.TOPICS`, :data:`TERM_CATEGORIES` is :data:`analysis.counting.terms.CATEGORIES` …).
They live in ``io``, the lowest layer, because every layer reads tables and imports point down only.
Adding a word to a table means adding it here first.
"""

from __future__ import annotations

YES_NO: tuple[str, ...] = ("yes", "no")

# ------------------------------------------------------------------------- the corpus manifest (corpus.select)

#: The manifest's topics: AI texts, non-AI control texts, and reference laws (:mod:`analysis.corpus.select`).
AI, CONTROL, REFERENCE = "ai", "control", "reference"
TOPICS: tuple[str, ...] = (AI, CONTROL, REFERENCE)
#: Administrative levels of local governments in the manifest (province, province-level municipality, city).
LOCAL_LEVELS: tuple[str, ...] = ("province", "municipality", "city")
CENTRAL_LEVEL = "central"
FEDERAL_LEVEL = "federal"
#: The manifest's levels.
LEVELS: tuple[str, ...] = (CENTRAL_LEVEL, *LOCAL_LEVELS, FEDERAL_LEVEL)
#: Level groups, in display order (:func:`analysis.corpus.select.level_group`); the Chinese ones first.
LEVEL_GROUPS: tuple[str, ...] = ("central", "local", "federal")
CHINESE_LEVEL_GROUPS: tuple[str, ...] = LEVEL_GROUPS[:2]
#: The languages of a text (and of a term list).
LANGUAGES: tuple[str, ...] = ("zh", "en")
#: The manifest's genres, each in exactly one group (:func:`analysis.corpus.select.genre_group`).
GENRE_GROUPS: dict[str, tuple[str, ...]] = {
    "programme": ("plan", "action plan", "opinions"),
    "rules": ("regulation", "provisions", "measures", "law"),
    "notice": ("notice",),
    "guidance": ("guidelines", "principles", "norms", "Q&A"),
    "other": ("speech", "white paper", "initiative", "strategy", "report", "executive order", "translation"),
}
GENRES: tuple[str, ...] = tuple(genre for group in GENRE_GROUPS.values() for genre in group)
#: Issuer ranks, highest first within each level (:func:`analysis.corpus.select.issuer_rank`).
ISSUER_RANKS: tuple[str, ...] = (
    "legislature",
    "state_council",
    "department",
    "local_congress",
    "local_government",
    "other",
)
#: The kinds of route to a text (``data/corpus/routes.csv``, :mod:`analysis.corpus.routes`), best first.
ROUTE_KINDS: tuple[str, ...] = ("official", "gazette", "authoritative reprint", "other reprint", "archive", "none")

# --------------------------------------------------------------------------------------- the term lists (counting)

#: The term categories of ``data/terms.csv``, with what each collects. Names are stable: other
#: chapters select terms by them. Documented for readers in ``data/terms.md``.
TERM_CATEGORIES: dict[str, str] = {
    "security": "安全 itself (security or safety), the word the article counts",
    "national_security": "national security (国家安全) and the holistic national security concept",
    "cyber_security": "cyber / network security (网络安全, 网络空间安全)",
    "data_security": "data security (数据安全)",
    "information_security": "information security (信息安全)",
    "political_security": "political, institutional and regime security (政治安全, 制度安全, 政权安全)",
    "economic_security": "economic security (经济安全)",
    "ideological_security": "ideological security (意识形态安全)",
    "cultural_security": "cultural security (文化安全)",
    "public_security": "social and public security (社会安全, 公共安全)",
    "homeland_security": "homeland / territorial security (国土安全)",
    "technology_security": "science and technology security (科技安全)",
    "environmental_security": "ecological / environmental security (生态安全)",
    "resource_security": "resource security (资源安全)",
    "energy_security": "energy security (能源安全)",
    "nuclear_security": "nuclear safety or security (核安全)",
    "safe_controllable": "safe-and-controllable and self-controllable technology (安全可控, 自主可控)",
    "safety": "safety collocations of 安全 (安全生产, 食品安全, 交通安全)",
    "national_defence": "national defence (国防, 国防科技)",
    "military": "the military (军事, 军队, 军事安全)",
    "military_civil_fusion": "military-civil fusion and dual use (军民融合, 军民两用)",
    "development_economy": "development and the economy (发展, 经济, 产业 …)",
    "technological_revolution": "industrial and technological revolution (工业革命, 科技革命, 产业变革 …)",
    "risk": "risk (风险)",
    "competition": "competition (竞争, 国际竞争)",
    "artificial_intelligence": "artificial intelligence itself (人工智能 …)",
}
#: The categories of ``data/terms_en.csv``. Where a name is also a key of :data:`TERM_CATEGORIES` it
#: collects the comparable English words; the others exist only for English.
TERM_CATEGORIES_EN: dict[str, str] = {
    "security": "the word security, and the one-word compound biosecurity that a word-bounded 'security' does not match",
    "national_security": "national security",
    "homeland_security": "homeland security (the US notion; compare 国土安全)",
    "cyber_security": "cybersecurity, cyber security, network security",
    "economic_security": "economic security",
    "national_defence": "defense / defence, national defense",
    "military": "military",
    "safety": "safety: English needs a second word where Chinese has one (安全); not part of the security vocabulary",
    "institution": (
        "names of offices and agencies that contain a listed term (Secretary of Homeland Security …); "
        "listed so that net counts leave them out"
    ),
    "counterpart": "the other side of the pair: China, Chinese, PRC, People's Republic of China, Beijing",
    "foreign": "the foreign in general (foreign), without naming a country",
    "competition": "compete, competition, competitive, competitiveness, competitor(s)",
    "adversary": "adversary / adversaries (not the technical 'adversarial')",
    "threat": "threat(s)",
    "risk": "risk(s)",
    "leadership": "leadership, leader(s), lead (mostly the verb)",
    "development_economy": "economy / economies, economic",
    "artificial_intelligence": "artificial intelligence, AI",
}
#: Rules of Chinese terms (``data/terms.csv``): the ``substring`` matcher plus ``token`` (jieba-token counting).
TERM_RULES: tuple[str, ...] = ("substring", "token")
#: Rules of English terms (``data/terms_en.csv``): word-bounded and case-insensitive.
ENGLISH_RULES: tuple[str, ...] = ("english", "english_plural")
#: The senses of 安全 (``data/anquan_senses.csv``).
SENSES: tuple[str, ...] = ("security", "safety", "ambiguous")
#: The kinds of name and citation (``data/argument/names_citations.csv``), with readers' labels.
NAME_KINDS: dict[str, str] = {
    "title": "title in 《》",
    "law_name": "law named without 《》",
    "law_reference": "reference to laws",
    "standard_title": "standard's title",
    "agency": "agency name",
    "prohibited_content": "legal list of prohibited content",
}

# ---------------------------------------------------------------------------------------- the ledger (evidence)

#: The ledger's tiers: the article's claims by weight, then the book's own findings.
TIERS: tuple[str, ...] = ("core", "supporting", "context", "extension")
#: The addressee classes (``data/argument/addressees.csv``), in display order, with readers' labels.
ADDRESSEES: dict[str, str] = {
    "local_government": "local governments and their departments",
    "department": "government departments (central, or level not named)",
    "provider": "service providers, operators and data handlers",
    "platform": "platforms",
    "enterprise": "enterprises, research bodies and associations",
    "public": "users, the public and individuals",
    "everyone": "any organisation or individual",
    "state": "the state or the text itself",
}
#: The two kinds of exceptionality marker (``data/argument/exceptionality_grammar.csv``), with readers' labels.
MARKER_KINDS: dict[str, str] = {"priority": "priority markers", "balancing": "balancing formulas"}
#: Balzacq's two kinds of policy tool (``data/argument/policy_instruments.csv``), with readers' labels: regulatory
#: instruments normalize the behaviour of those they target (duties, prohibitions, sanctions); capacity tools equip
#: the state and others to act (information, inspection, campaigns, emergency response).
INSTRUMENT_KINDS: dict[str, str] = {"regulatory": "regulatory instrument", "capacity": "capacity tool"}

# ----------------------------------------------------------------------------------- the securitizing move (sections)

#: The elementary speech acts, in precedence for a passage's primary function; ``unmarked`` when none.
FUNCTIONS: tuple[str, ...] = ("request", "warn", "claim")
UNMARKED = "unmarked"
#: The objects of security a passage's words take; the rules (``data/argument/security_objects.csv``) assign the
#: first four, ``other`` is a word no rule covers, ``name_citation`` a word inside a name or citation.
OBJECTS: tuple[str, ...] = ("threat", "goal", "compliance", "system_property", "other", "name_citation")
RULE_OBJECTS: tuple[str, ...] = OBJECTS[:4]
#: The rules' codes per column of their output that a codebook dimension can be compared with.
RULE_CODES: dict[str, tuple[str, ...]] = {"function": (*FUNCTIONS, UNMARKED), "object": OBJECTS}
#: How many codes a dimension of the codebook takes.
ANSWERS: tuple[str, ...] = ("one", "all")
#: The rows of ``data/argument/baseline_strata.csv``: a stratum, or a pair of texts inside one.
STRATUM_KINDS: tuple[str, ...] = ("stratum", "pair")

# --------------------------------------------------------------------------------------------- the fact tables

#: The categories of the security typology (``data/facts/security_typology.csv``).
TYPOLOGY_CATEGORIES: tuple[str, ...] = ("traditional", "non-traditional")
#: Who acts in ``data/facts/geopolitical_events.csv``, and the kinds of event.
EVENT_ACTORS: tuple[str, ...] = ("US", "China", "other")
EVENT_KINDS: tuple[str, ...] = (
    "strategy",
    "report",
    "sanction",
    "export-control pressure",
    "standard-setting",
    "industrial policy",
    "institution",
    "speech",
    "analysis",
    "shock",
)
#: China's part in each industrial revolution (``data/facts/industrial_revolutions.csv``).
REVOLUTION_OUTCOMES: tuple[str, ...] = ("missed", "aims to lead")
