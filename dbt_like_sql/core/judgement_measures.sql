-- core.judgement_measures: what a row is, its columns and its checks are in judgement_measures.yml beside this file.
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
