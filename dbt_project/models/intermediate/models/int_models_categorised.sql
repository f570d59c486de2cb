-- Each product model as a new unit of it would be matched, for what is not yet bought (a
-- catalogue item, the replacement of a device): its device category and the keys its factors
-- are looked up by, as int_hardware_assets_categorised decides them for an asset, without the
-- asset's own CI. A model of the stock "Computer" category that its name does not decide is
-- counted as `computer_default_category` (`category_source` = `default`).
with

model_matches as (
    select * from {{ ref('stg_factors__model_matches') }}
    where device_category is not null
),

decided as (
    select
        model_id,
        model_key,
        factor_key,
        match_level as model_match_level,
        lifetime_key,
        device_category = 'computer' as is_undecided,
        case
            when device_category = 'computer' then '{{ var("computer_default_category") }}'
            else device_category
        end as device_category,
        case when device_category = 'computer' then 'default' else category_source end
            as category_source
    from model_matches
),

final as (
    select
        model_id,
        model_key,
        device_category,
        category_source,
        model_match_level,
        case when model_match_level = 'model' then factor_key end as model_factor_key,
        case
            when is_undecided
                then {{ dbt.split_part('model_key', "'|'", 1) }} || '|' || device_category
            when model_match_level = 'manufacturer_category' then factor_key
        end as manufacturer_category_key,
        lifetime_key
    from decided
)

select * from final
