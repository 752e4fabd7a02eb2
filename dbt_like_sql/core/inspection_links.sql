-- core.inspection_links: what a row is, its columns and its checks are in inspection_links.yml beside this file.
with evidence as (
    select i.inspection_number, i.urn_at_inspection, i.current_urn, i.inspection_start, i.inspection_kind,
           i.is_judgement, i.framework_era, i.reporting_era, i.outcome_band
    from core.inspections i
    join staging.ofsted_inspection_kinds k on k.inspection_kind = i.inspection_kind
    where k.is_recency_evidence and i.inspection_start is not null
      and (not i.is_judgement or band_rank(i.outcome_band) is not null)
),
links as (
    select urn_at_inspection as urn, *, 1 as link_rank, 'own' as link from evidence
    union all
    select current_urn, *, 2, 'ofsted_stated' from evidence
    where current_urn is not null and urn_at_inspection is distinct from current_urn
    union all
    select a.urn, e.*, 3, 'ancestor'
    from evidence e join core.school_ancestry a on a.ancestor_urn = e.urn_at_inspection and a.generations > 0
)
select * from links
where urn is not null
qualify row_number() over (partition by urn, inspection_number order by link_rank) = 1
