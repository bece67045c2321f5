-- Quick Summary of All Restored Databases
-- Run this in pgadmin against the postgres database

\echo '=== Recovery Database Summary ==='
\echo ''

SELECT 
    datname as database,
    pg_size_pretty(pg_database_size(datname)) as size,
    (SELECT COUNT(*) 
     FROM pg_stat_user_tables 
     WHERE schemaname = 'public' 
     AND pg_stat_user_tables.schemaname IN 
         (SELECT nspname FROM pg_namespace WHERE nspname = 'public')
    ) as table_count
FROM pg_database
WHERE datname IN ('keycloak', 'n8n', 'oura')
ORDER BY datname;

\echo ''
\echo '=== Connection Info ==='
\echo 'Host: postgres-recovery-service.postgres-recovery.svc.cluster.local'
\echo 'Port: 5432'
\echo 'User: postgres'
\echo 'Databases: keycloak, n8n, oura'
