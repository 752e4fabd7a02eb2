-- core.school_lineage: what a row is, its columns and its checks are in school_lineage.yml beside this file.
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
