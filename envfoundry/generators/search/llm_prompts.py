"""What the search family's LLM agents are told, and the JSON each must reply with."""

from __future__ import annotations

from typing import Any

CONSTRUCT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "minLength": 10},
        "answer": {"type": ["string", "number"]},
        "answer_form": {"enum": ["name", "code", "number"]},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "constraints": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "evidence": {
            "type": "array",
            "minItems": 2,
            "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {
                    "page_id": {"type": "string", "minLength": 1},
                    "facts": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
                "required": ["page_id", "facts"],
            },
        },
    },
    "required": ["question", "answer", "answer_form", "constraints", "evidence"],
}
VERIFY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdict": {"enum": ["correct", "wrong", "ambiguous"]},
        "answer": {"type": ["string", "number"]},
        "reason": {"type": "string"},
    },
    "required": ["verdict", "answer"],
}
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"equivalent": {"type": "boolean"}, "reason": {"type": "string"}},
    "required": ["equivalent"],
}

CONSTRUCT_SYSTEM = """You write hard, verifiable search questions for reinforcement learning.
Tools: search(query, k) and open_page(page_id) over a knowledge source. Start at the page you are given
(an obscure entity), follow facts and links for {depth} hop(s) to another entity, and ask for one fact
of that last entity. Add {breadth} constraint(s) that narrow the first entity down to exactly one,
without naming it. Never write the answer in the question. Write the question in {language}.
When done, reply with one JSON object and nothing else:
{{"question": str, "answer": str or number, "answer_form": "name"|"code"|"number",
 "aliases": [other accepted spellings], "constraints": [each constraint, in words],
 "evidence": [{{"page_id": id, "facts": [text copied exactly from that page]}}, ...]}}
The evidence lists every page of the chain in order, first page first; the last page states the answer."""
CONSTRUCT_PROMPT = (
    "Start page: {page_id} ({title}). Depth: {depth} hop(s). Constraints: {breadth}. "
    "Answer form: {form_hint}"
)
VERIFY_SYSTEM = """You check the ground truth of a search question with search(query, k) and open_page(page_id).
Find the answer yourself from the pages, then compare it with the proposed one. Reply with one JSON object:
{"verdict": "correct" | "wrong" | "ambiguous", "answer": your answer, "reason": why}.
"ambiguous" means more than one entity fits the question."""
VERIFY_PROMPT = (
    "Question: {question}\nProposed answer: {answer} (form: {form})\n"
    "Evidence claimed: {evidence}\nIs the proposed answer correct and the only one?"
)
ANSWER_SYSTEM = """Answer the question using search(query, k) and open_page(page_id).
Finish with one JSON object: {"answer": your answer}."""
JUDGE_PROMPT = (
    "Question: {question}\nReference answer: {reference}\nCandidate answer: {candidate}\n"
    'Do they name the same thing? Reply with JSON {{"equivalent": true|false, "reason": str}}.'
)
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}
