"""LLM environment-setup agent: repair a repository whose build or baseline test run fails.

The agent gets the failure log (a dependency-image build log, or the test runs that
show the environment cannot run the tests) and a ``bash`` tool in a sandbox of the
repository's dependency image, or of the image under it when that did not build, with
the tree laid out (host networking, so it can look packages up or try installs, e.g.
``pip install --prefix /work/prefix``; the sandbox's other limits hold: unprivileged,
memory, pids, timeouts, capped output). It ends by calling ``submit_recipe``: Debian
packages and install commands (:class:`~envfoundry.envs.code.recipe.SetupRecipe`). A
recipe is proven, never trusted: the caller builds the images it gives (a build as
root with host networking, each command under a timeout, like every image build) and
its check (the baseline or validation run) must pass on them. A failed proof is fed back
to the next attempt; attempts are bounded. A recipe that works is stored per repository
(:class:`RecipeStore`) and reused for the repository's later commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from envfoundry.envs.code.recipe import PACKAGE_RE, SetupRecipe
from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.envs.images import build_image
from envfoundry.errors import SandboxError
from envfoundry.generators.llm.agent import Agent, AgentConfig, FunctionTools
from envfoundry.generators.llm.client import LLMClient
from envfoundry.models import ToolSpec

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.envs.sandbox import Backend

__all__ = [
    "RecipeStore",
    "SetupAgent",
    "SetupRecipe",
    "SetupResult",
    "apply_recipe",
    "llm_configured",
    "repair_repository",
]

LOG_CHARS = 6000
TOOL_OUTPUT_CHARS = 8000

SYSTEM = (
    "You set up the build and test environment of a repository in a Debian container. "
    "The repository is at /work/repo (for Python its tests run with `python -m pytest`). "
    "Either its dependency image did not build or its tests cannot run there; the log "
    "says which. Use the bash tool to find out why (you are not root; you may try "
    "`python -m pip install --prefix /work/prefix PACKAGE`). Then call submit_recipe with "
    "the Debian packages (installed before the dependencies) and the install commands "
    "(run as root in the image after the dependencies, in order, from /) that make the "
    "build and the tests work. Never edit the repository's files."
)
BASH = ToolSpec(
    name="bash",
    description="Run a shell command in /work/repo; returns exit code, stdout and stderr.",
    parameters={
        "type": "object",
        "properties": {"command": {"type": "string", "minLength": 1}},
        "required": ["command"],
        "additionalProperties": False,
    },
)
SUBMIT = ToolSpec(
    name="submit_recipe",
    description="Propose the setup recipe: Debian packages and install commands.",
    parameters={
        "type": "object",
        "properties": {
            "system_packages": {
                "type": "array",
                "items": {"type": "string", "pattern": PACKAGE_RE},
                "maxItems": 30,
            },
            "install": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": 500},
                "maxItems": 10,
            },
            "note": {"type": "string", "maxLength": 500},
        },
        "additionalProperties": False,
    },
)


class SetupAttempt(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    recipe: SetupRecipe | None
    ok: bool
    detail: str
    steps: int


class SetupResult(BaseModel):
    """The working recipe and its image, or None; every attempt with what it showed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recipe: SetupRecipe | None
    image: str | None
    attempts: tuple[SetupAttempt, ...]


class RecipeStore:
    """Working recipes by repository name, as JSON files under the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> RecipeStore:
        return cls(Path(settings.data_dir) / "code" / "recipes")

    def _path(self, repo: str) -> Path:
        return self.root / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', repo)}.json"

    def get(self, repo: str) -> SetupRecipe | None:
        path = self._path(repo)
        if not path.exists():
            return None
        return SetupRecipe.model_validate_json(path.read_text())

    def put(self, repo: str, recipe: SetupRecipe) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self._path(repo).with_suffix(".tmp")
        tmp.write_text(recipe.model_dump_json(indent=1))
        tmp.replace(self._path(repo))


def llm_configured(settings: Settings) -> bool:
    """Whether an LLM endpoint is configured for the setup agent's role."""
    endpoint = settings.llm_for("setup")
    return bool(endpoint.base_url and endpoint.model)


