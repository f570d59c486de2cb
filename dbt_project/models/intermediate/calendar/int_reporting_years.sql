-- Every year a footprint can be reported on, 1950 to 2149, in plain SQL any engine runs.
with

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

years as (
    select 1950 + hundreds.digit * 100 + tens.digit * 10 + units.digit as reporting_year
    from digits as hundreds
    cross join digits as tens
    cross join digits as units
    where hundreds.digit < 2
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
