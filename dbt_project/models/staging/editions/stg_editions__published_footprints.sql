with

source as (
    select * from {{ source('editions', 'published_footprints') }}
),

renamed as (
    select
        factor_set,
        cast(published_at as timestamp) as published_at,
        reporting_year,
        method,
        stage,
        criterion,
        source_kind,
        town_id,
        town_name,
        device_category,
        unit,
        value
    from source
)

select * from renamed
