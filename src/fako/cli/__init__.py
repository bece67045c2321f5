"""The `fako` command line: one module per command, errors caught once in `main`."""
