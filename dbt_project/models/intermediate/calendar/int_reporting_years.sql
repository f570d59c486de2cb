-- Every year a footprint can be reported on, 2000 to 2099, in plain SQL any engine runs.
with

digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

years as (
    select 2000 + tens.digit * 10 + units.digit as reporting_year
    from digits as tens
    cross join digits as units
),

final as (
    select
        reporting_year,
        {{ year_start('reporting_year') }} as year_starts_on,
        {{ year_start('reporting_year + 1') }} as next_year_starts_on
    from years
    where reporting_year >= {{ var('first_reporting_year') }}
)

select * from final
