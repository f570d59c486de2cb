-- Each counted contract's spend spread over its active days (DESIGN.md, "Agent trips and
-- maintenance"): reporting year Y receives spend × (days of Y in [starts_on, ends_on]) / (days
-- in [starts_on, ends_on]). The spend is the contract's total cost; a cancelled contract's is
-- what its expense lines paid, active until its last payment.
with

contracts as (
    select * from {{ ref('int_contracts_kinded') }}
    where is_counted
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

spent as (
    select
        contract_id,
        money_factor_key,
        starts_on,
        case
            when contract_state = 'cancelled' then least(coalesce(last_paid_on, ends_on), ends_on)
            else ends_on
        end as ends_on,
        case
            when contract_state = 'cancelled' then paid_amount
            else coalesce(total_cost, paid_amount)
        end as spend
    from contracts
),

periods as (
    select
        spent.contract_id,
        spent.money_factor_key,
        spent.spend,
        spent.starts_on,
        {{ add_days('spent.ends_on', 1) }} as ends_before,
        years.reporting_year,
        greatest(spent.starts_on, years.year_starts_on) as period_starts_on,
        least({{ add_days('spent.ends_on', 1) }}, years.next_year_starts_on) as period_ends_on
    from spent
    inner join years
        on
            spent.starts_on < years.next_year_starts_on
            and spent.ends_on >= years.year_starts_on
    where spent.ends_on >= spent.starts_on
),

final as (
    select
        contract_id,
        reporting_year,
        money_factor_key,
        spend,
        {{ days_between('period_starts_on', 'period_ends_on') }} as active_days,
        {{ days_between('starts_on', 'ends_before') }} as contract_days,
        spend * {{ days_between('period_starts_on', 'period_ends_on') }}
        / cast({{ days_between('starts_on', 'ends_before') }} as {{ type_double() }})
            as year_spend
    from periods
)

select * from final
