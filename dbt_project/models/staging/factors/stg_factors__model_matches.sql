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
        lifetime_key,
        -- How the device category was found: 'model_category', 'model_name', or 'undecided'
        -- (device_category 'computer': the stock "Computer" category; decided per asset).
        category_source
    from source
)

select * from renamed
