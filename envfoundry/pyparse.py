"""Parsing Python source in a threaded process: ``ast.parse`` under one process-wide lock.

CPython 3.11 keeps the AST conversion's recursion-depth counter per interpreter, not per
thread, so two threads inside ``ast.parse`` at once can fail with ``SystemError: AST
constructor recursion depth mismatch`` (4 of 80 fresh pipeline interpreters did). Batches
run in threads and several layers parse sources (static checks, category code, generated
tool code, dependency files, mutations), so they all parse through here: one lock, not one
per module (two locks still let two parses overlap).
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(source, filename)``, one call at a time in this process."""
    with _LOCK:
        return ast.parse(source, filename=filename)


def parse_expression(source: str) -> ast.Expression:
    """``ast.parse(source, mode="eval")``, under the same lock."""
    with _LOCK:
        return ast.parse(source, mode="eval")
