"""The project's shared vocabulary, defined once: bands, eras, views, kinds and the other code
lists that tables, checks and the report use.

Each list is in its natural order (bands best first). The SQL reads the band order through the
``band_rank`` / ``rank_band`` macros generated from ``BANDS`` (``sql_runner.vocabulary_macros``);
the specs' checks name a list here (``value_set: {vocabulary: bands}``) instead of restating it;
the report labels codes from ``LABELS``. A test ties the seed tables the SQL builds (reporting
eras, inspection kinds, outcome bands) to these lists.
"""

from __future__ import annotations

# The cross-era summary band, ranked 1 (best) to 4; not_graded has no rank.
BANDS = ("strong", "secure", "improvement_needed", "serious_concern")
NOT_GRADED = "not_graded"
# Ofsted's reporting eras, oldest first: each figure is computed within one, on its own scale.
REPORTING_ERAS = ("overall_effectiveness", "key_judgements", "report_card")
# Which judgement counts for a school: one vocabulary across tables. Snapshot (as-at) tables cover every
# open school, so 'made under the group' has no meaning there.
GROUP_VIEWS = ("including_inherited", "own_judgements", "under_group_only")
SNAPSHOT_VIEWS = ("including_inherited", "own_judgements")
# How a judgement relates to the group a school is in now.
RELATIONS_TO_GROUP = ("under_group", "before_joining", "inherited_from_predecessor")
WEIGHTINGS = ("schools", "pupils", "dfe")
# One group of each kind, in words, for display names ("Oak Trust (multi-academy trust, North West)").
GROUP_KIND_NAMES = {
    "multi_academy_trust": "multi-academy trust", "single_academy_trust": "single-academy trust",
    "secure_single_academy_trust": "secure single-academy trust", "local_authority": "local authority",
    "federation": "federation", "trust": "trust", "school_sponsor": "school sponsor", "umbrella_trust": "umbrella trust",
    "childrens_centres_group": "children's centres group",
    "childrens_centres_collaboration": "children's centres collaboration", "other": "other group",
}
GROUP_KINDS = tuple(GROUP_KIND_NAMES)
INSPECTION_KINDS = ("graded", "report_card", "ungraded", "monitoring", "urgent_no_formal_designation", "other")
PHASE_GROUPS = ("primary", "secondary", "all_through", "nursery", "special", "alternative_provision", "other")

VOCABULARY: dict[str, tuple[str, ...]] = {
    "bands": BANDS,
    "bands_and_not_graded": (*BANDS, NOT_GRADED),
    "reporting_eras": REPORTING_ERAS,
    "group_views": GROUP_VIEWS,
    "snapshot_views": SNAPSHOT_VIEWS,
    "relations_to_group": RELATIONS_TO_GROUP,
    "weightings": WEIGHTINGS,
    "group_kinds": GROUP_KINDS,
    "inspection_kinds": INSPECTION_KINDS,
    "recognised_inspection_kinds": INSPECTION_KINDS[:-1],
    "phase_groups": PHASE_GROUPS,
}

# Plain-English labels for readers (codes stay in the tables).
LABELS = {
    "strong": "Strong", "secure": "Secure", "improvement_needed": "Improvement needed",
    "serious_concern": "Serious concern", "not_graded": "Not graded",
    "overall_effectiveness": "Overall effectiveness", "key_judgements": "Key judgements (2024/25)",
    "report_card": "Report cards",
    "including_inherited": "including inherited judgements", "own_judgements": "own judgements only",
    "under_group_only": "judgements made under the group",
}


def terms(name: str) -> tuple[str, ...]:
    """A named list; an unknown name is an error listing the known ones."""
    try:
        return VOCABULARY[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a vocabulary list (known: {', '.join(sorted(VOCABULARY))})") from None


def vocabulary_macros() -> str:
    """``band_rank(band)`` and ``rank_band(r)``, written from ``BANDS`` (rank 1 = best), and
    ``group_kind_name(kind)`` from ``GROUP_KIND_NAMES``."""
    to_rank = " ".join(f"when '{band}' then {rank}" for rank, band in enumerate(BANDS, 1))
    to_band = " ".join(f"when {rank} then '{band}'" for rank, band in enumerate(BANDS, 1))
    kind_name = " ".join(f"when '{kind}' then '{name.replace(chr(39), chr(39) * 2)}'"
                         for kind, name in GROUP_KIND_NAMES.items())
    return (f"create or replace temp macro band_rank(band) as case band {to_rank} end;\n"
            f"create or replace temp macro rank_band(r) as case r {to_band} end;\n"
            f"create or replace temp macro group_kind_name(k) as case k {kind_name} end;\n")
