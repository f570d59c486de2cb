with

source as (
    select * from {{ source('factors', 'parameters') }}
),

renamed as (
    select
        parameter_id,
        data_set,
        factor_set,
        scope,
        key as parameter_key,
        parameter,
        value,
        value_min,
        value_max,
        unit,
        source as source_title,
        source_year,
        valid_from,
        valid_to,
        precedence,
        quality,
        flag
    from source
)

select * from renamed
