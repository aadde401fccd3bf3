{{ config(materialized='incremental', unique_key='case_id', case_column='case_id') }}
{% import 'macros/staging.sql' as s %}
-- The current version of each cases record, kept from run to run. A nightly
-- run returns only the rows that change it (the current versions among the
-- rows pulled since the previous transform that win over the kept ones);
-- they replace the kept rows of their key (README, Incremental models).
-- `homeward run --full-refresh` rebuilds it from every raw version.
{% if is_incremental() %}
{{ s.changed_versions(this, source('new', 'cases'), 'case_id') }}
{% else %}
{{ s.current_versions(source('raw', 'cases'), 'case_id') }}
{% endif %}
