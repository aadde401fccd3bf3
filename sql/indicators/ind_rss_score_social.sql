{{ config(delta='sum', measures=['numerator', 'denominator', 'support'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Mean social score over the kept surveys of P that have one.
with kept as (
    select * from {{ ref('int_rss_kept') }}
)

{{ m.aggregate('rss_score_social', 'kept', ['total', 'sex', 'age_group', 'country_of_origin'],
    m.exact_sum('score_social'), 'count(score_social)') }}
