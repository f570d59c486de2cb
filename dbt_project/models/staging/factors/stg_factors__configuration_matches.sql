with

source as (
    select * from {{ source('factors', 'configuration_matches') }}
),

renamed as (
    select
        asset_id,
        configuration_key,
        match_level
    from source
)

select * from renamed
