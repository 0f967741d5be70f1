"""CLI verbs of the RL runtime: ``runtime serve``, ``runtime rollout``, ``play`` and ``replay``.

``runtime_app`` is mounted as ``envfoundry runtime``; :func:`play_command` and
:func:`replay_command` are mounted as ``envfoundry play`` and ``envfoundry replay``.
User errors are raised as :class:`~envfoundry.errors.EnvfoundryError` subclasses, which
``envfoundry.cli.main`` turns into one line.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from envfoundry.config import Settings, load_settings
from envfoundry.errors import EnvfoundryError
from envfoundry.runtime.redact import policy_verdict

console = Console()

runtime_app = typer.Typer(
    rich_markup_mode=None,
    help=(
        "The RL runtime: serve episodes over HTTP and run policy rollouts with pass@k.\n\n"
        "Example: envfoundry runtime serve --port 8765"
    ),
    no_args_is_help=True,
)

PLAY_HELP = """\
commands:
  call TOOL [JSON]   call a tool with JSON arguments (default {}); "TOOL JSON" works too
  submit JSON        submit the final answer and see the verdict (ends the episode)
  last               the last observation in full, indented
  tools              list the tools again
  prompt             show the task prompt again
  budget             steps and time used
  help               this text
  quit               close the episode without submitting (reward 0)"""


def _store(settings: Settings) -> Any:
    from envfoundry.cli.common import open_store

    return open_store(settings)


def _runtime(settings: Settings, **config: Any) -> Any:
    from envfoundry.runtime.episodes import Runtime

    return Runtime.from_settings(settings, _store(settings), **config)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")


def _verdict_line(verdict: Any) -> str:
    colour = "green" if verdict.passed else ("yellow" if verdict.infra_error else "red")
    word = "PASS" if verdict.passed else ("INFRA" if verdict.infra_error else "FAIL")
    return f"[{colour}]{word}[/] reward={verdict.reward:g} {escape(verdict.reason)}"


# --------------------------------------------------------------------------- serve


@runtime_app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8765, min=0, max=65535, help="Port to bind."),
    max_episodes: int | None = typer.Option(None, min=1, help="Open episodes at once."),
    idle_timeout: float | None = typer.Option(
        None, min=0.1, help="Close episodes idle this many seconds."
    ),
    max_steps: int | None = typer.Option(None, min=1, help="Tool calls per episode."),
    max_wall: float | None = typer.Option(None, min=0.1, help="Wall seconds per episode."),
    ttl: float | None = typer.Option(
        None, min=0.1, help="Close any episode this many seconds after it opened."
    ),
    answer_retries: int | None = typer.Option(
        None, min=0, help="Schema-invalid answers handed back (with the error) before one counts."
    ),
) -> None:
    """Serve the episode API over HTTP (OpenAPI docs at /docs) until Ctrl-C.

    This serves episodes of stored tasks to RL trainers; `envfoundry serve` (no
    `runtime`) is another thing: it schedules the pipeline as a Prefect deployment.

    Example: envfoundry runtime serve --host 127.0.0.1 --port 8765 --max-episodes 32
    """
    from envfoundry.runtime.server import serve

    runtime = _runtime(
        load_settings(),
        max_episodes=max_episodes,
        idle_timeout_s=idle_timeout,
        max_steps=max_steps,
        max_wall_s=max_wall,
        ttl_s=ttl,
        answer_retries=answer_retries,
    )
    console.print(
        f"runtime on http://{host}:{port} (backend {runtime.backend.name}, "
        f"max {runtime.config.max_episodes} episodes); API docs at /docs; Ctrl-C to stop"
    )
    serve(runtime, host, port)


# --------------------------------------------------------------------------- rollout


@runtime_app.command("rollout")
def rollout_command(
    task_ids: list[str] = typer.Argument(..., help="Task ids."),
    k: int = typer.Option(8, "--k", min=1, help="Rollouts per task in this run."),
    model: str | None = typer.Option(None, help="Policy model (default: the policy role's)."),
    base_url: str | None = typer.Option(None, help="OpenAI-compatible endpoint of the policy."),
    concurrency: int = typer.Option(4, min=1, help="Episodes in flight at once."),
    temperature: float = typer.Option(1.0, min=0.0, help="Sampling temperature."),
    pass_k: int | None = typer.Option(None, min=1, help="k of pass@k (default: all rollouts)."),
    min_pass_at_k: float | None = typer.Option(
        None, min=0.0, max=0.999, help="Reject as too hard when pass@k <= this (default 0)."
    ),
    max_pass_rate: float | None = typer.Option(
        None, min=0.001, max=1.0, help="Reject as too easy when the pass rate exceeds this."
    ),
    no_band: bool = typer.Option(False, "--no-band", help="Measure only; change no status."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of task summaries."),
) -> None:
    """Run a policy k times per task through the runtime; store trajectories, pass@k, band.

    Example: envfoundry runtime rollout task_0123abcd --k 8 --model deepseek-chat --max-pass-rate 0.9
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from envfoundry.flows.prefect_api import prefect_api
    from envfoundry.flows.rollouts import rollouts_flow
    from envfoundry.flows.run import prepare_prefect
    from envfoundry.runtime.rollouts import RolloutConfig, policy_client
    from envfoundry.verifiers.passk import PassBand

    settings = load_settings()
    band = PassBand.from_settings(
        settings, k=pass_k, min_pass_at_k=min_pass_at_k, max_pass_rate=max_pass_rate
    )
    cfg = RolloutConfig(
        k=k, concurrency=concurrency, temperature=temperature, band=band, apply_band=not no_band
    )
    runtime = _runtime(settings, max_episodes=max(concurrency, 1))
    try:
        for task_id in task_ids:
            runtime.store.get_task(task_id)
        client = policy_client(settings, model, base_url, store=runtime.store)
        bar = Progress(
            TextColumn("[bold]rollouts"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("passed {task.fields[passed]}"),
            console=Console(stderr=True),
            disable=as_json,
        )
        with bar:
            tid = bar.add_task("rollouts", total=k * len(task_ids), passed=0)

            def on_result(task_id: str, res: Any) -> None:
                passed = bar.tasks[tid].fields["passed"] + int(res.verdict.passed)
                bar.update(tid, advance=1, passed=passed)

            prepare_prefect()
            with prefect_api("rollouts"):
                reports = rollouts_flow(runtime, client, task_ids, cfg, on_result=on_result)
        client.close()
    finally:
        runtime.close()
    rows = [r.summary() for r in reports]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"rollouts of {reports[0].model if reports else model}")
    for col in ["task", "passed", "pass@k", "rate", "difficulty", "status", "reason"]:
        table.add_column(col)
    for row in rows:
        pak = "-" if row["pass_at_k"] is None else f"{row['pass_at_k']:.3f} (k={row['k']})"
        rate = "-" if row["pass_rate"] is None else f"{row['pass_rate']:.2f}"
        status = row["status_before"]
        if row["status_after"] != status:
            status = f"{status} → {row['status_after']}"
        table.add_row(
            row["task_id"],
            f"{row['c']}/{row['n']}",
            pak,
            rate,
            str(row["difficulty"] or "-"),
            status,
            row["reason"],
        )
    console.print(table)


