"""The expectations registry: what every table must satisfy, validated with Great Expectations.

One ``Suite`` per table lists its expectations; ``build_expectation_checks`` turns each suite
into one Dagster multi-asset check (one check per expectation, visible in the UI). A suite
reads the columns it needs once into pandas (the GE boundary) and validates every
expectation against that batch. Values that depend on the data or the settings (today's
date, the previous snapshot's row count, the set of known URNs) are computed when the check
runs. ERROR expectations block publication; WARN ones are advisory.
"""


import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable

import duckdb
import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from assets.sources.registry import SOURCES

from .resources import WarehouseResource

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
logging.getLogger("great_expectations").setLevel(logging.ERROR)

Value = Any | Callable[[duckdb.DuckDBPyConnection], Any]
EXAMPLES = 5
CADENCE_DAYS = {"daily": 14, "monthly": 62, "twice yearly": 250}


@dataclass(frozen=True)
class Expect:
    name: str
    gx_type: str                     # Great Expectations class name, e.g. ExpectColumnValuesToBeUnique
    kwargs: dict[str, Value] = field(default_factory=dict)
    severity: str = "ERROR"
    description: str = ""


@dataclass(frozen=True)
class Suite:
    table: str                       # asset key as schema.table
    frame_sql: str                   # the rows (and columns) the expectations look at
    expectations: tuple[Expect, ...]

    @property
    def asset_key(self) -> AssetKey:
        return AssetKey(self.table.split("."))


# -- declaration helpers ----------------------------------------------------------------------
def not_null(column: str, severity: str = "ERROR") -> Expect:
    return Expect(f"{column}_not_null", "ExpectColumnValuesToNotBeNull", {"column": column}, severity,
                  f"{column} is always present")


def unique(*columns: str) -> Expect:
    if len(columns) == 1:
        return Expect(f"{columns[0]}_unique", "ExpectColumnValuesToBeUnique", {"column": columns[0]},
                      description=f"{columns[0]} is a key")
    return Expect(f"{'_'.join(columns)}_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": list(columns)},
                  description=f"({', '.join(columns)}) is a key")


def in_set(column: str, values: Value, severity: str = "ERROR", name: str | None = None, description: str = "") -> Expect:
    return Expect(name or f"{column}_known_values", "ExpectColumnValuesToBeInSet",
                  {"column": column, "value_set": values}, severity, description or f"{column} takes known values")


def between(column: str, low: Value = None, high: Value = None, severity: str = "ERROR", name: str | None = None,
            description: str = "") -> Expect:
    return Expect(name or f"{column}_in_range", "ExpectColumnValuesToBeBetween",
                  {"column": column, "min_value": low, "max_value": high}, severity,
                  description or f"{column} within [{low if not callable(low) else 'computed'}, "
                                 f"{high if not callable(high) else 'computed'}]")


def none_unknown(column: str, name: str, description: str, severity: str = "ERROR") -> Expect:
    """Referential integrity: ``column`` holds the value when it has no match (NULL when it does),
    computed by a join in the suite's SQL; the failing examples are the orphan values."""
    return Expect(name, "ExpectColumnValuesToBeNull", {"column": column}, severity, description)


