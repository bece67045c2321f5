-- N8N Database Verification Queries
-- Run these in pgadmin to verify data restoration

\echo '=== N8N Database Row Counts ==='
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

-- Key table counts
SELECT 'workflows' as table_name, COUNT(*) as row_count FROM workflow_entity
UNION ALL
SELECT 'executions', COUNT(*) FROM execution_entity
UNION ALL
SELECT 'credentials', COUNT(*) FROM credentials_entity
UNION ALL
SELECT 'tags', COUNT(*) FROM tag_entity
UNION ALL
SELECT 'variables', COUNT(*) FROM variables
ORDER BY row_count DESC;

\echo ''
\echo '=== Database Size ==='
SELECT pg_size_pretty(pg_database_size('n8n')) as database_size;
