-- One row per judgement (graded inspection or report card) x measure of its reporting era:
-- the outcome on that era's own scale. Key: (inspection_number, measure). Overall
-- effectiveness eras (to 31 Aug 2024): measure overall_effectiveness, outcome
-- good_or_outstanding (grade 1-2) or below_good (3-4). 2024/25 (no overall grade): one row
-- per key judgement (quality_of_education, behaviour_and_attitudes, personal_development,
-- leadership_and_management), same outcomes, as Ofsted publishes them. Report cards: one row
-- per evaluation area with its grade on the five-point scale, and safeguarding_standards Met or
-- Not met; areas a school has no grade for (early years, post-16, "Not applicable") are left
-- out. Frameworks are never put on one scale here: compare outcomes only within a
-- reporting_era.
with judgements as (
    select i.*, r.measures
    from core.inspections i
    join staging.ofsted_reporting_eras r on r.reporting_era = i.reporting_era
    where i.is_judgement
),
unpivoted as (
    select inspection_number, reporting_era, unnest(measures) as measure,
           unnest(case reporting_era
               when 'overall_effectiveness' then [overall_effectiveness::varchar]
               when 'key_judgements' then [quality_of_education::varchar, behaviour_and_attitudes::varchar,
                                           personal_development::varchar, leadership_and_management::varchar]
               else [rc_inclusion, rc_curriculum_and_teaching, rc_achievement, rc_attendance_and_behaviour,
                     rc_personal_development_and_wellbeing, rc_leadership_and_governance, rc_safeguarding_standards]
               end) as value
    from judgements
)
select inspection_number, reporting_era, measure,
       case when reporting_era = 'report_card' then value
            when value::integer <= 2 then 'good_or_outstanding' else 'below_good' end as outcome
from unpivoted
where value is not null and value <> 'Not applicable'