def ordered(low: str, high: str, name: str, description: str, severity: str = "ERROR") -> Expect:
    """``low`` <= ``high`` on every row where both are present (e.g. an interval around its estimate)."""
    return Expect(name, "ExpectColumnPairValuesAToBeGreaterThanB",
                  {"column_A": high, "column_B": low, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
                  severity, description)


def share(*columns: str) -> tuple[Expect, ...]:
    return tuple(between(c, 0, 1, name=f"{c}_is_a_share", description=f"{c} lies in [0, 1]") for c in columns)


def holds(column: str, name: str, description: str, severity: str = "ERROR") -> Expect:
    """A rule computed as a boolean column by the suite's SQL holds on every row."""
    return in_set(column, [True], severity=severity, name=name, description=description)


BANDS = ["strong", "secure", "improvement_needed", "serious_concern"]
REPORTING_ERAS = ["overall_effectiveness", "key_judgements", "report_card"]
INSPECTION_KINDS = ["graded", "report_card", "ungraded", "monitoring", "urgent_no_formal_designation", "other"]


def pattern_suites() -> list[Suite]:
    """Every pattern table: keys, code lists, shares within [0, 1], intervals around their
    estimates, suppression honoured, counts that add up."""
    return [
        Suite("patterns.school_attributes", "select urn, phase_group from patterns.school_attributes",
              (unique("urn"), in_set("phase_group", ["primary", "secondary", "all_through", "nursery", "special",
                                                     "alternative_provision", "other"]))),
        Suite("patterns.school_evidence",
              "select group_key || '|' || urn || '|' || view as row_key, view, outcome_band, relation_to_group, "
              "evidence_age_years, view <> 'under_group_only' or relation_to_group is distinct from "
              "'before_joining' as under_group_view_has_no_earlier_judgement from patterns.school_evidence",
              (unique("row_key"), in_set("view", ["including_inherited", "all_current", "under_group_only"]),
               in_set("outcome_band", [*BANDS, None]),
               in_set("relation_to_group", ["under_group", "before_joining", "inherited_from_predecessor", None]),
               between("evidence_age_years", 0, None, name="evidence_age_not_negative"),
               holds("under_group_view_has_no_earlier_judgement", "under_group_view_only_counts_judgements_under_group",
                     "The under_group_only view never counts a judgement made before joining"))),
        Suite("patterns.group_outcome_patterns",
              """select group_key || '|' || view || '|' || weighting as row_key, weighting, schools_left_out_of_weighting,
                        share_good_or_better, peer_share_good_or_better,
                        share_good_or_better_ci_low, share_good_or_better_ci_high, share_weak, share_stale,
                        not suppressed or (share_good_or_better is null and best_band is null
                                           and schools_with_category_of_concern is null) as suppression_honoured,
                        suppressed or abs(share_strong + share_secure + share_improvement_needed
                                          + share_serious_concern - 1) < 1e-9 as band_shares_sum_to_one
                 from patterns.group_outcome_patterns""",
              (unique("row_key"), in_set("weighting", ["schools", "pupils", "dfe"]),
               between("schools_left_out_of_weighting", 0, None, name="schools_left_out_not_negative"),
               *share("share_good_or_better", "share_weak", "share_stale", "peer_share_good_or_better"),
               ordered("share_good_or_better_ci_low", "share_good_or_better", "interval_below_share",
                       "The interval's lower end is at most the share"),
               ordered("share_good_or_better", "share_good_or_better_ci_high", "interval_above_share",
                       "The interval's upper end is at least the share"),
               holds("suppression_honoured", "small_groups_suppressed",
                     "Groups below suppress_below_schools show no outcome figures"),
               holds("band_shares_sum_to_one", "band_shares_sum_to_one", "Band shares add up to 1"))),
        Suite("patterns.improvement_episodes",
              """select episode_id || '|' || horizon_years as row_key, cohort, start_band, outcome_band, outcome,
                        (cohort = 'joiner') = (group_key is not null) as joiners_have_a_group,
                        not_yet_judged = (outcome = 'not_yet_judged') as not_yet_judged_is_the_outcome,
                        outcome_date is null or (outcome_date > start_date and outcome_date <= horizon_date)
                            as evidence_within_the_horizon
                 from patterns.improvement_episodes""",
              (unique("row_key"), in_set("cohort", ["joiner", "comparison"]),
               in_set("start_band", ["improvement_needed", "serious_concern"], name="starts_from_a_weak_judgement",
                      description="Every episode starts from a weak judgement (default weak_band_rank_min)",
                      severity="WARN"),
               in_set("outcome_band", [*BANDS, None]),
               in_set("outcome", ["improved", "same", "declined", "not_yet_judged"]),
               holds("joiners_have_a_group", "joiners_have_a_group", "A joiner episode names its trust; no other does"),
               holds("not_yet_judged_is_the_outcome", "not_yet_judged_consistent",
                     "not_yet_judged is true exactly when the outcome is not_yet_judged"),
               holds("evidence_within_the_horizon", "evidence_within_the_horizon",
                     "The standing at a horizon comes from evidence after the start and by the horizon date"))),
        *[Suite(table,
                f"""select {key} as row_key, share_improved, share_improved_ci_low, share_improved_ci_high,
                           effect, effect_ci_low, effect_ci_high, share_not_yet_judged,
                           joiners_improved + joiners_not_yet_judged <= joiners as outcomes_within_joiners,
                           joiners_matched <= joiners as matched_within_joiners
                    from {table}""",
                (unique("row_key"), *share("share_improved", "share_not_yet_judged"),
                 ordered("effect_ci_low", "effect", "effect_interval_below", "The effect's lower end is at most the effect"),
                 ordered("effect", "effect_ci_high", "effect_interval_above",
                         "The effect's upper end is at least the effect"),
                 ordered("share_improved_ci_low", "share_improved", "share_interval_below", "Wilson lower end <= share"),
                 holds("outcomes_within_joiners", "outcomes_within_joiners",
                       "Improved and not-yet-judged joiners are at most all joiners"),
                 holds("matched_within_joiners", "matched_within_joiners", "Matched joiners are at most all joiners")))
          for table, key in (
              ("patterns.group_improvement", "scope || '|' || group_kind || '|' || coalesce(group_key, '')"),
              ("patterns.group_improvement_comparisons",
               "scope || '|' || coalesce(group_kind, '') || '|' || coalesce(group_key, '') || '|' || horizon_years "
               "|| '|' || comparison_pool"))],
        Suite("patterns.school_trajectories",
              """select group_key || '|' || urn as row_key, change_since_joining, dfe_years_in_group,
                        dfe_time_weight is null
                            or (dfe_time_weight between (select value from meta.settings
                                                         where key = 'eligible_min_years_in_group')
                                                    and (select value from meta.settings
                                                         where key = 'dfe_time_weight_max_years')
                                and dfe_time_weight = least(dfe_years_in_group, (select value from meta.settings
                                                             where key = 'dfe_time_weight_max_years'))
                                and dfe_weight > 0) as dfe_time_weight_follows_the_years,
                        (dfe_time_weight is null) = (dfe_weight is null) as dfe_weight_with_its_time_weight
                 from patterns.school_trajectories""",
              (unique("row_key"), in_set("change_since_joining", ["improved", "maintained", "declined", None]),
               between("dfe_years_in_group", 0, None, name="dfe_years_not_negative"),
               holds("dfe_time_weight_follows_the_years", "dfe_time_weight_follows_the_years",
                     "dfe_time_weight is NULL or the whole academic years capped at dfe_time_weight_max_years, at "
                     "least eligible_min_years_in_group (3, 4 or 5 by default), with a positive dfe_weight"),
               holds("dfe_weight_with_its_time_weight", "dfe_weight_with_its_time_weight",
                     "dfe_weight is present exactly when dfe_time_weight is"))),
        Suite("patterns.group_profile",
              "select group_key, schools, primary_schools + secondary_schools + all_through_schools + nursery_schools "
              "+ special_schools + ap_schools + other_phase_schools = schools as phases_add_up from patterns.group_profile",
              (unique("group_key"), between("schools", 1, None, name="has_open_schools"),
               holds("phases_add_up", "phase_counts_add_up", "Schools by phase add up to the schools"))),
        Suite("patterns.group_comparability",
              "select group_key, size_band, phase_mix, stratum from patterns.group_comparability",
              (unique("group_key"), not_null("stratum"),
               in_set("size_band", ["1", "2-5", "6-10", "11-25", "26+"]),
               in_set("phase_mix", ["primary", "secondary", "specialist", "mixed"]))),
        Suite("patterns.group_capacity",
              "select group_key, share_declined_since_joining, share_maintained_or_improved, "
              "share_without_evidence_under_group, share_stale_or_without_evidence, "
              "share_maintained_or_improved_time_weighted, share_maintained_or_improved_dfe_weighted, "
              "schools_dfe_weighted_before_and_under <= schools_judged_before_and_under as dfe_weighted_within_judged "
              "from patterns.group_capacity",
              (unique("group_key"), *share("share_declined_since_joining", "share_maintained_or_improved",
                                           "share_without_evidence_under_group", "share_stale_or_without_evidence",
                                           "share_maintained_or_improved_time_weighted",
                                           "share_maintained_or_improved_dfe_weighted"),
               holds("dfe_weighted_within_judged", "dfe_weighted_within_judged",
                     "No more schools carry the DfE-weighted share than were judged before and under the group"))),
        Suite("patterns.signal_rules", "select signal, rule from patterns.signal_rules",
              (unique("signal"), not_null("rule"))),
        Suite("patterns.group_signals",
              "select group_key || '|' || signal as row_key, signal, metric, threshold, len(evidence) as evidence_rows "
              "from patterns.group_signals",
              (unique("row_key"),
               in_set("signal", ["high_share_of_concerns", "decline_after_joining", "rapid_growth_falling_outcomes",
                                 "stale_evidence", "effective_practice"]),
               ordered("threshold", "metric", "metric_reaches_threshold", "Every flag's metric reaches its threshold"),
               between("evidence_rows", 1, None, name="every_flag_has_evidence",
                       description="Every flag lists the schools it rests on"))),
        Suite("patterns.snapshot_judgements",
              "select as_at::varchar || source_family || urn || view as row_key, outcome_band, evidence_age_years, "
              "judgement_age_years from patterns.snapshot_judgements",
              (unique("row_key"), in_set("outcome_band", [*BANDS, None]),
               between("evidence_age_years", 0, None, name="evidence_age_not_negative"),
               between("judgement_age_years", 0, None, name="judgement_age_not_negative"))),
        Suite("patterns.snapshot_era_measures",
              "select m.as_at::varchar || m.source_family || m.urn || m.view || m.measure as row_key, m.reporting_era, "
              "m.as_at <= coalesce(r.reported_until, date '9999-12-31') as within_reported_dates "
              "from patterns.snapshot_era_measures m join staging.ofsted_reporting_eras r "
              "on r.reporting_era = m.reporting_era",
              (unique("row_key"), in_set("reporting_era", REPORTING_ERAS),
               holds("within_reported_dates", "measures_only_while_their_era_is_reported",
                     "No measure is given for a date after its era stopped being reported "
                     "(no overall-effectiveness share after 31 Aug 2024)"))),
        *(Suite(table,
                f"select {key} || '|' || measure || '|' || outcome as row_key, reporting_era, share, "
                f"share_ci_low, share_ci_high, {judged} <= {population} as judged_within_schools "
                f"from {table}",
                (unique("row_key"), in_set("reporting_era", REPORTING_ERAS), *share("share"),
                 ordered("share_ci_low", "share", "interval_below_share", "The interval's lower end is at most the share"),
                 ordered("share", "share_ci_high", "interval_above_share", "The interval's upper end is at least the share"),
                 holds("judged_within_schools", "judged_within_schools", "No more schools judged than listed")))
          for table, key, judged, population in (
              ("patterns.area_outcome_shares", "as_at::varchar || source_family || view || area_level || area_code",
               "schools_judged_in_era", "schools"),
              ("patterns.group_era_patterns", "group_key || '|' || view", "schools_judged_in_era", "schools_in_group"),
              ("patterns.inspection_year_outcomes", "academic_year || '|' || reporting_era || '|' || inspection_kind",
               "inspections_with_outcome", "inspections"))),
        Suite("patterns.system_trends",
              """select as_at::varchar || source_family || group_kind || phase || region || view || measure || outcome
                            as row_key, reporting_era, share, schools_judged_in_era <= schools as judged_within_schools
                 from patterns.system_trends""",
              (unique("row_key"), in_set("reporting_era", REPORTING_ERAS), *share("share"),
               holds("judged_within_schools", "judged_within_schools", "No more schools judged in an era than listed"))),
        Suite("patterns.system_evidence",
              """select as_at::varchar || source_family || group_kind || phase || region || view as row_key, share_stale,
                        schools_with_evidence + schools_without_evidence = schools as evidence_adds_up
                 from patterns.system_evidence""",
              (unique("row_key"), *share("share_stale"),
               holds("evidence_adds_up", "evidence_counts_add_up", "Schools with and without evidence add up"))),
        Suite("sampling.sampling_frame",
              "select group_key, stratum, schools_judged <= schools as judged_within_schools from sampling.sampling_frame",
              (unique("group_key"), not_null("stratum"),
               holds("judged_within_schools", "judged_within_schools", "No more schools judged than the group has"))),
        Suite("sampling.sample_draw",
              "select period || '|' || group_key as row_key, inclusion_probability, "
              "abs(design_weight * inclusion_probability - 1) < 1e-9 as weight_is_inverse_probability "
              "from sampling.sample_draw",
              (unique("row_key"), between("inclusion_probability", 0, 1, name="inclusion_probability_in_0_1"),
               holds("weight_is_inverse_probability", "design_weight_is_inverse_probability",
                     "Each design weight is 1 / inclusion probability"))),
        Suite("sampling.sample_estimates",
              "select period || '|' || indicator as row_key, estimate, ci_low, ci_high, standard_error "
              "from sampling.sample_estimates",
              (unique("row_key"), between("standard_error", 0, None, name="standard_error_not_negative"),
               ordered("ci_low", "estimate", "interval_below_estimate", "The interval's lower end is at most the estimate"),
               ordered("estimate", "ci_high", "interval_above_estimate", "The interval's upper end is at least the estimate"))),
        Suite("staging.ofsted_school_snapshots",
              "select urn, duplicate_rows from staging.ofsted_school_snapshots",
              (not_null("urn", severity="WARN"),
               between("duplicate_rows", 1, 1, severity="WARN", name="listed_once_per_file",
                       description="A school is listed once per Ofsted file (duplicates keep their first row)"))),
    ]


def today_plus(days: int) -> Callable[[duckdb.DuckDBPyConnection], date]:
    return lambda con: date.today() + timedelta(days=days)


def drift_minimum(source: str, tolerance_env: str = "SCHOOL_GROUPS_ROW_DRIFT_TOLERANCE") -> Callable:
    """Rows the latest snapshot must at least have: the previous snapshot's, less the tolerance."""
    def minimum(con: duckdb.DuckDBPyConnection) -> int:
        tolerance = float(os.environ.get(tolerance_env, "0.25"))
        rows = con.execute(f"select _snapshot_date, count(*) from raw.{source} group by 1 order by 1 desc limit 2"
                           ).fetchall()
        return 0 if len(rows) < 2 else int(rows[1][1] * (1 - tolerance))
    return minimum


def raw_suites() -> list[Suite]:
    suites = []
    for s in SOURCES:
        latest = f"(select max(_snapshot_date) from raw.{s.name})"
        key = s.key_columns[0]
        drift = (Expect("row_count_within_drift_of_previous_snapshot", "ExpectTableRowCountToBeBetween",
                        {"min_value": drift_minimum(s.name)},
                        description="The latest snapshot has at least the previous snapshot's rows less "
                                    "the tolerance (SCHOOL_GROUPS_ROW_DRIFT_TOLERANCE, default 25%)"),) \
            if s.snapshots_comparable else ()
        suites.append(Suite(f"raw.{s.name}",
                            f'select "{key}" as key_value, _snapshot_date from raw.{s.name} where _snapshot_date = {latest}',
                            (*drift,
                             not_null("key_value"),
                             between("_snapshot_date", today_plus(-CADENCE_DAYS[s.cadence]), today_plus(1),
                                     severity="WARN", name="fresh",
                                     description=f"Latest snapshot no older than {CADENCE_DAYS[s.cadence]} days "
                                                 f"({s.cadence} source)"))))
    return suites


EXPECTATION_SUITES: tuple[Suite, ...] = (
    *raw_suites(),
    *pattern_suites(),
    Suite("raw.source_files",
          """select source, snapshot_date, snapshot_date < max(snapshot_date) over (
                 partition by source order by loaded_at rows between unbounded preceding and 1 preceding) as out_of_order
             from raw.source_files where status = 'loaded'""",
          (in_set("out_of_order", [False, None], severity="WARN", name="snapshots_loaded_in_date_order",
                  description="A snapshot older than one already loaded arrived later (files out of order)"),)),
    Suite("staging.gias_links",
          """select l.urn, l.link_urn, l.link_type, case when not exists (select 1 from staging.gias_establishments e where e.urn = l.link_urn)
                              then l.link_urn end as unknown_link_urn
             from staging.gias_links l""",
          (unique("urn", "link_urn", "link_type"), not_null("urn"), not_null("link_urn"),
           in_set("link_type", ["Successor", "Predecessor", "Predecessor - merged", "Successor - merged",
                                "Sixth Form Centre School", "Predecessor - amalgamated", "Result of Amalgamation",
                                "Successor - amalgamated", "Sixth Form Centre Link", "Successor - Split School",
                                "Predecessor - Split School", "Other", "Merged - expansion in school capacity and "
                                "changer in age range", "Merged - change in age range",
                                "Merged - expansion of school capacity", "Expansion", "Closure",
                                "Children's Centre Link", "Not applicable"], severity="WARN"),
           none_unknown("unknown_link_urn", "links_to_known_schools",
                        "Linked URNs are in edubasealldata (orphan links)", severity="WARN"))),
    Suite("staging.gias_establishments",
          "select urn, snapshot_date, open_date, close_date, fsm_percent, pupils from staging.gias_establishments",
          (unique("urn", "snapshot_date"), not_null("urn"),
           between("open_date", date(1800, 1, 1), today_plus(366), name="open_date_plausible"),
           between("close_date", date(1800, 1, 1), today_plus(366), name="close_date_plausible"),
           between("fsm_percent", 0, 100), between("pupils", 0, 5000, severity="WARN"))),
    Suite("core.schools", "select urn, valid_from, lineage_id, establishment_group from core.schools",
          (unique("urn", "valid_from"), not_null("urn"), not_null("lineage_id"),
           in_set("establishment_group", ["academy", "free_school", "la_maintained", "special",
                                          "alternative_provision", "other"]))),
    Suite("core.groups", "select group_key, group_name, group_kind, companies_house_number from core.groups",
          (unique("group_key"), not_null("group_name", severity="WARN"),
           in_set("group_kind", ["multi_academy_trust", "single_academy_trust", "secure_single_academy_trust",
                                 "local_authority", "federation", "trust", "school_sponsor", "umbrella_trust",
                                 "childrens_centres_group", "childrens_centres_collaboration", "other"]),
           Expect("companies_house_number_has_8_characters", "ExpectColumnValueLengthsToEqual",
                  {"column": "companies_house_number", "value": 8}, "WARN",
                  "Companies House numbers keep their leading zeros (a spreadsheet re-save drops them)"))),
    Suite("core.group_memberships",
          """select m.urn, m.group_key, m.how_joined,
                    case when not exists (select 1 from core.groups g where g.group_key = m.group_key)
                         then m.group_key end as unknown_group,
                    case when not exists (select 1 from core.schools s where s.urn = m.urn) then m.urn end as unknown_school
             from core.group_memberships m""",
          (not_null("urn"), not_null("group_key"),
           none_unknown("unknown_group", "memberships_to_known_groups",
                        "Every membership points at a group in core.groups"),
           none_unknown("unknown_school", "memberships_of_known_schools",
                        "Every membership is of a school in core.schools"),
           in_set("how_joined", ["converter", "sponsored", "free_school", "founding", "transfer", "maintained",
                                 "federated", "linked_sponsor"]))),
    Suite("core.school_lineage", "select urn, lineage_id, lineage_id <= urn as id_is_smallest from core.school_lineage",
          (unique("urn"), not_null("lineage_id"), in_set("id_is_smallest", [True], name="lineage_id_is_smallest_urn"))),
    Suite("core.inspections",
          "select inspection_number, inspection_start, publication_date, framework_era, overall_effectiveness, "
          "outcome_band, inspection_kind, attribution_rule from core.inspections",
          (unique("inspection_number"), not_null("inspection_start"), not_null("framework_era"),
           in_set("inspection_kind", INSPECTION_KINDS[:-1], severity="WARN", name="inspection_kinds_recognised",
                  description="Every inspection type is one the pipeline recognises (else kind 'other')"),
           not_null("attribution_rule"),
           between("inspection_start", date(2005, 1, 1), today_plus(1), name="inspection_dates_plausible"),
           between("overall_effectiveness", 1, 4),
           in_set("outcome_band", ["strong", "secure", "improvement_needed", "serious_concern", "not_graded"],
                  severity="WARN"),
           Expect("publication_after_inspection", "ExpectColumnPairValuesAToBeGreaterThanB",
                  {"column_A": "publication_date", "column_B": "inspection_start", "or_equal": True,
                   "ignore_row_if": "either_value_is_missing"}, "WARN", "Reports are published after the visit"))),
    Suite("core.school_ancestry",
          """select a.urn || '|' || a.ancestor_urn as row_key, a.generations,
                    not exists (select 1 from core.school_ancestry b where b.urn = a.ancestor_urn
                                and b.ancestor_urn = a.urn and a.generations > 0) as one_way
             from core.school_ancestry a""",
          (unique("row_key"), between("generations", 0, 10),
           holds("one_way", "ancestry_runs_one_way", "No two schools are each other's ancestor (the links name a "
                 "direction; a cycle means links that contradict each other)", severity="WARN"))),
    Suite("core.inspection_links",
          "select urn || '|' || inspection_number as row_key, link, link_rank from core.inspection_links",
          (unique("row_key"), in_set("link", ["own", "ofsted_stated", "ancestor"]), between("link_rank", 1, 3))),
    Suite("core.judgement_measures",
          """select m.inspection_number || '|' || m.measure as row_key, m.reporting_era, m.outcome,
                    list_contains(r.measures, m.measure) as measure_of_its_era
             from core.judgement_measures m join staging.ofsted_reporting_eras r on r.reporting_era = m.reporting_era""",
          (unique("row_key"), in_set("reporting_era", REPORTING_ERAS),
           in_set("outcome", ["good_or_outstanding", "below_good", "Exceptional", "Strong standard", "Expected standard",
                              "Needs attention", "Urgent improvement", "Met", "Not met"]),
           holds("measure_of_its_era", "measures_stay_in_their_era",
                 "Each judgement gives only the measures of its own reporting era"))),
    Suite("core.inspections_in_context",
          "select inspection_number, relation_to_current_body, evidence_age_years from core.inspections_in_context",
          (unique("inspection_number"),
           in_set("relation_to_current_body", ["under_group", "before_joining", "inherited_from_predecessor",
                                               "no_current_body"]),
           between("evidence_age_years", 0, None, name="evidence_age_not_negative"))),
    Suite("core.groups",
          """with mi as (
                 select distinct try_cast("Multi-academy trust UID" as integer) as trust_uid from raw.ofsted_mi_latest
                 where "Multi-academy trust UID" not in ('NULL', '')
                   and _snapshot_date = (select max(_snapshot_date) from raw.ofsted_mi_latest))
             select case when not exists (select 1 from core.groups g where g.group_uid = mi.trust_uid)
                         then mi.trust_uid end as unknown_trust_uid
             from mi""",
          (none_unknown("unknown_trust_uid", "mi_trust_uids_are_gias_groups",
                        "Trust UIDs in the latest Ofsted MI are GIAS groups", severity="WARN"),)),
)


def _resolve(value: Value, con: duckdb.DuckDBPyConnection):
    value = value(con) if callable(value) else value
    # DuckDB dates reach pandas as datetime64: compare like with like.
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def _jsonable(value):
    if value is None or (not isinstance(value, (list, tuple, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value[:EXAMPLES]]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


CHECK_STATE_DDL = """
create schema if not exists meta;
create table if not exists meta.check_state (suite varchar primary key, fingerprint varchar, results json,
                                             run_id varchar, evaluated_at timestamptz);
"""


def suite_fingerprint(suite: Suite, con: duckdb.DuckDBPyConnection) -> str:
    """Everything a suite's outcome depends on: its SQL, its expectations with their resolved
    parameters (today's date, the drift minimum...) and the content fingerprints of its inputs."""
    from .sql_models import input_fingerprint, tables_read

    parts = [suite.frame_sql]
    for exp in suite.expectations:
        parts.append(repr((exp.name, exp.gx_type, exp.severity,
                           sorted((k, repr(_resolve(v, con))) for k, v in exp.kwargs.items()))))
    parts += [input_fingerprint(con, schema, table) for schema, table in tables_read(suite.frame_sql, suite.table)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def validate_suite(suite: Suite, con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Validate every expectation; each outcome as plain data (name, passed, severity, metadata)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    frame = con.sql(suite.frame_sql).df()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (context.data_sources.add_pandas("warehouse").add_dataframe_asset(suite.table)
             .add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame}))
    outcomes = []
    for exp in suite.expectations:
        kwargs = {k: _resolve(v, con) for k, v in exp.kwargs.items()}
        outcome = batch.validate(getattr(gxe, exp.gx_type)(**kwargs), result_format={"result_format": "SUMMARY"})
        result = outcome.result or {}
        meta = {"expectation": exp.gx_type, "rows": len(frame)}
        for key in ("observed_value", "unexpected_count", "unexpected_percent"):
            if result.get(key) is not None:
                meta[key] = _jsonable(result[key])
        error = (outcome.exception_info or {}).get("exception_message") if not outcome.success else None
        if error:
            meta["error"] = str(error)[:500]
        if result.get("partial_unexpected_list"):
            meta["failing_examples"] = _jsonable(result["partial_unexpected_list"])
        outcomes.append({"name": exp.name, "passed": bool(outcome.success), "severity": exp.severity,
                         "description": exp.description, "metadata": meta})
    return outcomes


def check_result(suite: Suite, outcome: dict, reused_from: str | None) -> AssetCheckResult:
    meta = {k: MetadataValue.json(v) if isinstance(v, (list, dict)) else v for k, v in outcome["metadata"].items()}
    if reused_from:
        meta["reused_from_run"] = reused_from      # same inputs, same answer: not validated again
    return AssetCheckResult(
        asset_key=suite.asset_key, check_name=outcome["name"], passed=outcome["passed"],
        severity=AssetCheckSeverity.ERROR if outcome["severity"] == "ERROR" else AssetCheckSeverity.WARN,
        metadata=meta, description=outcome["description"])


def evaluate_suite(suite: Suite, con: duckdb.DuckDBPyConnection, run_id: str, key: str) -> list[AssetCheckResult]:
    """Validate the suite, or reuse its stored outcomes when nothing it depends on changed."""
    con.execute(CHECK_STATE_DDL)
    fingerprint = suite_fingerprint(suite, con)
    stored = con.execute("select fingerprint, results, run_id from meta.check_state where suite = ?", [key]).fetchall()
    if stored and stored[0][0] == fingerprint:
        return [check_result(suite, o, stored[0][2]) for o in json.loads(stored[0][1])]
    outcomes = validate_suite(suite, con)
    con.execute("insert or replace into meta.check_state values (?, ?, ?, ?, now())",
                [key, fingerprint, json.dumps(outcomes, default=str), run_id])
    return [check_result(suite, o, None) for o in outcomes]


def build_suite_check(suite: Suite, index: int) -> AssetChecksDefinition:
    specs = [AssetCheckSpec(exp.name, asset=suite.asset_key, description=exp.description,
                            blocking=exp.severity == "ERROR") for exp in suite.expectations]

    name = f"expectations_{suite.table.replace('.', '__')}_{index}"

    @multi_asset_check(specs=specs, name=name, description=f"Great Expectations suite for {suite.table}")
    def suite_check(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        with warehouse.get_connection() as con:
            yield from evaluate_suite(suite, con, context.run.run_id, name)

    return suite_check


def build_expectation_checks(known: set[AssetKey]) -> list[AssetChecksDefinition]:
    missing = [s.table for s in EXPECTATION_SUITES if s.asset_key not in known]
    if missing:
        raise ValueError(f"expectation suites for tables no asset produces: {missing}")
    names = [(s.table, e.name) for s in EXPECTATION_SUITES for e in s.expectations]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise ValueError(f"expectation names must be unique per table: {sorted(duplicated)}")
    return [build_suite_check(s, i) for i, s in enumerate(EXPECTATION_SUITES)]
