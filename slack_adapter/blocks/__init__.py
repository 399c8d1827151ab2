"""Block Kit rendering of the core's view models, one module per feature."""
