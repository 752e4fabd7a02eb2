-- core.school_ancestry: what a row is, its columns and its checks are in school_ancestry.yml beside this file.
with recursive edges as (
    select distinct parent, child from (
        select link_urn as parent, urn as child from staging.gias_links
        where link_type ilike 'predecessor%' and link_type not ilike '%split%'
        union all
        select urn, link_urn from staging.gias_links
        where link_type ilike 'successor%' and link_type not ilike '%split%'
    )
    where parent is not null and child is not null and parent <> child
),
walk(urn, ancestor_urn, generations) as (
    select child, parent, 1 from edges
    union
    select w.urn, e.parent, w.generations + 1
    from walk w join edges e on e.child = w.ancestor_urn
    where w.generations < 10
),
urns as (
    select urn from staging.gias_establishments
    union
    select child from edges
    union
    select parent from edges
)
select urn, urn as ancestor_urn, 0 as generations from urns
union all
select urn, ancestor_urn, min(generations) as generations
from walk
where ancestor_urn <> urn
group by urn, ancestor_urn
