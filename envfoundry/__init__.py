"""envfoundry: manufactures verifiable agentic RL tasks (environment, tools, task, verifier)."""

__version__ = "0.1.0"
