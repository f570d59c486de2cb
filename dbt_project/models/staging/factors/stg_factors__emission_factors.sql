with

source as (
    select * from {{ source('factors', 'emission_factors') }}
),

renamed as (
    select
        factor_id,
        data_set,
        edition,
        factor_set,
        scope,
        key as factor_key,
        stage,
        criterion,
        value,
        value_min,
        value_max,
        unit,
        source as source_title,
        source_url,
        source_year,
        valid_from,
        valid_to,
        region,
        is_last_resort,
        precedence,
        -- 'primary' (the item's own figure), 'secondary' (an average), 'proxy' (another item's).
        quality,
        -- null, 'upstream_outlier', 'negative_in_source', or 'not_covered' (no value: the
        -- source does not cover this stage and criterion for this key).
        flag
    from source
)

select * from renamed
