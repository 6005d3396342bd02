"""CLI commands, one module per capability, each exposing ``register(app)``."""