def repair_repository(
    settings: Settings,
    backend: Backend,
    recipes: RecipeStore,
    repo: str,
    *,
    attempts: int,
    image: str,
    source: bytes,
    log: str,
    check: Callable[[str], str | None],
    apply: Callable[[SetupRecipe], str],
) -> SetupResult:
    """The setup agent on repository ``repo``'s failing environment; both modes of the code
    family (history and bug injection) call it.

    ``apply`` builds the repository's image with a recipe (``EnvBuilder.build(...,
    recipe=)``: the system packages under the dependency layer, the install commands over
    it, so a task payload's dependency files and recipe rebuild that image anywhere);
    ``check`` runs the caller's proof on it. The recipe that passes is stored for the
    repository and returned with its image.
    """
    client = LLMClient.from_settings(settings, role="setup")
    agent = SetupAgent(client, backend, settings, attempts=attempts)
    result = agent.repair(image, source, log, check, apply)
    if result.recipe is not None and result.image is not None:
        recipes.put(repo, result.recipe)
    return result


def apply_recipe(recipe: SetupRecipe, image: str, settings: Settings) -> str:
    """The image ``image`` with ``recipe`` built on top (cached by content)."""
    return build_image(recipe.image_spec(image), settings)


class SetupAgent:
    """Proposes and proves setup recipes; see the module docstring."""

    def __init__(
        self,
        client: LLMClient,
        backend: Backend,
        settings: Settings,
        *,
        attempts: int = 2,
        max_steps: int = 12,
        command_timeout_s: float = 300.0,
    ) -> None:
        self.client = client
        self.backend = backend
        self.settings = settings
        self.attempts = attempts
        self.max_steps = max_steps
        self.command_timeout_s = command_timeout_s

    def repair(
        self,
        image: str,
        source: bytes,
        log: str,
        check: Callable[[str], str | None],
        apply: Callable[[SetupRecipe], str] | None = None,
    ) -> SetupResult:
        """A recipe under which ``check(image)`` returns None (the tests run), or none.

        The agent's bash runs in a sandbox of ``image`` with ``source`` laid out; ``log``
        says what failed. ``apply`` builds the image a recipe gives (default: the recipe
        as one layer over ``image``); a recipe that does not build, or under which
        ``check`` still names a problem, is fed back to the next attempt.
        """
        build = apply or (lambda recipe: apply_recipe(recipe, image, self.settings))
        attempts: list[SetupAttempt] = []
        for _ in range(self.attempts):
            recipe, steps = self._propose(image, source, log)
            if recipe is None:
                attempts.append(
                    SetupAttempt(recipe=None, ok=False, detail="no recipe", steps=steps)
                )
                log = "no recipe was submitted (call submit_recipe). The log was:\n\n" + log
                continue
            try:
                tag = build(recipe)
            except (SandboxError, ValueError) as exc:
                tail = str(getattr(exc, "log_tail", "") or "")
                log = f"the recipe did not build: {exc}" + (f"\n\n{tail}" if tail else "")
                attempts.append(SetupAttempt(recipe=recipe, ok=False, detail=str(exc), steps=steps))
                continue
            problem = check(tag)
            attempts.append(
                SetupAttempt(recipe=recipe, ok=problem is None, detail=problem or "", steps=steps)
            )
            if problem is None:
                return SetupResult(recipe=recipe, image=tag, attempts=tuple(attempts))
            log = f"with the recipe the tests still do not run: {problem}"
        return SetupResult(recipe=None, image=None, attempts=tuple(attempts))

    def _propose(self, image: str, source: bytes, log: str) -> tuple[SetupRecipe | None, int]:
        limits = code_limits(self.command_timeout_s).model_copy(update={"network": "host"})
        recipes: list[SetupRecipe] = []
        with Workspace.open(self.backend, image, source, limits, "code-setup") as ws:

            def bash(command: str) -> dict[str, Any]:
                result = ws.sandbox.exec(
                    ["sh", "-c", 'cd "$0" && exec sh -c "$1"', ws.repo_dir, command],
                    timeout=self.command_timeout_s,
                )
                return {
                    "exit_code": result.exit_code,
                    "stdout": result.stdout[-TOOL_OUTPUT_CHARS:],
                    "stderr": result.stderr[-TOOL_OUTPUT_CHARS:],
                }

            def submit_recipe(**args: Any) -> str:
                try:
                    recipes.append(SetupRecipe.model_validate(args))
                except ValidationError as exc:
                    return f"rejected: {exc}"
                return "recorded; the recipe will be built and the tests run with it"

            tools = FunctionTools([(BASH, bash), (SUBMIT, submit_recipe)])
            agent = Agent(self.client, tools, AgentConfig(max_steps=self.max_steps))
            prompt = "The repository's tests cannot run. The log:\n\n" + log[-LOG_CHARS:]
            trajectory = agent.run(prompt, system=SYSTEM)
        return (recipes[-1] if recipes else None), len(trajectory.steps)
