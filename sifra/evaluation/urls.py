from django.urls import path

from sifra.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("projects/<int:pk>/", views.project_evaluation, name="project"),
    path("projects/<int:pk>/documents/", views.project_documents, name="documents"),
    path("projects/<int:pk>/close/", views.project_close_page, name="close"),
    path("<int:pk>/assess/", views.evaluation_assess, name="assess"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
