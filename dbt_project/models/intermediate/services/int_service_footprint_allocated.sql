-- The footprint of each business service (DESIGN.md, "Allocation to services"): every row of a
-- server (its embodied share, use, transport and contracts) goes to the services depending on
-- it by their share. What no service claims (end-user devices, unclaimed servers, trips...)
-- is the row with no service, so the services and that row add up to fct_footprint.
-- It reads the per-server sums of int_service_server_totals, each aggregation a statement of
-- its own; the mart joins this table (docs/performance-log.md, "The eighth run" to "The tenth
-- run").
with

server_totals as (
    select * from {{ ref('int_service_server_totals') }}
),

servers as (
    select * from {{ ref('int_service_servers_shared') }}
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
