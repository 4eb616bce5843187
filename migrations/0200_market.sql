-- Market data: securities, partitioned OHLCV bars, latest quotes, benchmarks and FX rates.
-- market.market_data is partitioned by month on ts; its children and default partition are made by
-- `tradebase partitions ensure` (registered in 0210), which `tradebase migrate` runs at its end.
-- depends: 0001_foundation
set local role tradebase_owner;

create table market.securities (
    id uuid primary key default gen_random_uuid(),
    symbol text not null,
    name text not null,
    asset_type text not null,
    exchange text,
    currency text not null default 'USD',
    isin text,
    sector text,
    industry text,
    lot_size app.quantity not null default 1,
    fractionable boolean not null default true,
    is_active boolean not null default true,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint securities_symbol_uk unique (symbol),
    constraint securities_symbol_is_upper_case_ticker_ck check (symbol ~ '^[A-Z0-9^][A-Z0-9.:/=_^-]{0,31}$'),
    constraint securities_name_not_blank_ck check (btrim(name) <> ''),
    constraint securities_asset_type_known_ck check (
        asset_type in ('stock', 'etf', 'mutual_fund', 'bond', 'crypto', 'forex', 'commodity')
    ),
    constraint securities_currency_is_iso_code_ck check (currency ~ '^[A-Z]{3}$'),
    constraint securities_isin_format_ck check (isin ~ '^[A-Z]{2}[A-Z0-9]{9}[0-9]$'),
    constraint securities_lot_size_positive_ck check (lot_size > 0),
    constraint securities_metadata_is_object_ck check (jsonb_typeof(metadata) = 'object')
);
comment on table market.securities is 'Every tradable instrument (the seeds'' assets/securities); symbol is unique.';
comment on column market.securities.symbol is 'Upper-case ticker, e.g. AAPL, BRK.B, BTC-USD, EUR/USD, ^GSPC.';
comment on column market.securities.currency is 'ISO 4217 code (three upper-case letters) prices are quoted in.';
comment on column market.securities.isin is 'International Securities Identification Number, when known.';
comment on column market.securities.lot_size is 'Smallest tradable quantity step for non-fractionable trading.';
comment on column market.securities.fractionable is 'Whether fractional quantities may be traded.';
comment on column market.securities.is_active is 'Inactive securities keep their history but take no new prices.';
comment on column market.securities.metadata is 'Free-form attributes (fundamentals, market cap, provider ids).';
create index securities_asset_type_exchange_ix on market.securities (asset_type, exchange);
create index securities_sector_industry_ix on market.securities (sector, industry);

create table market.quotes (
    security_id uuid primary key,
    price app.price not null,
    bid app.price,
    ask app.price,
    volume app.quantity,
    quoted_at timestamptz not null,
    constraint quotes_security_fk foreign key (security_id) references market.securities (id) on delete cascade,
    constraint quotes_price_positive_ck check (price > 0),
    constraint quotes_bid_positive_ck check (bid > 0),
    constraint quotes_ask_positive_ck check (ask > 0),
    constraint quotes_bid_not_above_ask_ck check (bid <= ask),
    constraint quotes_volume_not_negative_ck check (volume >= 0)
);
comment on table market.quotes is
'The latest price per security (the seeds'' market_data_cache), written by api.record_price.';
comment on column market.quotes.price is 'Last traded (or reference) price.';
comment on column market.quotes.volume is 'Volume reported with the latest price, if any.';
comment on column market.quotes.quoted_at is 'When the latest price was observed; older prices never overwrite it.';
create index quotes_quoted_at_ix on market.quotes (quoted_at);

create table market.market_data (
    security_id uuid not null,
    timeframe text not null,
    ts timestamptz not null,
    open app.price not null,
    high app.price not null,
    low app.price not null,
    close app.price not null,
    volume app.quantity not null default 0,
    bid app.price,
    ask app.price,
    vwap app.price,
    constraint market_data_pk primary key (security_id, timeframe, ts),
    constraint market_data_security_fk foreign key (security_id) references market.securities (id),
    constraint market_data_timeframe_known_ck check (timeframe in ('1m', '5m', '15m', '1h', '1d', '1w', '1mo')),
    constraint market_data_prices_positive_ck check (open > 0 and high > 0 and low > 0 and close > 0),
    constraint market_data_high_is_highest_ck check (high >= greatest(open, close, low)),
    constraint market_data_low_is_lowest_ck check (low <= least(open, close)),
    constraint market_data_volume_not_negative_ck check (volume >= 0),
    constraint market_data_bid_ask_positive_ck check (bid > 0 and ask > 0 and bid <= ask),
    constraint market_data_vwap_within_range_ck check (vwap between low and high)
) partition by range (ts);
comment on table market.market_data is
'OHLCV bars per security and timeframe, partitioned by month on ts (children made by tradebase partitions ensure).';
comment on column market.market_data.timeframe is 'Bar length: 1m, 5m, 15m, 1h, 1d, 1w or 1mo.';
comment on column market.market_data.ts is 'Start of the bar, UTC.';
comment on column market.market_data.vwap is 'Volume-weighted average price of the bar, when the source gives it.';
comment on column market.market_data.bid is 'Best bid at the bar''s close, when the source gives it.';
comment on column market.market_data.ask is 'Best ask at the bar''s close, when the source gives it.';

create table market.benchmarks (
    id uuid primary key default gen_random_uuid(),
    symbol text not null,
    name text not null,
    benchmark_type text not null default 'index',
    category text,
    security_id uuid,
    composition jsonb not null default '{}'::jsonb,
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint benchmarks_symbol_uk unique (symbol),
    constraint benchmarks_security_fk foreign key (security_id) references market.securities (id),
    constraint benchmarks_name_not_blank_ck check (btrim(name) <> ''),
    constraint benchmarks_type_known_ck check (benchmark_type in ('index', 'etf', 'composite', 'custom')),
    constraint benchmarks_composition_is_object_ck check (jsonb_typeof(composition) = 'object')
);
comment on table market.benchmarks is
'Benchmarks funds and accounts are compared with; returns come from the bars of security_id.';
comment on column market.benchmarks.security_id is 'The security whose bars give the benchmark''s prices.';
comment on column market.benchmarks.composition is 'Constituents and weights of a composite benchmark.';
create index benchmarks_security_ix on market.benchmarks (security_id);
create index benchmarks_type_category_ix on market.benchmarks (benchmark_type, category);

create table market.fx_rates (
    base_currency text not null,
    quote_currency text not null,
    as_of timestamptz not null,
    rate app.price not null,
    constraint fx_rates_pk primary key (base_currency, quote_currency, as_of),
    constraint fx_rates_base_is_iso_code_ck check (base_currency ~ '^[A-Z]{3}$'),
    constraint fx_rates_quote_is_iso_code_ck check (quote_currency ~ '^[A-Z]{3}$'),
    constraint fx_rates_pair_differs_ck check (base_currency <> quote_currency),
    constraint fx_rates_rate_positive_ck check (rate > 0)
);
comment on table market.fx_rates is
'Exchange rates: 1 base_currency = rate quote_currency from as_of on; market.convert reads them.';
comment on column market.fx_rates.rate is
'Units of quote_currency per base_currency (app.price: rates like USD/IDR exceed app.rate''s range).';

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB020', 'security_inactive', 'The security is inactive and takes no new prices or orders.',
    'Reactivate the security (market.securities.is_active) or use another symbol.'
);
