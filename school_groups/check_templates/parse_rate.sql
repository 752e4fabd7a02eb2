-- The `parse_rate:` check of a spec: specs.py writes one branch per listed column of the raw table
-- (its parser macro applied to its published text); the threshold is filled in when the check runs.
-- One row per file and column where more than parse_failure_share_max of the values given (not blank,
-- not a statistical marker such as NULL or SUPP) cannot be read.
with given as (
{branches}
)
select file, column_name, count(*) filter (where unreadable) as unreadable, count(*) as given,
       round(100 * count(*) filter (where unreadable) / count(*), 1) || '%' as unreadable_share,
       any_value(raw_value) filter (where unreadable) as example, round(100 * {{parse_failure_share_max}}, 1) || '%' as share_max
from given
group by file, column_name
having count(*) filter (where unreadable) > {{parse_failure_share_max}} * count(*)
order by file, column_name
