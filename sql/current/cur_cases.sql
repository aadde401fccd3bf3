{{ config(materialized='incremental', unique_key='case_id', case_column='case_id') }}
{% import 'macros/staging.sql' as s %}
-- The current version of each cases record, kept from run to run: a nightly
-- run merges only the rows pulled since the previous transform into it
-- (`homeward run --full-refresh` rebuilds it from every raw version).
{% if is_incremental() %}
{{ s.merge_versions(this, source('new', 'cases'), 'case_id') }}
{% else %}
{{ s.current_versions(source('raw', 'cases'), 'case_id') }}
{% endif %}
