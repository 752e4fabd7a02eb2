"""Worlds of the improvement simulation study (studies/improvement_simulation.py): the models'
inputs copied once from a warehouse, and every inspection's outcome band (and, for the selection
world, the memberships) drawn again from a known model, from hashes of (world seed, tag, key).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from school_groups.sql_runner import create_macros

# inputs of the three models, copied once from the warehouse
INPUTS = {
    "core.inspections_in_context": "select * from {src}",
    "core.inspections": "select * from {src}",
    "core.inspection_links": "select * from {src}",
    "core.schools": "select * from {src}",
    "core.group_memberships": "select * from {src}",
    "core.school_ancestry": "select * from {src}",
    "core.groups": "select * from {src}",
    "patterns.school_attributes": "select * from {src}",
    "patterns.school_evidence": "select distinct group_key from {src}",
    "meta.settings": "select * from {src}",
}


def uniform(seed: int, tag: str, key: str) -> str:
    """SQL for a uniform (0, 1) number fixed by (seed, tag, key)."""
    return f"((hash({seed}::varchar || '|{tag}|' || {key}) % 1000000007) + 0.5) / 1000000007.0"


def normal(seed: int, tag: str, key: str) -> str:
    return (f"(sqrt(-2 * ln({uniform(seed, tag + 'a', key)})) * cos(2 * pi() * {uniform(seed, tag + 'b', key)}))")


def load(warehouse: Path, overrides: dict[str, float] | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as src (read_only)")
    for table, select in INPUTS.items():
        schema = table.split(".")[0]
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {table} as " + select.format(src="src." + table))
    # trusts with enough joiners for a comparison to have power: where the planted decliners go
    con.execute("""create table study_candidates as
        select group_key, count(*) as joiners from src.patterns.improvement_episodes
        where cohort = 'joiner' and reached_horizon and group_kind = 'multi_academy_trust'
          and horizon_years = (select value from src.meta.settings where key = 'improvement_primary_horizon_years')
        group by group_key having count(*) >= 6""")
    con.execute("detach src")
    con.execute("create table core.memberships_as_built as select * from core.group_memberships")
    for table in ("inspections_in_context", "inspections", "inspection_links"):
        con.execute(f"create table core.{table}_as_built as select * from core.{table}")
    for key, value in (overrides or {}).items():
        if not con.execute("select count(*) from meta.settings where key = ?", [key]).fetchall()[0][0]:
            raise SystemExit(f"--set {key}: no such setting in meta.settings")
        con.execute("update meta.settings set value = ? where key = ?", [value, key])
    # the study reads the primary horizon only
    con.execute("""update meta.settings set value = (select value from meta.settings
                                                     where key = 'improvement_primary_horizon_years')
                   where key in ('improvement_horizon_min_years', 'improvement_horizon_max_years')""")
    create_macros(con)
    return con


SCHOOL_LEVELS = {
    # independent of everything in the mirror
    "independent": "0.3 + 0.8 * {z}",
    # tied to the school's first judgement in the mirror: in the generator, weak schools were the ones
    # sponsored, so joining then depends on a level the matching fields see only through two judgements
    "first-judgement": "coalesce(0.5 * n.level + 0.15, 0.3) + 0.6 * {z}",
}
school_level = "independent"   # which of SCHOOL_LEVELS; improvement_simulation.main sets it (--school-level)


def draw_world(con, seed: int, effects: dict[str, float], system_effect: float, send_to_sponsors: bool) -> None:
    """Draw every standing again: the outcome bands of core.inspections_in_context, core.inspections (and
    its overall effectiveness) and core.inspection_links; for selection, the memberships too."""
    con.execute("create or replace table core.group_memberships as select * from core.memberships_as_built")
    if send_to_sponsors:
        send(con, seed)
    con.execute("create or replace temp table effects (group_key varchar, beta double)")
    if effects:
        con.executemany("insert into effects values (?, ?)", list(effects.items()))
    trust = "m.group_kind in ('multi_academy_trust', 'single_academy_trust')"
    con.execute(f"""
        create or replace temp table drawn_bands as
        with fsm as (
            select quantile_cont(fsm_percent, 0.333333333333) as low, quantile_cont(fsm_percent, 0.666666666667) as high
            from patterns.school_attributes
        ),
        first_judgement as (
            select a.lineage_id, arg_min(case e.outcome_band when 'strong' then 1.4 when 'secure' then 0.3
                                              when 'improvement_needed' then -0.9 when 'serious_concern' then -1.7 end,
                                         (e.inspection_start, e.inspection_number)) as level
            from core.inspections_in_context_as_built e
            join patterns.school_attributes a on a.urn = e.urn_at_inspection
            where e.inspection_kind in ('graded', 'report_card')
            group by a.lineage_id
        ),
        school as (
            select a.urn, {SCHOOL_LEVELS[school_level].format(z=normal(seed, 'school', 'a.lineage_id::varchar'))}
                   + case when a.fsm_percent < f.low then 0.15 when a.fsm_percent >= f.high then -0.15 else 0 end as a
            from patterns.school_attributes a cross join fsm f
            left join first_judgement n on n.lineage_id = a.lineage_id
        ),
        lift as (
            -- the effect of the trust the school was in that day, growing over 900 days
            select e.inspection_number,
                   sum((coalesce(x.beta, 0) + case when {trust} then {system_effect} else 0 end)
                       * least(1.0, date_diff('day', m.valid_from, e.inspection_start) / 900.0)) as lift
            from core.inspections_in_context_as_built e
            join core.group_memberships m on m.urn = e.urn_at_inspection and m.valid_from <= e.inspection_start
                                          and (m.valid_to is null or m.valid_to > e.inspection_start)
            left join effects x on x.group_key = m.group_key
            group by e.inspection_number
        ),
        drawn as (
            select e.*, coalesce(s.a, 0.3) + coalesce(l.lift, 0)
                        + 0.6 * {normal(seed, 'noise', 'e.inspection_number')} as q
            from core.inspections_in_context_as_built e
            left join school s on s.urn = e.urn_at_inspection
            left join lift l on l.inspection_number = e.inspection_number
        )
        select inspection_number,
               case when q > 1.2 then 'strong' when q > -0.6 then 'secure'
                    when q > -1.4 then 'improvement_needed' else 'serious_concern' end as outcome_band
        from drawn
        where inspection_kind in ('graded', 'report_card', 'ungraded')   -- monitoring visits keep theirs
    """)
    for table in ("inspections_in_context", "inspection_links", "inspections"):
        overall = (", case when t.overall_effectiveness is not null then band_rank(d.outcome_band) "
                   "else t.overall_effectiveness end as overall_effectiveness") if table == "inspections" else ""
        con.execute(f"""create or replace table core.{table} as
            select t.* replace (coalesce(d.outcome_band, t.outcome_band) as outcome_band {overall})
            from core.{table}_as_built t left join drawn_bands d using (inspection_number)""")


def send(con, seed: int) -> None:
    """The 2016 rule: a school judged in the worst band that never joined a trust joins a sponsor."""
    con.execute(f"""
        insert into core.group_memberships (urn, group_key, group_kind, is_responsible_body, valid_from, valid_to,
                                            how_joined, joined_date_published, start_date_known)
        with sponsors as (
            select group_key, row_number() over (order by group_key) - 1 as i, count(*) over () as n
            from core.groups where group_kind = 'multi_academy_trust'
        ),
        never as (
            select e.urn_at_inspection as urn, min(e.inspection_start) as judged
            from core.inspections_in_context_as_built e
            where e.outcome_band = 'serious_concern' and e.inspection_kind = 'graded'
              and not exists (select 1 from core.school_ancestry a join core.memberships_as_built m on m.urn = a.urn
                              where a.ancestor_urn = e.urn_at_inspection
                                and m.group_kind in ('multi_academy_trust', 'single_academy_trust'))
            group by all
        )
        select v.urn, s.group_key, 'multi_academy_trust', true,
               cast(v.judged + to_days(cast(90 + 210 * {uniform(seed, 'when', 'v.urn::varchar')} as integer)) as date),
               null, 'sponsored', false, true
        from never v
        join sponsors s on s.i = cast(floor({uniform(seed, 'who', 'v.urn::varchar')} * s.n) as integer)
    """)
