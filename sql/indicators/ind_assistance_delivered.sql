{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Delivered assistance records (returnees and community members) in P.
with delivered as (select * from {{ ref('int_delivered_assistance') }})

{{ m.rollup('assistance_delivered', 'delivered', ['total', 'dimension', 'assistance_type', 'channel'], 'count(*)', date_col='delivered_on') }}