# --------------------------------------------------------------------------- play


def _tools_table(tools: list[dict[str, Any]]) -> Table:
    table = Table(title="tools")
    for col in ["tool", "arguments", "description"]:
        table.add_column(col)
    for tool in tools:
        fn = tool["function"]
        params = fn.get("parameters", {})
        required = set(params.get("required", []))
        args = ", ".join(
            f"{name}{'' if name in required else '?'}: {spec.get('type', 'any')}"
            for name, spec in params.get("properties", {}).items()
        )
        table.add_row(fn["name"], args or "-", fn.get("description", ""))
    return table


def _parse_play_line(line: str, tools: set[str], submit: str) -> tuple[str, str, Any]:
    """(verb, tool, payload) from one typed line; ValueError with a hint when it is not one."""
    verb, _, rest = line.strip().partition(" ")
    rest = rest.strip()
    if verb in ("help", "tools", "prompt", "budget", "last", "quit", "exit", "q"):
        return verb, "", None
    if verb == "submit":
        if not rest:
            raise ValueError('submit needs the answer as JSON, e.g. submit {"city": "Paris"}')
        return "submit", submit, json.loads(rest)
    if verb == "call":
        tool, _, rest = rest.partition(" ")
        if not tool:
            raise ValueError("call needs a tool name: call TOOL {JSON arguments}")
    elif verb in tools:
        tool = verb
    else:
        raise ValueError(f"unknown command {verb!r} (type help)")
    rest = rest.strip()
    args = json.loads(rest) if rest else {}
    if tool == submit and not (isinstance(args, dict) and "answer" in args):
        return "submit", submit, args
    return "call", tool, args


