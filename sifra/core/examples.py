import re
from functools import cache
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


@cache
def example_case_text(name: str = "norrkoping-barn.toml") -> str:
    """An example case to start from; empty when the examples are not installed beside the app."""
    path = EXAMPLES / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


@cache
def example_case_for_page(name: str = "norrkoping-barn.toml") -> str:
    """The example as a page shows it: without the lines about files and commands ("Kör: sifra
    calc examples/…", "(seeds/003 bredvid DOMAIN.md.)") that mean nothing in a browser."""
    text = example_case_text(name)
    text = re.sub(r" ?\(seeds/[^)]*\)", "", text)
    lines = [line for line in text.splitlines() if not re.match(r"#\s+(Kör:|sifra calc)", line)]
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
