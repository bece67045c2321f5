-- Oura Database Verification Queries
-- Run these in pgadmin to verify data restoration

\echo '=== Oura Database Row Counts ==='
\echo ''

-- List all tables with row counts
SELECT 
    tablename,
    n_live_tup as row_count
FROM pg_stat_user_tables
WHERE schemaname = 'public'
ORDER BY n_live_tup DESC;

\echo ''
\echo '=== Key Tables Summary ==='
\echo ''

-- Key table counts (adjust table names based on actual schema)
SELECT 
    table_name,
    (xpath('/row/cnt/text()', xml_count))[1]::text::int as row_count
FROM (
    SELECT 
        table_name,
        query_to_xml(format('SELECT COUNT(*) as cnt FROM %I', table_name), false, true, '') as xml_count
    FROM information_schema.tables
    WHERE table_schema = 'public' 
    AND table_type = 'BASE TABLE'
) t
ORDER BY row_count DESC;

\echo ''
\echo '=== Database Size ==='
SELECT pg_size_pretty(pg_database_size('oura')) as database_size;
