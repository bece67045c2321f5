"""The cluster's apps: one module per app, each one `AppConstruct` subclass."""
