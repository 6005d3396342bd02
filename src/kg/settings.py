"""Runtime settings, read from the environment (prefix ``KG_``) or given explicitly.

No instance is built at import time: the CLI builds one at its edge and passes it down, and tests
build their own with ``Settings(store=tmp_path / "store", ...)``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Root of the source checkout (``src/kg/settings.py`` -> repository root).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Every knob of the project, each overridable by an environment variable ``KG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    # Where things live.
    project_root: Path = PROJECT_ROOT
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="RDF the project writes.")
    ontology_dir: Path = Field(
        default=PROJECT_ROOT / "ontology", description="Ontology, shapes, SKOS."
    )
    queries_dir: Path = Field(default=PROJECT_ROOT / "queries", description="Named SPARQL queries.")
    store: Path | None = Field(
        default=PROJECT_ROOT / "var" / "store",
        description="On-disk Oxigraph store; None means an in-memory store (tests).",
    )
    reference_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "reference",
        description="Where `kg fetch` puts the reference sources `kg import all` reads.",
    )
    quarantine_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "quarantine",
        description="Rejected inputs and their SHACL reports are kept here.",
    )

    # Identity of the published dataset.
    base_iri: str = Field(
        default="https://w3id.org/kgci/",
        description="Base of every IRI the project mints; the server resolves IRIs under it.",
    )

    dumps_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "dumps",
        description="Where `kg export` writes the dumps the server publishes under /dumps/.",
    )

    # Ingestion limits.
    max_file_size: int = Field(
        default=16 * 2**30, description="Largest input file, bytes (a guard against mistakes)."
    )

    # Endpoint.
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(default=30.0, description="Time limit of one query, seconds.")
    update_timeout: float = Field(
        default=60.0, gt=0, description="Time limit of an update's evaluation, seconds."
    )
    max_rows: int = Field(default=10_000, description="Maximum rows of one SELECT result.")
    max_query_length: int = Field(default=20_000, description="Maximum length of a query, chars.")
    max_body: int = Field(default=1_000_000, description="Maximum request body, bytes.")
    update_token: str | None = Field(
        default=None, description="Bearer token that enables SPARQL Update; unset = read-only."
    )
    cors_origins: list[str] = Field(default=["*"], description="Origins allowed by CORS.")
    service_allowlist: list[str] = Field(
        default=[], description="SERVICE endpoints a query may call; empty = SERVICE refused."
    )
    header_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a client may take to send its request headers."
    )
    body_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a client may take to send a request body."
    )
    keep_alive_timeout: float = Field(
        default=5.0, gt=0, description="Seconds an idle keep-alive connection stays open."
    )
    max_connections: int = Field(
        default=200, ge=1, description="Connections served at once; more get 503 (uvicorn)."
    )
    query_memory: int = Field(
        default=3 * 1024**3,
        ge=0,
        description="Address space each query worker may use, bytes (RLIMIT_AS; 0 = no cap). "
        "The default, 3 GiB, keeps KG_QUERY_WORKERS_MAX=6 workers within a 24 GB host.",
    )
    query_isolation: bool = Field(
        default=True,
        description="Run query workers in a network namespace without interfaces (Linux) when "
        "no SERVICE endpoint is allowed; off only to test the query gate on its own.",
    )
    query_workers: int = Field(
        default=0,
        ge=0,
        description="Worker processes running SPARQL queries (time-limited); 0: one per CPU, "
        "at least 2 (kg.web.pool_size).",
    )
    query_workers_max: int = Field(
        default=0,
        ge=0,
        description="Query workers started at most when all others are stuck on long queries; "
        "0: three per CPU.",
    )
