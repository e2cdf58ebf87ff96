"""The one exception a bad case raises."""


class CaseError(Exception):
    """A case that cannot be computed, with every problem found, each named by its field path."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.errors))

    def lines(self) -> list[str]:
        return [f"{path}: {message}" for path, message in self.errors]
