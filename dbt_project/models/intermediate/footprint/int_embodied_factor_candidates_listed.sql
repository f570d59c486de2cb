{{ config(materialized='view') }}
-- The factors that could give each asset's embodied impact, most specific first (DESIGN.md,
-- "Embodied impact"): its CMDB configuration (Boavizta), its model, its manufacturer's median
-- for the category, the category default.
with

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

configuration_matches as (
    select * from {{ ref('stg_factors__configuration_matches') }}
),

final as (
    select
        asset_id,
        'configuration' as match_level,
        1 as match_rank,
        configuration_key as factor_key
    from configuration_matches
    union all
    select
        asset_id,
        'model' as match_level,
        2 as match_rank,
        model_factor_key as factor_key
    from assets
    where model_factor_key is not null
    union all
    select
        asset_id,
        'manufacturer_category' as match_level,
        3 as match_rank,
        manufacturer_category_key as factor_key
    from assets
    where manufacturer_category_key is not null
    union all
    select
        asset_id,
        'category' as match_level,
        4 as match_rank,
        device_category as factor_key
    from assets
    where device_category is not null
)

select * from final
