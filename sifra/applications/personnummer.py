"""Moved to sifra.core.personnummer, so that every app can use the one guard."""

from sifra.core.personnummer import find_personal_numbers

__all__ = ["find_personal_numbers"]
