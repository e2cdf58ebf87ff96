"""One tally for the whole fuzz run, imported by the tests and the conftest alike."""

import sys
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    last_exception: str = ""

    def record(self, case: Any, response: Any) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            body = repr(case.body)[:300] if isinstance(case.body, dict | list | str) else ""
            query = f"?{case.query}" if case.query else ""
            self.server_errors.append(
                f"{case.method} {case.formatted_path}{query} {body} -> {response.status_code}\n"
                f"{self.last_exception}"
            )
        self.last_exception = ""

    def exception(self, **kwargs: Any) -> None:
        """The exception and the innermost line of Sifra's own code it passed through."""
        error = sys.exc_info()[1]
        if error is not None:
            self.exception_from(error)

    def exception_from(self, error: BaseException) -> None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if "/sifra/" in f.filename]
        where = (
            f"  at {frames[-1].filename.split('/sifra/')[-1]}:{frames[-1].lineno} "
            if frames
            else ""
        )
        self.last_exception = f"{where}{type(error).__name__}: {error}"[:400]


TALLY = Tally()
