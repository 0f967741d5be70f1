"""A repository's setup recipe: extra Debian packages and install commands for its images.

Data only, as a task payload holds it (the dependency image of a task whose repository
needed a recipe is rebuilt from its dependency files *and* its recipe). Where it goes in
the layers (see :class:`envfoundry.envs.code.images.EnvBuilder`): the system packages
under the dependency layer, so a requirement that compiles against a system library
builds; the install commands on top of it, where they see what the dependencies
installed. Every command runs under ``timeout`` in the image build (root, host
networking, like every image build); the setup agent proposes recipes
(:mod:`envfoundry.generators.code.setup_agent`).
"""

from __future__ import annotations

import re
import shlex

from pydantic import BaseModel, ConfigDict, Field, field_validator

from envfoundry.envs.images import ImageSpec

PACKAGE_RE = r"^[a-z0-9][a-z0-9+.-]{0,80}$"
# Wall time of one recipe command in the image build (apt-get or an install command).
COMMAND_TIMEOUT_S = 900


class SetupRecipe(BaseModel):
    """Extra system packages and install commands for a repository's image."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system_packages: tuple[str, ...] = Field(default=(), max_length=30)
    install: tuple[str, ...] = Field(default=(), max_length=10)
    note: str = Field(default="", max_length=500)

    @field_validator("system_packages")
    @classmethod
    def _packages(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for name in v:
            if not re.match(PACKAGE_RE, name):
                raise ValueError(f"not a Debian package name: {name!r}")
        return tuple(sorted(set(v)))  # canonical: the image tag hashes the order

    @field_validator("install")
    @classmethod
    def _commands(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for command in v:
            if not command.strip() or "\n" in command or len(command) > 500:
                raise ValueError("an install command is one non-empty line of at most 500 chars")
        return v

    def system_lines(self) -> list[str]:
        if not self.system_packages:
            return []
        return [
            f"RUN timeout {COMMAND_TIMEOUT_S} apt-get update -qq && "
            f"DEBIAN_FRONTEND=noninteractive timeout {COMMAND_TIMEOUT_S} apt-get install -y -qq "
            "--no-install-recommends " + " ".join(self.system_packages) + " "
            "&& rm -rf /var/lib/apt/lists/*"
        ]

    def install_lines(self) -> list[str]:
        return [f"RUN timeout {COMMAND_TIMEOUT_S} sh -c {shlex.quote(c)}" for c in self.install]

    def system_spec(self, parent: str) -> ImageSpec | None:
        """The system-package layer over ``parent`` (the toolchain), or None."""
        lines = self.system_lines()
        return _spec(parent, lines) if lines else None

    def install_spec(self, parent: str) -> ImageSpec | None:
        """The install-command layer over ``parent`` (the dependency image), or None."""
        lines = self.install_lines()
        return _spec(parent, lines) if lines else None

    def image_spec(self, parent: str) -> ImageSpec:
        """The whole recipe as one layer over ``parent`` (an image already built)."""
        lines = self.system_lines() + self.install_lines()
        return _spec(parent, lines or ["LABEL envfoundry.setup=empty"])


def _spec(parent: str, lines: list[str]) -> ImageSpec:
    return ImageSpec(
        name="envfoundry/code-setup",
        parent=parent,
        dockerfile="".join(f"{line}\n" for line in lines),
        purpose="code-setup",
    )
