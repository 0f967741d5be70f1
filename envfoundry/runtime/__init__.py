"""The episode runtime: one episode API over stored tasks, its HTTP server and client,
and policy rollouts with pass@k. Above envs, verifiers and the family registry; used by
``envfoundry verify``/``play``, the RL server, the export's prompt and trainer adapters."""
