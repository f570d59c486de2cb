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

-- One pass over the fact table (690 million rows at L): the rows of each server a service
-- claims summed per server, and every other row summed together (asset_id null).
server_totals as (
    select
        claimed.asset_id,
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit,
        sum(footprint.value) as value,
        sum(footprint.value_min) as value_min,
        sum(footprint.value_max) as value_max
    from footprint
    left join claimed on footprint.asset_id = claimed.asset_id
    group by
        claimed.asset_id,
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit
),

-- Each server's sums shared between its services; the sums of no server go whole to the
-- unallocated row (service_id null). This sum has a group per service, year, method and
-- criterion (45 million at L), so it reads the servers' sums, not the fact table's rows. At L,
-- joined to the services in the same statement, it still runs out of DuckDB's 2GB
-- (docs/performance.md, "The seventh night").
shares as (
    select
        server_totals.reporting_year,
        server_totals.method,
        server_totals.criterion,
        server_totals.unit,
        servers.service_id,
        sum(server_totals.value * coalesce(servers.share, 1)) as value,
        sum(server_totals.value_min * coalesce(servers.share, 1)) as value_min,
        sum(server_totals.value_max * coalesce(servers.share, 1)) as value_max
    from server_totals
    left join servers on server_totals.asset_id = servers.asset_id
    group by
        server_totals.reporting_year,
        server_totals.method,
        server_totals.criterion,
        server_totals.unit,
        servers.service_id
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
