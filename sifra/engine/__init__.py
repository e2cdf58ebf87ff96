"""Sifra's calculation engine: a socio-economic investment case in, present values, payback and
risk out. Pure Python and numpy; nothing here may import Django (an import-linter contract and a
test keep it so), so the web app, the API, scripts and workers can all use it.
"""

from sifra.engine.case import Case
from sifra.engine.errors import CaseError
from sifra.engine.parse import load_case
from sifra.engine.results import ENGINE_VERSION, calculate

__all__ = ["ENGINE_VERSION", "Case", "CaseError", "calculate", "load_case"]
