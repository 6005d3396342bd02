"""``kg fetch``: the reference sources, downloaded from their publishers as pinned in ``manifest.toml``."""