def play_command(
    task_id: str = typer.Argument(..., help="Task id (or a unique prefix of it)."),
    server: str | None = typer.Option(
        None, help="Play through a running runtime server (http://HOST:PORT)."
    ),
    max_steps: int | None = typer.Option(None, min=1, help="Tool calls allowed."),
) -> None:
    """Play a task by hand: read the prompt, call tools, submit an answer, see the verdict.

    Type `help` at the prompt for the commands; arrow keys edit the line and recall
    earlier ones. An episode played here is stored as a `play` attempt of the task, so
    `envfoundry replay ATTEMPT_ID` prints it again. Exit code 0 when the verdict passes.

    Example: envfoundry play task_0123abcd
    """
    from envfoundry.runtime.client import RuntimeClient

    _line_editing()
    runtime: Any = None
    client: Any = None
    if server:
        client = RuntimeClient(server)
        episode: Any = client.open(task_id)
    else:
        runtime = _runtime(load_settings(), max_episodes=1, max_steps=max_steps)
        episode = runtime.open(task_id)
    try:
        passed = _play_loop(episode)
        if runtime is not None:
            attempt_id = _store_play(runtime.store, episode)
            if attempt_id:
                console.print(
                    f"stored as attempt {attempt_id} (envfoundry replay {attempt_id})",
                    soft_wrap=True,
                )
    finally:
        try:
            episode.close()
        finally:
            if runtime is not None:
                runtime.close()
            if client is not None:
                client.close()
    raise typer.Exit(0 if passed else 1)


def _line_editing() -> None:
    """Arrow keys, history and Ctrl-A/E at the ``play>`` prompt: ``input()`` uses readline
    once it is imported (on a terminal only; piped input needs none)."""
    if sys.stdin.isatty():
        # a Python built without readline: plain input still works
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401


def _store_play(store: Any, episode: Any) -> str | None:
    """An ended episode as a ``play`` attempt with its trajectory blob; None when not ended."""
    from envfoundry.models import Attempt, AttemptKind

    verdict = getattr(episode, "verdict", None)
    if verdict is None:
        return None  # quit without a verdict: nothing to judge, nothing to replay
    record = {"episode": episode.trajectory()}
    blob = store.blobs.put_bytes(json.dumps(record, default=str).encode())
    attempt = Attempt(
        task_id=episode.task.id,
        kind=AttemptKind.play,
        label=f"play:{episode.id}",
        answer=record["episode"].get("answer"),
        verdict=verdict,
        duration_s=float(record["episode"].get("duration_s") or 0.0),
        trajectory_blob=blob,
    )
    store.put_attempts([attempt])
    return attempt.id


OBSERVATION_CHARS = 400


def _observation_line(obs: Any) -> str:
    """An observation on one line (a long one cut, with how to see it all)."""
    text = json.dumps(obs, ensure_ascii=False, default=str)
    if len(text) > OBSERVATION_CHARS:
        text = text[:OBSERVATION_CHARS] + f" … ({len(text)} chars; `last` shows it all)"
    return text


def _play_loop(episode: Any) -> bool:
    messages, tools = episode.messages, episode.tools
    submit = tools[-1]["function"]["name"]
    names = {t["function"]["name"] for t in tools}
    console.print(Panel(escape(messages[-1]["content"]), title=f"task {episode.task_id}"))
    console.print(_tools_table(tools))
    console.print("type [bold]help[/] for commands")
    last: Any = None
    while True:
        try:
            line = input("play> ")
        except EOFError:
            console.print("end of input: closing the episode without a submit")
            return False
        if not line.strip():
            continue
        try:
            verb, tool, payload = _parse_play_line(line, names, submit)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            console.print(f"[red]error:[/] {escape(str(exc))}")
            continue
        if verb == "help":
            console.print(PLAY_HELP, markup=False)
        elif verb == "tools":
            console.print(_tools_table(tools))
        elif verb == "prompt":
            console.print(Panel(escape(messages[-1]["content"])))
        elif verb == "last":
            console.print_json(data=last, default=str)
        elif verb == "budget":
            budget = episode.budget() if callable(episode.budget) else episode.budget
            console.print(_observation_line(budget), markup=False, highlight=False)
        elif verb in ("quit", "exit", "q"):
            return False
        elif verb == "submit":
            try:
                verdict = episode.submit(payload)
            except EnvfoundryError as exc:
                console.print(f"[red]error:[/] {escape(str(exc))}")
                return False
            # a player is a policy: a generic reason, never the verifier's (runtime.redact)
            console.print(f"verdict: {_verdict_line(policy_verdict(verdict))}")
            return bool(verdict.passed)
        else:
            try:
                obs = episode.call(tool, payload)
            except EnvfoundryError as exc:
                console.print(f"[red]error:[/] {escape(str(exc))}")
                return False
            last = obs
            console.print(
                "← " + _observation_line(obs), markup=False, highlight=False, soft_wrap=True
            )
            verdict = getattr(episode, "verdict", None)
            if verdict is not None:
                console.print(f"episode over: {_verdict_line(policy_verdict(verdict))}")
                return bool(verdict.passed)


