from functools import cache
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


@cache
def example_case_text(name: str = "norrkoping-barn.toml") -> str:
    """An example case to start from; empty when the examples are not installed beside the app."""
    path = EXAMPLES / name
    return path.read_text(encoding="utf-8") if path.exists() else ""
