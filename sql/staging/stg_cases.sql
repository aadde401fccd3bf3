{{ config(delta='rows') }}
{% import 'macros/disclosure.sql' as d %}{% import 'macros/staging.sql' as s %}
-- Current version of each case, with the derived fields of indicators.md:
-- age at the reference date (return date, else first delivered assistance),
-- age group, countries or 'unknown', and the vulnerability set ('none' when
-- empty). The date of birth does not leave this model.
with current_rows as (
    select * from {{ ref('cur_cases') }}
),

first_delivery as (
    select case_id, min(delivered_on) as first_delivered_on
    from {{ ref('stg_assistance') }}
    where status = 'delivered' and delivered_on <= date '{{ as_of }}'
    group by case_id
),

referenced as (
    select
        c.*,
        coalesce(c.return_date, f.first_delivered_on) as age_reference_on
    from current_rows c
    left join first_delivery f on f.case_id = c.case_id
),

aged as (
    select
        *,
        -- Completed years: month and day compared, so 29 February birthdays
        -- fall on 1 March in other years.
        case
            when date_of_birth is null or age_reference_on is null then null
            else cast(date_part('year', age_reference_on) - date_part('year', date_of_birth) as bigint)
                - case
                    when date_part('month', age_reference_on) * 100 + date_part('day', age_reference_on)
                        < date_part('month', date_of_birth) * 100 + date_part('day', date_of_birth)
                    then 1 else 0
                end
        end as age_years
    from referenced
),

final as (
    select
        case_id,
        -- A dense number per case for this run only (not stable between
        -- runs, never published): models that deduplicate millions of
        -- (case, period) rows key them by 8 bytes instead of the
        -- 64-character pseudonym.
        row_number() over (order by case_id) as case_key,
        -- The case's record key for disclosure control (docs/disclosure.md):
        -- stable from night to night, secret without the key.
        {{ d.record_key('case_id') }} as record_key,
        project_code,
        beneficiary_type,
        sex,
        case when age_years between 0 and 120 then age_years end as age,
        {{ s.age_group('age_years') }} as age_group,
        coalesce(country_of_origin, 'unknown') as country_of_origin,
        coalesce(host_country, 'unknown') as host_country,
        return_programme,
        admin1,
        return_date,
        case
            when vulnerabilities is null or cardinality(vulnerabilities) = 0 then make_array('none')
            else vulnerabilities
        end as vulnerability_list,
        case_status,
        reintegration_completed_on,
        updated_at
    from aged
)

select * from final
