-- One row per URN known to GIAS (in any establishments snapshot or in the links) with the lineage it
-- belongs to: URNs joined by predecessor/successor links (conversions, mergers,
-- amalgamations, splits) form one lineage, whatever the direction. Key: urn.
-- lineage_id is the smallest URN of the lineage, stable as long as no older URN joins it.
-- Sixth-form-centre and "Other" links do not make a school a successor. A label for browsing
-- a school's family only: which judgements may count for a school follows the directed
-- core.school_ancestry (a predecessor's, never a sibling's).
with recursive succession as (
    select urn, link_urn
    from staging.gias_links
    where link_type ilike 'predecessor%' or link_type ilike 'successor%' or link_type ilike 'merged%'
       or link_type in ('Result of Amalgamation', 'Expansion', 'Closure')
),
edges as (
    select urn as a, link_urn as b from succession
    union
    select link_urn, urn from succession
),
walk(urn, reached) as (
    select a, a from edges
    union
    select w.urn, e.b from walk w join edges e on e.a = w.reached
),
linked as (
    select urn, min(reached) as lineage_id, count(distinct reached) as lineage_size
    from walk
    group by urn
),
all_urns as (
    select urn from staging.gias_establishments
    union
    select urn from linked
)
select
    u.urn,
    coalesce(l.lineage_id, u.urn) as lineage_id,
    coalesce(l.lineage_size, 1) as lineage_size
from all_urns u
left join linked l on l.urn = u.urn
