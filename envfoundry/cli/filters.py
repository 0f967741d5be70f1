"""The one parsing path for task filters given on the command line (tasks, envs, export).

Every command that filters tasks turns its options into a :class:`TaskFilter` here, so
``--difficulty``, ``--status``, ``--family``, ``--run-id`` and ``--env`` accept the same
values and reject bad ones with the same one-line error everywhere.
"""

from __future__ import annotations

from typing import Any, TypeVar

from envfoundry.errors import ConfigError
from envfoundry.models import TaskStatus
from envfoundry.storage import TaskFilter

F = TypeVar("F", bound=TaskFilter)

STATUS_HELP = "Only this status: proposed, verified, accepted, rejected or any."


def registered_families() -> str:
    """The families the registry has (the CLI lists only what is implemented)."""
    from envfoundry import families

    return ", ".join(families.names())


FAMILY_HELP = f"Only this family ({registered_families()})."


def parse_status(text: str | None) -> TaskStatus | None:
    """A task status, or ``any`` (or nothing) for every status."""
    if text is None or text.strip().lower() == "any":
        return None
    try:
        return TaskStatus(text.strip().lower())
    except ValueError:
        choices = ", ".join([s.value for s in TaskStatus] + ["any"])
        raise ConfigError(f"--status {text!r}: use one of {choices}") from None


def family_name(name: str | None) -> str | None:
    """A family name checked against the registry (one clear error for a typo)."""
    if not name:
        return None
    from envfoundry import families

    return families.get(name).name


def build_filter(
    family: str | None = None,
    category: str | None = None,
    status: str | None = None,
    difficulty: str | None = None,
    pass_rate: str | None = None,
    since: str | None = None,
    run_id: str | None = None,
    env_id: str | None = None,
    cls: type[F] = TaskFilter,  # type: ignore[assignment]
    **extra: Any,
) -> F:
    """A task filter from CLI text; every bad value is one :class:`ConfigError`."""
    from envfoundry.export.filters import parse_float_range, parse_int_range, parse_since

    fields: dict[str, Any] = {
        "family": family_name(family),
        "category": category or None,
        "status": parse_status(status),
        "run_id": run_id or None,
        "env_id": env_id or None,
        **extra,
    }
    if difficulty:
        fields["difficulty_min"], fields["difficulty_max"] = parse_int_range(
            difficulty, "--difficulty"
        )
    if pass_rate:
        fields["pass_rate_min"], fields["pass_rate_max"] = parse_float_range(
            pass_rate, "--pass-rate"
        )
    if since:
        fields["since"] = parse_since(since)
    return cls.create(**fields)


def given(flt: TaskFilter, **cli_text: Any) -> dict[str, Any]:
    """The filters a user gave, as they typed them (for an empty result's warning)."""
    out = {k: v for k, v in cli_text.items() if v not in (None, "", [])}
    return out or {k: v for k, v in flt.model_dump(exclude_none=True).items()}
