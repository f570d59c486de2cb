with

source as (
    select * from {{ source('factors', 'model_matches') }}
),

renamed as (
    select
        model_id,
        model_key,
        device_category,
        factor_key,
        match_level,
        lifetime_key
    from source
)

select * from renamed
