-- Where each asset is: the country whose grid powers it (its site's, else its town's, else
-- `default_country_code`), and whether its site is a data centre (DESIGN.md, "Use": decided
-- by the site, not the category). A site is a data centre when it, or the site it belongs to,
-- is listed in `data_centre_locations` (a sys_id, or a name pattern: `%datacenter%`), or has a
-- PUE of its own in the factor set (parameter `pue`, scope `datacentre`, key its sys_id). A
-- scenario may move a site's assets to another (lever `relocations`, macros/scenario_levers.sql).
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
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

own_pue_sites as (
    select distinct parameter_key as location_id
    from {{ ref('stg_factors__parameters') }}
    where parameter = 'pue' and scope = 'datacentre' and parameter_key != 'default'
),

data_centres as (
    select locations.location_id
    from locations
    where
        locations.location_id in (select own_pue_sites.location_id from own_pue_sites)
        {%- for entry in var('data_centre_locations') %}
            or locations.location_id = '{{ entry | replace("'", "''") }}'
            or lower(locations.location_name) like lower('{{ entry | replace("'", "''") }}')
        {%- endfor %}
),

relocations as (
    {{ scenario_lever_rows('relocations') }}
),

-- Scenario lever: the assets of a site count as being at another (the first of the sites the
-- pattern names). No row in the nightly build.
moved as (
    select
        assets.asset_id,
        min(targets.location_id) as location_id
    from assets
    inner join locations as origins on assets.location_id = origins.location_id
    inner join relocations
        on {{ matches_site('origins.location_id', 'origins.location_name',
            'relocations.from_location') }}
    inner join locations as targets
        on {{ matches_site('targets.location_id', 'targets.location_name',
            'relocations.to_location') }}
    group by assets.asset_id
),

placed as (
    select
        assets.asset_id,
        assets.town_id,
        coalesce(moved.location_id, assets.location_id) as location_id
    from assets
    left join moved on assets.asset_id = moved.asset_id
),

final as (
    select
        assets.asset_id,
        assets.location_id,
        coalesce(
            location_countries.country_code,
            company_countries.country_code,
            '{{ var("default_country_code") }}'
        ) as country_code,
        -- False when neither the site nor the town names a known country: the default is used.
        coalesce(location_countries.country_code, company_countries.country_code) is not null
            as has_known_country,
        -- The data centre whose PUE applies: the site itself, or the site it belongs to (a room).
        coalesce(site_centres.location_id, parent_centres.location_id) as data_centre_id,
        coalesce(site_centres.location_id, parent_centres.location_id) is not null
            as is_in_data_centre
    from placed as assets
    left join locations on assets.location_id = locations.location_id
    left join data_centres as site_centres on assets.location_id = site_centres.location_id
    left join data_centres as parent_centres
        on locations.parent_location_id = parent_centres.location_id
    left join country_codes as location_countries
        on upper(trim(locations.country)) = location_countries.country_key
    left join companies on assets.town_id = companies.company_id
    left join country_codes as company_countries
        on upper(trim(companies.country)) = company_countries.country_key
)

select * from final
