{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Kept surveys of P with an overall score: those at or above the threshold
-- (tolerance 1e-9) over all of them.
with kept as (
    select * from {{ ref('int_rss_kept') }} where score_overall is not null
)

{{ m.aggregate('rss_sustainable_rate', 'kept', ['total', 'sex', 'age_group', 'country_of_origin'],
    'sum(case when score_overall >= ' ~ threshold ~ ' - 1e-9 then 1 else 0 end)', 'count(*)',
    numerator_key='sum(case when score_overall >= ' ~ threshold ~ ' - 1e-9 then record_key else 0 end)',
    denominator_key='sum(record_key)') }}
