"""Cluster definitions: `fako.clusters.<name>.CLUSTER` is what `fako synth --cluster <name>` renders."""
