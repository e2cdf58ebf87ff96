from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from sifra.accounts import views as accounts_views
from sifra.api.api import api
from sifra.api.errors import api_not_found
from sifra.calculations.views import calc_page

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", accounts_views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),  # unknown API paths answer JSON, not the HTML 404 page
    path("calc/", calc_page, name="calc"),
    path("funds/", include("sifra.funds.urls")),
    path("funds/", include("sifra.accounting.urls")),
    path("projects/", include("sifra.projects.urls")),
    path("applications/", include("sifra.applications.urls")),
    path("people/", include("sifra.accounts.urls")),
    path("audit/", include("sifra.audit.urls")),
    path("notifications/", include("sifra.notifications.urls")),
    path("evaluation/", include("sifra.evaluation.urls")),
    path("followup/", include("sifra.followup.urls")),
    path("repayment/", include("sifra.repayment.urls")),
    path("calculations/", include("sifra.calculations.urls")),
    path("oppen-data/", include("sifra.opendata.urls")),
    path("reports/", include("sifra.reports.urls")),
    path("forecasts/", include("sifra.forecasts.urls")),
    path("portfolio/", include("sifra.portfolio.urls")),
    path("", include("sifra.start.urls")),
]
