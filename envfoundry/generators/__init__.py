"""Generators: everything that proposes (LLM client and agents, one subpackage per family)."""
