-- raw.source_files: the manifest. One row per (source, snapshot_date): which file stood for
-- that snapshot, where it came from, its SHA-256 and size, when it was fetched and loaded,
-- how it was decoded and which published column layout (era) it matched.
-- status: 'loaded', or 'unchanged' when its bytes equal an already loaded snapshot
-- (same_as_snapshot), in which case nothing was reloaded.
create schema if not exists raw;
create table if not exists raw.source_files (
    source            varchar not null,
    snapshot_date     date not null,
    file_name         varchar not null,
    origin            varchar not null,   -- URL (live) or file path (mirror, sample)
    mode              varchar not null,   -- live | mirror | sample
    sha256            varchar not null,
    bytes             bigint not null,
    fetched_at        timestamptz not null,
    loaded_at         timestamptz,
    status            varchar not null,
    same_as_snapshot  date,
    rows              bigint,
    encoding          varchar,
    header_line       integer,
    era               varchar,
    missing_columns   varchar[],
    added_columns     varchar[],
    header            varchar[],          -- the header exactly as published, in order
    run_id            varchar,
    repairs           json,               -- what reading changed: padded rows, a spilled last column rejoined (rows listed)
    primary key (source, snapshot_date)
);
-- a warehouse made before repairs were recorded
alter table raw.source_files add column if not exists repairs json;
