-- fct_footprint summed per server a service claims (DESIGN.md, "Allocation to services"),
-- every other row (end-user devices, unclaimed servers, trips...) summed together with no
-- asset. One pass over the fact table (690 million rows at L) into a table of its own: in one
-- statement with the sharing between services that reads it, the two aggregations ran out of
-- DuckDB's 2GB at L (docs/performance-log.md, "The ninth run").
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

claimed as (
    select distinct asset_id from {{ ref('int_service_servers_shared') }}
),

final as (
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
)

select * from final
