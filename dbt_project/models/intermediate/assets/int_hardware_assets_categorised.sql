-- Each asset's device category and the keys its factors are looked up by, from the factor
-- library's model matches (factors/README.md). The stock model category "Computer" holds
-- laptops and desktops alike: for its models the library gives `computer` (or what the model's
-- name says), and each asset is decided here from what the CMDB says of it, most specific
-- first: the form factor of its configuration item (`alm_hardware.ci`), then the model's name,
-- then the configured default (`computer_default_category`). `category_source` says which.
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

model_matches as (
    select * from {{ ref('stg_factors__model_matches') }}
),

computers as (
    select * from {{ ref('stg_servicenow__computers') }}
),

form_factors as (
    select
        lower(form_factor) as form_factor_key,
        device_category
    from {{ ref('computer_form_factors') }}
),

matched as (
    select
        assets.asset_id,
        model_matches.model_key,
        model_matches.device_category as model_device_category,
        model_matches.category_source as model_category_source,
        model_matches.factor_key,
        coalesce(model_matches.match_level, 'unmapped') as model_match_level,
        model_matches.lifetime_key,
        form_factors.device_category as form_factor_category
    from assets
    left join model_matches on assets.model_id = model_matches.model_id
    left join computers on assets.configuration_item_id = computers.computer_id
    left join form_factors on lower(trim(computers.form_factor)) = form_factors.form_factor_key
),

decided as (
    select
        *,
        case
            when model_category_source = 'model_category' then 'model_category'
            when
                model_category_source in ('model_name', 'undecided')
                and form_factor_category is not null
                then 'form_factor'
            when model_category_source = 'model_name' then 'model_name'
            when model_device_category = 'computer' then 'default'
            when model_device_category is not null then 'model_category'
        end as category_source
    from matched
),

categorised as (
    select
        *,
        case category_source
            when 'form_factor' then form_factor_category
            when 'default' then '{{ var("computer_default_category") }}'
            else model_device_category
        end as device_category
    from decided
),

final as (
    select
        asset_id,
        model_key,
        device_category,
        category_source,
        model_match_level,
        case when model_match_level = 'model' then factor_key end as model_factor_key,
        -- The manufacturer's median for the category: the library's key, or, for an asset
        -- whose category was decided here, the manufacturer's key for that category.
        case
            when category_source in ('form_factor', 'default')
                then {{ dbt.split_part('model_key', "'|'", 1) }} || '|' || device_category
            when model_match_level = 'manufacturer_category' then factor_key
        end as manufacturer_category_key,
        lifetime_key
    from categorised
)

select * from final
