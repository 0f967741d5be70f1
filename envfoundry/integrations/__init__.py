"""Trainer adapters over the episode runtime: verl, TRL, verifiers and OpenEnv.

Each module plugs the runtime's HTTP API into one trainer's own integration point and
needs that trainer's optional extra (``pip install 'envfoundry[trl]'`` and so on); this
package itself imports none of them. Every adapter opens one episode per rollout, shows
the policy that episode's own tools, takes the reward from the task's verifier, and
closes the episode when the rollout ends (the runtime's time-to-live covers a trainer
that never does).
"""
