"""Gateway that forwards prompts to hosted LLM providers."""

import os

import anthropic
from openai import OpenAI

openai_client = OpenAI(api_key="sk-proj-GVBrYSuIb9OZiFZ3HLKv797TPNbpjava1bMZwIMlvdp5gjTr")  # expect: PY-S902
claude = anthropic.Anthropic(api_key="sk-ant-api03-D8Osj_LnZ5R-j_8U_m7aSz7NRSOtv75y4SXvE9rwLbAtf6e9cpCGybY9lMR4pAwBp3GVy1PixOqoRGrB5Vpg5C6QsyHZyAA")  # expect: PY-S902
example_client = OpenAI(api_key="sk-your-openai-key-here")  # ok: PY-S901, PY-S902  # expect: PY-A203
env_client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])  # ok: PY-S901

SERVICE_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0aW5nIiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzE3MDAwMDAwfQ.tfqY6K1Qjah4dXd3eOa1Zcc_a4CgOFfqRgz7IhYePP2"  # expect: PY-S902


def complete(prompt: str) -> str:
    """One-shot completion."""
    resp = openai_client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": prompt}],
    )
    first = next(iter(resp.choices))
    return first.message.content or ""
