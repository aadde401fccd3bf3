-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each case, with the derived fields of indicators.md:
-- age at the reference date (return date, else first delivered assistance),
-- age group, countries or 'unknown', and the vulnerability set ('none' when
-- empty). The date of birth does not leave this model.
with current_rows as (
    select * from cur_cases
),

first_delivery as (
    select case_id, min(delivered_on) as first_delivered_on
    from stg_assistance
    where status = 'delivered' and delivered_on <= date '2026-06-30'
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
        (((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 1, 1)) as bigint) - 48) % 39) * 268435456 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 2, 1)) as bigint) - 48) % 39) * 16777216 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 3, 1)) as bigint) - 48) % 39) * 1048576 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 4, 1)) as bigint) - 48) % 39) * 65536 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 5, 1)) as bigint) - 48) % 39) * 4096 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 6, 1)) as bigint) - 48) % 39) * 256 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 7, 1)) as bigint) - 48) % 39) * 16 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', case_id)), 8, 1)) as bigint) - 48) % 39) * 1) as record_key,
        project_code,
        beneficiary_type,
        sex,
        case when age_years between 0 and 120 then age_years end as age,
        case
            when age_years is null or age_years < 0 or age_years > 120 then 'unknown'
            when age_years < 18 then '0-17'
            when age_years < 25 then '18-24'
            when age_years < 35 then '25-34'
            when age_years < 50 then '35-49'
            else '50+'
        end as age_group,
        coalesce(country_of_origin, 'unknown') as country_of_origin,
        coalesce(host_country, 'unknown') as host_country,
        return_programme,
        admin1,
        return_date,
        case
            when vulnerabilities is null or len(vulnerabilities) = 0 then list_value('none')
            else vulnerabilities
        end as vulnerability_list,
        case_status,
        reintegration_completed_on,
        updated_at
    from aged
)

select * from final
