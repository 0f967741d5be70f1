"""LLM environment-setup agent: repair a repository whose build or baseline test run fails.

The agent gets the failure log and a ``bash`` tool in a sandbox of the repository's
dependency image with the tree laid out (host networking, so it can try package
installs, e.g. ``pip install --prefix /work/prefix``; the sandbox's other limits hold:
unprivileged, memory, pids, timeouts, capped output). It ends by calling
``submit_recipe``: Debian packages and install commands. A recipe is proven, never
trusted: it becomes an image layer on top of the dependency image (a build as root with
host networking, like every image build) and the caller's check (the baseline run) must
pass on that image. A failed proof is fed back to the next attempt; attempts are bounded.
A recipe that works is stored per repository (:class:`RecipeStore`) and reused for the
repository's later commits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.envs.images import ImageSpec, build_image
from envfoundry.errors import SandboxError
from envfoundry.generators.llm.agent import Agent, AgentConfig, FunctionTools
from envfoundry.models import ToolSpec

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.envs.sandbox import Backend
    from envfoundry.generators.llm.client import LLMClient

PACKAGE_RE = r"^[a-z0-9][a-z0-9+.-]{0,80}$"
LOG_CHARS = 6000
TOOL_OUTPUT_CHARS = 8000

SYSTEM = (
    "You set up the build and test environment of a Python repository in a Debian "
    "container. The repository is at /work/repo; its tests run with `python -m pytest`. "
    "Use the bash tool to find out why the tests cannot run (you are not root; you may "
    "try `python -m pip install --prefix /work/prefix PACKAGE`). Then call submit_recipe "
    "with the Debian packages and the install commands (run as root in the image, in "
    "order, from /) that make the tests run. Never edit the repository's files."
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


class SetupRecipe(BaseModel):
    """Extra system packages and install commands for a repository's image."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system_packages: tuple[str, ...] = ()
    install: tuple[str, ...] = Field(default=(), max_length=10)
    note: str = ""

    def image_spec(self, parent: str) -> ImageSpec:
        lines = []
        for name in self.system_packages:
            if not re.match(PACKAGE_RE, name):
                raise ValueError(f"not a Debian package name: {name!r}")
        if self.system_packages:
            lines.append(
                "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                "-qq --no-install-recommends " + " ".join(sorted(self.system_packages)) + " "
                "&& rm -rf /var/lib/apt/lists/*"
            )
        for command in self.install:
            if "\n" in command:
                raise ValueError("an install command is one line")
            lines.append(f"RUN {command}")
        return ImageSpec(
            name="envfoundry/code-setup",
            parent=parent,
            dockerfile="".join(f"{line}\n" for line in lines) or "LABEL envfoundry.setup=empty\n",
            purpose="code-setup",
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
        self, image: str, source: bytes, log: str, check: Callable[[str], str | None]
    ) -> SetupResult:
        """A recipe under which ``check(image)`` returns None (the tests run), or none."""
        attempts: list[SetupAttempt] = []
        for _ in range(self.attempts):
            recipe, steps = self._propose(image, source, log)
            if recipe is None:
                attempts.append(
                    SetupAttempt(recipe=None, ok=False, detail="no recipe", steps=steps)
                )
                continue
            try:
                tag = apply_recipe(recipe, image, self.settings)
            except (SandboxError, ValueError) as exc:
                log = f"the recipe did not build: {exc}"
                attempts.append(SetupAttempt(recipe=recipe, ok=False, detail=log, steps=steps))
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


def recipe_json(recipe: SetupRecipe) -> str:
    return json.dumps(recipe.model_dump(mode="json"), sort_keys=True)
