-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Kept surveys of each period: for each returnee case, only its latest
-- survey in the period (greatest survey_date, then greatest survey_id).
-- When that survey has no score for a dimension, the case does not count
-- for it in that period: there is no fall-back to an earlier survey.
--
-- The latest survey is found on narrow rows (case, id, date) with max()
-- over `date || id` (the date as fixed-width text, so the text order is the
-- (date, id) order), then joined back to its scores: a window over the
-- placed surveys would sort every score column too (at 1 M cases that
-- took 10 s).
with placed as (
    select
    r.*,
    pt.period_type,
    case pt.period_type
        when 'month' then strftime(r.survey_date, '%Y-%m')
        when 'quarter' then concat(strftime(r.survey_date, '%Y'), '-Q', cast(cast(date_part('quarter', r.survey_date) as bigint) as varchar))
        when 'year' then strftime(r.survey_date, '%Y')
        else 'to_date'
    end as period,
    case pt.period_type
        when 'month' then cast(date_trunc('month', r.survey_date) as date)
        when 'quarter' then cast(date_trunc('quarter', r.survey_date) as date)
        when 'year' then cast(date_trunc('year', r.survey_date) as date)
    end as period_start,
    case pt.period_type
        when 'month' then cast(cast(date_trunc('month', r.survey_date) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', r.survey_date) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', r.survey_date) as date) + interval '1 year' - interval '1 day' as date)
        else date '2026-06-30'
    end as period_end
from (select case_id, survey_id, survey_date from int_rss_scores) r
cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
where r.survey_date is not null and r.survey_date <= date '2026-06-30'
),

latest as (
    select
        case_id,
        period_type,
        period,
        period_start,
        period_end,
        max(concat(strftime(survey_date, '%Y-%m-%d'), survey_id)) as kept_key
    from placed
    group by case_id, period_type, period, period_start, period_end
),

final as (
    select
        s.*,
        l.period_type,
        l.period,
        l.period_start,
        l.period_end
    from latest l
    join int_rss_scores s on s.survey_id = substr(l.kept_key, 11)
)

select * from final
