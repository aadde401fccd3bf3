{{ config(delta='rows') }}
-- Each returnee's reintegration start (indicators.md): the earliest
-- delivered economic, social or psychosocial assistance, with the case's
-- fields. Materialised once: ind_reintegration_started reads it once per
-- breakdown, and the minimum and the join were computed again each time.
with starts as (
    select case_id, min(delivered_on) as started_on
    from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and dimension in ('economic', 'social', 'psychosocial')
    group by case_id
),

final as (
    select c.*, s.started_on
    from starts s
    join {{ ref('stg_cases') }} c on c.case_id = s.case_id
)

select * from final
