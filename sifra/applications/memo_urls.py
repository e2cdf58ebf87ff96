from django.urls import path

from sifra.applications import memo_views

# Included in the applications namespace under /applications/.
urlpatterns = [
    path("<int:pk>/memo/", memo_views.memo, name="memo"),
    path("<int:pk>/memo.pdf", memo_views.memo_pdf, name="memo_pdf"),
]
