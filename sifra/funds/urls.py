from django.urls import path

from sifra.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/edit/", views.fund_edit, name="edit"),
    path("<int:pk>/ledger/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/ledger/<int:number>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("<int:pk>/ledger.<str:fmt>", views.ledger_export, name="export"),
    path("<int:pk>/closings/new/", views.closing_create, name="closing_create"),
]
