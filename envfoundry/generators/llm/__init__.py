"""LLM access for generators and policies: client, agent loop, structured output, recording.

Import from here: ``from envfoundry.generators.llm import LLMClient, Agent, complete_json``.
The fake server is imported from its module (``envfoundry.generators.llm.testserver``)
so that ``python -m`` can run it without a double import.
"""

from envfoundry.generators.llm.agent import (
    Agent,
    AgentConfig,
    AgentSession,
    FunctionTools,
    Tool,
    ToolExecutor,
    Trajectory,
)
from envfoundry.generators.llm.catalog import ModelCatalog, ModelInfo, default_catalog
from envfoundry.generators.llm.client import EndpointLimits, LLMClient
from envfoundry.generators.llm.errors import (
    LLMAuthError,
    LLMBadRequest,
    LLMContextOverflow,
    LLMError,
    LLMHTTPError,
    LLMProtocolError,
    LLMRateLimited,
    LLMUnavailable,
    StructuredOutputError,
)
from envfoundry.generators.llm.messages import ChatReply, ToolCall, Usage
from envfoundry.generators.llm.probe import probe_endpoint
from envfoundry.generators.llm.recording import (
    CallRecorder,
    LLMCallRecord,
    MemoryRecorder,
    StoreRecorder,
    request_hash,
)
from envfoundry.generators.llm.structured import StructuredResult, complete_json

__all__ = [
    "Agent",
    "AgentConfig",
    "AgentSession",
    "CallRecorder",
    "ChatReply",
    "EndpointLimits",
    "FunctionTools",
    "LLMAuthError",
    "LLMBadRequest",
    "LLMCallRecord",
    "LLMClient",
    "LLMContextOverflow",
    "LLMError",
    "LLMHTTPError",
    "LLMProtocolError",
    "LLMRateLimited",
    "LLMUnavailable",
    "MemoryRecorder",
    "ModelCatalog",
    "ModelInfo",
    "StoreRecorder",
    "StructuredOutputError",
    "StructuredResult",
    "Tool",
    "ToolCall",
    "ToolExecutor",
    "Trajectory",
    "Usage",
    "complete_json",
    "default_catalog",
    "probe_endpoint",
    "request_hash",
]
