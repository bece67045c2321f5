"""The cluster's repeated patterns as constructs (CLUSTER.md §7b): one module per pattern."""
