from django.urls import path

from sifra.applications import case_urls, edit_views, memo_urls, step_views, views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", edit_views.application_edit, name="edit"),
    path("<int:pk>/edit/<slug:section>/", edit_views.application_section, name="section"),
    path("<int:pk>/check/", edit_views.application_check, name="check"),
    path("<int:pk>/submitted/", edit_views.application_submitted, name="submitted"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/submit/", edit_views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/return/", step_views.application_return, name="return"),
    path("<int:pk>/send-to-review/", step_views.application_send_to_review, name="send_to_review"),
    path("<int:pk>/review/", step_views.application_review, name="review"),
    path("<int:pk>/recommend/", step_views.application_recommend, name="recommend"),
    path("<int:pk>/decide/", step_views.application_decide, name="decide"),
    path("<int:pk>/versions/", views.version_compare, name="versions"),
    path("rules/<int:fund_pk>/", views.rules_edit, name="rules"),
    *case_urls.urlpatterns,
    *memo_urls.urlpatterns,
]
