import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in the test thread, so tests can read them; pages still
    answer in the language the client asks for."""
    with translation.override("en"):
        yield
