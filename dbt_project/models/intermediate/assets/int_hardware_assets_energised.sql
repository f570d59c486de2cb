-- Each asset's annual energy (model figure, else category default), the PUE that applies to it
-- and the country of its site, the inputs of the use phase.
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

categorised as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

country_codes as (
    select
        upper(country_name) as country_key,
        country_code
    from {{ ref('country_codes') }}
),

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
),

energy_candidates as (
    select
        categorised.asset_id,
        parameters.value,
        parameters.value_min,
        parameters.value_max,
        case when parameters.scope = 'model' then 'model' else 'category' end as match_level,
        row_number() over (
            partition by categorised.asset_id
            order by
                case when parameters.scope = 'model' then 0 else 1 end,
                parameters.precedence asc,
                parameters.valid_from desc
        ) as candidate_rank
    from categorised
    inner join parameters
        on
            parameters.parameter = 'annual_energy_kwh'
            and (
                (parameters.scope = 'model' and categorised.model_key = parameters.parameter_key)
                or (
                    parameters.scope = 'category'
                    and categorised.device_category = parameters.parameter_key
                )
            )
),

default_pue as (
    select value
    from parameters
    where parameter = 'pue' and scope = 'datacentre' and parameter_key = 'default'
    order by precedence asc, valid_from desc
    limit 1
),

site_pue as (
    select
        parameter_key as location_id,
        value,
        row_number() over (
            partition by parameter_key order by precedence asc, valid_from desc
        ) as candidate_rank
    from parameters
    where parameter = 'pue' and scope = 'datacentre' and parameter_key != 'default'
),

final as (
    select
        assets.asset_id,
        energy_candidates.value as annual_energy_kwh,
        energy_candidates.value_min as annual_energy_kwh_min,
        energy_candidates.value_max as annual_energy_kwh_max,
        energy_candidates.match_level,
        case
            when
                categorised.device_category in (
                    {%- for category in var('data_centre_categories') %}
                        '{{ category }}'{{ "," if not loop.last }}
                    {%- endfor %}
                )
                then coalesce(site_pue.value, (select default_pue.value from default_pue))
            else 1.0
        end as pue,
        coalesce(
            location_countries.country_code,
            company_countries.country_code,
            '{{ var("default_country_code") }}'
        ) as country_code,
        -- False when neither the site nor the town names a known country: the default is used.
        coalesce(location_countries.country_code, company_countries.country_code) is not null
            as has_known_country
    from assets
    inner join categorised on assets.asset_id = categorised.asset_id
    inner join energy_candidates
        on
            assets.asset_id = energy_candidates.asset_id
            and energy_candidates.candidate_rank = 1
    left join site_pue
        on assets.location_id = site_pue.location_id and site_pue.candidate_rank = 1
    left join locations on assets.location_id = locations.location_id
    left join country_codes as location_countries
        on upper(trim(locations.country)) = location_countries.country_key
    left join companies on assets.town_id = companies.company_id
    left join country_codes as company_countries
        on upper(trim(companies.country)) = company_countries.country_key
)

select * from final
