-- How far the figures can be trusted, per source and year, in one long table: one row per
-- measure × source × table (or source kind) × year × detail.
--   landing:    landed_rows and delete_markers (by year of extraction), rejected_rows and
--               flagged_cells (by reason), quarantined_batches and quarantined_rows (by stage);
--   footprint:  climate change under the amortised method, per reporting year and source kind:
--               `footprint` (with its range) and what it rests on: footprint_on_category_defaults,
--               footprint_on_proxies, footprint_on_money_ratios, footprint_on_default_grid,
--               footprint_on_fallback_factors (value and share of the year's footprint);
--               rows_on_fallback_factors (every criterion and method, by fallback);
--               assets_by_match_level; items_not_covered (at the as-of year, by stage,
--               criterion and reason).
with

landed as (
    select * from {{ ref('stg_landing__landed_rows') }}
),

rejects as (
    select * from {{ ref('stg_landing__rejects') }}
),

quarantined as (
    select * from {{ ref('stg_landing__quarantined_batches') }}
),

footprint as (
    select * from {{ ref('fct_footprint') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
),

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

gaps as (
    select * from {{ ref('fct_footprint_gaps') }}
),

-- The measures each quarantined batch and each year's footprint give a row of.
quarantine_measures as (
    select 'quarantined_batches' as measure
    union all
    select 'quarantined_rows' as measure
),

footprint_measure_names as (
    select 'footprint' as measure
    union all
    select 'footprint_on_category_defaults' as measure
    union all
    select 'footprint_on_proxies' as measure
    union all
    select 'footprint_on_money_ratios' as measure
    union all
    select 'footprint_on_default_grid' as measure
    union all
    select 'footprint_on_fallback_factors' as measure
),

landing_measures as (
    select
        source_name,
        table_name,
        {{ year_of('extracted_at') }} as reporting_year,
        case when is_delete_marker then 'delete_markers' else 'landed_rows' end as measure,
        cast(null as {{ dbt.type_string() }}) as detail,
        count(*) as value,
        'rows' as unit
    from landed
    group by source_name, table_name, {{ year_of('extracted_at') }}, is_delete_marker
    union all
    select
        source_name,
        table_name,
        {{ year_of('rejected_at') }} as reporting_year,
        case when is_row_rejected then 'rejected_rows' else 'flagged_cells' end as measure,
        reason as detail,
        case
            when is_row_rejected
                then count(
                    distinct batch_id || '/' || cast(row_number as {{ dbt.type_string() }})
                )
            else count(*)
        end as value,
        case when is_row_rejected then 'rows' else 'cells' end as unit
    from rejects
    group by source_name, table_name, {{ year_of('rejected_at') }}, is_row_rejected, reason
    union all
    select
        quarantined.source_name,
        quarantined.table_name,
        {{ year_of('quarantined.quarantined_at') }} as reporting_year,
        quarantine_measures.measure,
        quarantined.quarantine_stage as detail,
        case quarantine_measures.measure
            when 'quarantined_batches' then count(*)
            else sum(quarantined.row_count)
        end as value,
        case quarantine_measures.measure
            when 'quarantined_batches' then 'batches'
            else 'rows'
        end as unit
    from quarantined
    cross join quarantine_measures
    group by
        quarantined.source_name,
        quarantined.table_name,
        {{ year_of('quarantined.quarantined_at') }},
        quarantine_measures.measure,
        quarantined.quarantine_stage
),

-- The climate footprint's rows with what they rest on.
climate as (
    select
        footprint.reporting_year,
        footprint.source_kind,
        footprint.value,
        footprint.value_min,
        footprint.value_max,
        -- A device matched by its category for want of its model; an activity (a trip, a
        -- contract) is matched by its kind or mode by design, which is no default.
        footprint.source_kind = 'hardware_asset'
        and footprint.match_level = 'category' as is_category_default,
        coalesce(factors.quality = 'proxy', false) as is_proxy,
        coalesce(factors.scope = 'money', false) as is_money_ratio,
        footprint.match_level in ('default_country', 'region') as is_default_grid,
        footprint.factor_fallback is not null as is_fallback
    from footprint
    left join factors on footprint.factor_id = factors.factor_id
    where footprint.criterion = 'climate_change' and footprint.method = 'amortised'
),

bases as (
    select
        reporting_year,
        source_kind,
        sum(value) as footprint,
        sum(value_min) as footprint_min,
        sum(value_max) as footprint_max,
        sum(case when is_category_default then value else 0 end) as on_category_defaults,
        sum(case when is_proxy then value else 0 end) as on_proxies,
        sum(case when is_money_ratio then value else 0 end) as on_money_ratios,
        sum(case when is_default_grid then value else 0 end) as on_default_grid,
        sum(case when is_fallback then value else 0 end) as on_fallback_factors
    from climate
    group by reporting_year, source_kind
),

footprint_measures as (
    select
        bases.reporting_year,
        bases.source_kind,
        measures.measure,
        case measures.measure
            when 'footprint' then bases.footprint
            when 'footprint_on_category_defaults' then bases.on_category_defaults
            when 'footprint_on_proxies' then bases.on_proxies
            when 'footprint_on_money_ratios' then bases.on_money_ratios
            when 'footprint_on_default_grid' then bases.on_default_grid
            else bases.on_fallback_factors
        end as value,
        case when measures.measure = 'footprint' then bases.footprint_min end as value_min,
        case when measures.measure = 'footprint' then bases.footprint_max end as value_max,
        bases.footprint
    from bases
    cross join footprint_measure_names as measures
),

fallback_rows as (
    select
        reporting_year,
        source_kind,
        factor_fallback,
        count(*) as fallback_rows
    from footprint
    where factor_fallback is not null
    group by reporting_year, source_kind, factor_fallback
),

matched_assets as (
    select
        footprint.reporting_year,
        assets.match_level,
        count(distinct footprint.item_id) as items
    from footprint
    inner join assets on footprint.item_id = assets.asset_id
    where footprint.source_kind = 'hardware_asset'
    group by footprint.reporting_year, assets.match_level
),

final as (
    select
        reporting_year,
        source_name,
        table_name,
        measure,
        detail,
        cast(value as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as value_min,
        cast(null as {{ type_double() }}) as value_max,
        unit,
        cast(null as {{ type_double() }}) as share_of_footprint
    from landing_measures
    union all
    select
        reporting_year,
        'footprint' as source_name,
        source_kind as table_name,
        measure,
        cast(null as {{ dbt.type_string() }}) as detail,
        value,
        value_min,
        value_max,
        'kgCO2e' as unit,
        value / nullif(footprint, 0) as share_of_footprint
    from footprint_measures
    union all
    select
        reporting_year,
        'footprint' as source_name,
        source_kind as table_name,
        'rows_on_fallback_factors' as measure,
        factor_fallback as detail,
        cast(fallback_rows as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as value_min,
        cast(null as {{ type_double() }}) as value_max,
        'rows' as unit,
        cast(null as {{ type_double() }}) as share_of_footprint
    from fallback_rows
    union all
    select
        reporting_year,
        'footprint' as source_name,
        'hardware_asset' as table_name,
        'assets_by_match_level' as measure,
        match_level as detail,
        cast(items as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as value_min,
        cast(null as {{ type_double() }}) as value_max,
        'assets' as unit,
        cast(null as {{ type_double() }}) as share_of_footprint
    from matched_assets
    union all
    select
        {{ year_of(as_of_date()) }} as reporting_year,
        'footprint' as source_name,
        source_kind as table_name,
        'items_not_covered' as measure,
        stage || ' ' || criterion || ': ' || gap_reason as detail,
        cast(sum(items) as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as value_min,
        cast(null as {{ type_double() }}) as value_max,
        'items' as unit,
        cast(null as {{ type_double() }}) as share_of_footprint
    from gaps
    group by source_kind, stage, criterion, gap_reason
)

select * from final
