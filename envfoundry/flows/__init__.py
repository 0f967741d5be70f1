"""Flows: Prefect orchestration only; the domain logic lives in the other packages."""
