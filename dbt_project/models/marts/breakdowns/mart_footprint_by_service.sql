-- The footprint per business service (DESIGN.md, "Allocation to services"): every row of a
-- server (its embodied share, use, transport and contracts) goes to the services depending on
-- it by their share; per user and per request follow. What no service claims (end-user
-- devices, unclaimed servers, trips...) is the explicit unallocated row, so the services and
-- the unallocated row add up to fct_footprint.
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

servers as (
    select * from {{ ref('int_service_servers_shared') }}
),

services as (
    select * from {{ ref('dim_services') }}
),

requests as (
    select * from {{ ref('int_service_requests_counted') }}
),

claimed as (
    select distinct asset_id from servers
),

allocated as (
    select
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit,
        servers.service_id,
        sum(footprint.value * servers.share) as value,
        sum(footprint.value_min * servers.share) as value_min,
        sum(footprint.value_max * servers.share) as value_max
    from footprint
    inner join servers on footprint.asset_id = servers.asset_id
    group by
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit,
        servers.service_id
),

unallocated as (
    select
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit,
        cast(null as {{ dbt.type_string() }}) as service_id,
        sum(footprint.value) as value,
        sum(footprint.value_min) as value_min,
        sum(footprint.value_max) as value_max
    from footprint
    left join claimed on footprint.asset_id = claimed.asset_id
    where claimed.asset_id is null
    group by footprint.reporting_year, footprint.method, footprint.criterion, footprint.unit
),

shares as (
    select * from allocated
    union all
    select * from unallocated
),

final as (
    select
        shares.reporting_year,
        shares.method,
        shares.criterion,
        shares.unit,
        shares.service_id,
        coalesce(services.service_name, 'Unallocated') as service_name,
        shares.service_id is null as is_unallocated,
        services.company_id,
        services.company_name,
        services.servers,
        services.users,
        coalesce(requests.requests, 0) as requests,
        shares.value,
        shares.value_min,
        shares.value_max,
        shares.value / nullif(services.users, 0) as value_per_user,
        shares.value / nullif(requests.requests, 0) as value_per_request
    from shares
    left join services on shares.service_id = services.service_id
    left join requests
        on
            shares.service_id = requests.service_id
            and shares.reporting_year = requests.reporting_year
)

select * from final
