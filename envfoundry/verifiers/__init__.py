"""Verifiers: everything that judges (acceptance, controls, determinism, pass@k)."""
