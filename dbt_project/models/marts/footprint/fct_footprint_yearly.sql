-- The footprint summed per year, method, stage, criterion, town and category: the figures a
-- report quotes, and the ones archived per factor set when published (see editions).
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

final as (
    select
        factor_set,
        reporting_year,
        method,
        stage,
        criterion,
        source_kind,
        town_id,
        town_name,
        device_category,
        unit,
        count(distinct item_id) as items,
        sum(value) as value,
        sum(value_min) as value_min,
        sum(value_max) as value_max
    from footprint
    group by
        factor_set,
        reporting_year,
        method,
        stage,
        criterion,
        source_kind,
        town_id,
        town_name,
        device_category,
        unit
)

select * from final
