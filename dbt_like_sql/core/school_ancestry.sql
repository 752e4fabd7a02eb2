-- One row per school (URN) and each URN whose judgements it can inherit: itself (generations
-- 0) and its ancestors through directed GIAS links. Key: (urn, ancestor_urn). A link row
-- (URN, LinkURN, LinkType) names what LinkURN is to URN: "Predecessor..." makes LinkURN an
-- ancestor of URN, "Successor..." makes URN an ancestor of LinkURN (conversion, merger,
-- amalgamation, re-brokering). Links that name no direction (Result of Amalgamation,
-- Merged - ..., Expansion, Closure, Other, sixth-form links) give no ancestry, and neither does
-- a split ("... - Split School"): a split school's judgement describes neither part. So a
-- judgement of school X can count for school Y only if X is an ancestor of Y, never for a
-- sibling; patterns.snapshot_judgements and patterns.school_evidence also refuse an inherited
-- judgement that two schools open on the same date would both claim. Cycles in the links are
-- cut after ten generations.
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
