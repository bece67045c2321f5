-- Keycloak Database Verification Queries
-- Run these in pgadmin to verify data restoration

\echo '=== Keycloak Database Row Counts ==='
\echo ''

-- List all tables with row counts
SELECT 
    schemaname,
    tablename,
    n_live_tup as row_count
FROM pg_stat_user_tables
WHERE schemaname = 'public'
ORDER BY n_live_tup DESC;

\echo ''
\echo '=== Key Tables Summary ==='
\echo ''

-- Key table counts
SELECT 'realm' as table_name, COUNT(*) as row_count FROM realm
UNION ALL
SELECT 'user_entity', COUNT(*) FROM user_entity
UNION ALL
SELECT 'client', COUNT(*) FROM client
UNION ALL
SELECT 'role_entity', COUNT(*) FROM keycloak_role
UNION ALL
SELECT 'groups', COUNT(*) FROM keycloak_group
ORDER BY row_count DESC;

\echo ''
\echo '=== Database Size ==='
SELECT pg_size_pretty(pg_database_size('keycloak')) as database_size;
