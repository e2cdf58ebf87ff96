"""Sifra: software for a municipal social investment fund."""

__version__ = "0.1.0"