# --------------------------------------------------------------------------- replay


def replay_command(
    attempt_id: str = typer.Argument(
        ..., help="Attempt id or a unique prefix (see `envfoundry tasks show`)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the stored trajectory as JSON."),
) -> None:
    """Print a stored trajectory: messages, tool calls, observations and the verdict.

    Rollouts and `play` episodes keep their whole trajectory; a reference or control
    attempt keeps the tool calls its solution made, which are printed instead.

    Example: envfoundry replay attempt_0123abcd
    """
    store = _store(load_settings())
    attempt = store.get_attempt(attempt_id)
    record: dict[str, Any] | None = None
    if attempt.trajectory_blob:
        record = json.loads(
            store.blobs.get_bytes(attempt.trajectory_blob, f"trajectory of attempt {attempt.id}")
        )
    if as_json:
        _print_json({"attempt": attempt.model_dump(mode="json"), "trajectory": record})
        return
    label = (
        attempt.label
        if attempt.label.startswith(attempt.kind.value)
        else (f"{attempt.kind.value} {attempt.label}")
    )
    console.rule(f"{label} of task {attempt.task_id}")
    if record is None:
        _print_recorded_calls(attempt)
    else:
        _print_trajectory(record)
    console.rule("verdict")
    console.print(f"answer: {escape(json.dumps(attempt.answer, default=str))}")
    console.print(_verdict_line(attempt.verdict))


def _print_recorded_calls(attempt: Any) -> None:
    from envfoundry.export.trajectories import recorded_calls

    found = recorded_calls(attempt)
    if found is None:
        console.print("no trajectory stored for this attempt, and no recorded tool calls")
        return
    calls, _ = found
    console.print(f"{len(calls)} tool call(s) recorded when the answer was computed:")
    for call in calls:
        args = call.get("args") or call.get("arguments") or {}
        reply = {"error": call["error"]} if call.get("error") else call.get("result")
        console.print(
            f"[bold cyan]→ {escape(call['name'])}[/] {escape(json.dumps(args, default=str))}"
        )
        console.print(f"  [green]←[/] {escape(_clip(json.dumps(reply, default=str), 400))}")


def _clip(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + f" …[{len(text) - limit} more chars]"


def _print_trajectory(record: dict[str, Any]) -> None:
    episode = record.get("episode") or record
    agent = record.get("agent")
    messages = (agent or {}).get("messages") or episode.get("messages") or []
    for msg in messages:
        role = msg.get("role", "?")
        if role == "system":
            console.print(Panel(escape(_clip(str(msg.get("content") or ""), 600)), title="system"))
        elif role == "user":
            console.print(Panel(escape(str(msg.get("content") or "")), title="user"))
        elif role == "assistant":
            if msg.get("reasoning_content"):
                console.print(f"[dim]thinking: {escape(_clip(msg['reasoning_content']))}[/]")
            if msg.get("content"):
                console.print(f"[bold]assistant:[/] {escape(_clip(msg['content']))}")
            for call in msg.get("tool_calls") or []:
                fn = call.get("function", {})
                console.print(
                    f"[bold cyan]→ {escape(fn.get('name', '?'))}[/] {escape(fn.get('arguments', ''))}"
                )
        elif role == "tool":
            console.print(f"  [green]←[/] {escape(_clip(str(msg.get('content'))))}")
    if agent is None:  # no transcript: the episode's own calls are the story
        for ev in episode.get("events", []):
            if ev.get("type") == "call":
                console.print(
                    f"[bold cyan]→ {escape(ev['tool'])}[/] {escape(json.dumps(ev.get('args')))}"
                )
                console.print(f"  [green]←[/] {escape(_clip(json.dumps(ev.get('observation'))))}")
    events = [e for e in episode.get("events", []) if e.get("type") == "call"]
    if events:
        table = Table(title="episode tool calls")
        for col in ["step", "tool", "error", "t (s)", "duration (ms)"]:
            table.add_column(col)
        for ev in events:
            table.add_row(
                str(ev.get("step")),
                ev.get("tool", ""),
                "yes" if ev.get("error") else "",
                f"{ev.get('t', 0):.3f}",
                f"{1e3 * ev.get('duration_s', 0):.1f}",
            )
        console.print(table)
    if agent is not None:
        usage = agent.get("usage") or {}
        console.print(
            f"agent: stop {agent.get('stop_reason')}, {len(agent.get('steps') or [])} model calls, "
            f"{usage.get('total_tokens', 0)} tokens"
            + (f", error: {escape(str(agent['error']))}" if agent.get("error") else "")
        )
    if episode.get("end_reason"):
        console.print(f"episode ended: {escape(str(episode['end_reason']))}")
