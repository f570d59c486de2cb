-- The share of its order's transport each line bears (the sharing key, documented): by weight
-- where every line's model has a weight, else by item (each unit carried counts one). A line
-- naming an asset passes its share to that asset.
with

lines as (
    select * from {{ ref('stg_servicenow__transfer_order_lines') }}
),

models as (
    select * from {{ ref('stg_servicenow__models') }}
),

carried as (
    select
        lines.transfer_order_line_id,
        lines.transfer_order_id,
        lines.asset_id,
        lines.model_id,
        -- What arrived when the order was received, else what was asked for; at least one.
        greatest(
            coalesce(nullif(lines.quantity_received, 0), lines.quantity_requested, 1), 1
        ) as quantity,
        case when models.weight_kg > 0 then models.weight_kg end as unit_weight_kg
    from lines
    left join models on lines.model_id = models.model_id
),

keyed as (
    select
        *,
        -- Weight only when every line of the order has one.
        count(*) over (partition by transfer_order_id)
        = count(unit_weight_kg) over (partition by transfer_order_id) as is_weighed
    from carried
),

final as (
    select
        transfer_order_line_id,
        transfer_order_id,
        asset_id,
        model_id,
        quantity,
        unit_weight_kg,
        case when is_weighed then 'weight' else 'item' end as sharing_key,
        case
            -- Weights are exact decimals (pounds × 0.45359237): their quotient is taken in
            -- doubles, as DuckDB divides decimals (Spark would keep a decimal, rounded to its
            -- scale).
            when is_weighed
                then
                    cast(quantity * unit_weight_kg as {{ type_double() }})
                    / cast(
                        sum(quantity * unit_weight_kg) over (partition by transfer_order_id)
                        as {{ type_double() }}
                    )
            else
                cast(quantity as {{ type_double() }})
                / sum(quantity) over (partition by transfer_order_id)
        end as share
    from keyed
)

select * from final
