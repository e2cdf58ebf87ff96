"""Demo: four decided grants (three registered directly, one from an approved application)
published as open data with summaries written for the public, so that the public page
(/oppen-data/) and the 360Giving feed have something to show."""

from sifra.accounts.models import Role, User
from sifra.opendata.services import publication_create
from sifra.projects.models import Project

SUMMARIES = {
    "Tidigt stöd till familjer": (
        "Socialtjänst och skola ger familjer med barn 4–12 år tidigt och samordnat stöd, med "
        "ett evidensbaserat föräldraskapsprogram. Målet är att färre barn ska behöva placeras "
        "i familjehem; om var femte av de 120 barnen undviker placering tjänas kostnaden in på "
        "ett och ett halvt år."
    ),
    "Fallprevention i ordinärt boende": (
        "Fysioterapeuter och balansträning för äldre i ordinärt boende, tillsammans med "
        "regionens primärvård. Målet är färre fallskador och höftfrakturer; kommunen bär "
        "kostnaden och besparingarna delas med regionen."
    ),
    "Vägen till arbete": (
        "Samordnade insatser från kommunen, Arbetsförmedlingen och Försäkringskassan för unga "
        "vuxna som länge stått utanför arbetsmarknaden. Målet är att fler ska få arbete eller "
        "börja studera."
    ),
    "Unga till arbete": (
        "Jobbcoacher och praktikplatser för unga som varken arbetar eller studerar, beslutat "
        "av kommunstyrelsens arbetsutskott i december 2025."
    ),
}


def build_publications() -> None:
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    for project in Project.objects.filter(title__in=SUMMARIES).order_by("code"):
        publication_create(
            project=project, summary=SUMMARIES[project.title], acting_user=coordinator
        )
