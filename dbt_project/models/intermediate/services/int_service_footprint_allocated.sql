-- The footprint of each business service (DESIGN.md, "Allocation to services"): every row of a
-- server (its embodied share, use, transport and contracts) goes to the services depending on
-- it by their share. What no service claims (end-user devices, unclaimed servers, trips...)
-- is the row with no service, so the services and that row add up to fct_footprint.
-- A table of its own: at L its 45 million groups, joined to the services in the same
-- statement, ran out of DuckDB's 2GB; the mart joins this table instead (docs/performance.md,
-- "The eighth run").
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

servers as (
    select * from {{ ref('int_service_servers_shared') }}
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

-- Each server's sums shared between its services; the sums of no server go whole to the row
-- with no service. This sum reads the servers' sums, not the fact table's rows.
final as (
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
)

select * from final
