from django.urls import path

from sifra.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/<int:pk>/", views.project_page, name="project"),
    path("projects/<int:pk>/schedule/", views.schedule_set, name="schedule"),
    path("projects/<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("projects/<int:pk>/budget-lines/", views.budget_line_add, name="budget_line_add"),
    path("projects/<int:pk>/dues/<int:due_pk>/write/", views.report_write, name="report_write"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
]
