-- Climate change only, in tonnes of CO2e, per year: the view most dashboards need. Each row
-- says whether its year is complete, counted to date or future (amortisation already booked).
with

yearly as (
    select * from {{ ref('fct_footprint_yearly') }}
),

final as (
    select
        yearly.reporting_year,
        yearly.year_status,
        yearly.as_of_date,
        yearly.method,
        yearly.stage,
        yearly.source_kind,
        yearly.town_id,
        yearly.town_name,
        yearly.device_category,
        yearly.factor_set,
        yearly.items,
        yearly.value / 1000 as tco2e,
        yearly.value_min / 1000 as tco2e_min,
        yearly.value_max / 1000 as tco2e_max,
        'tCO2e' as unit
    from yearly
    where yearly.criterion = 'climate_change'
)

select * from final
