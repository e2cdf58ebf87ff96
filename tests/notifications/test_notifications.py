"""Notifications: made with an email, listed newest first, marked read, links kept on site."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from sifra.notifications.context_processors import unread
from sifra.notifications.models import Notification
from sifra.notifications.services import notify
from sifra.notifications.views import is_local_path


@pytest.fixture
def applicant(users):
    user = users["applicant"]
    user.email = "sokande@example.se"
    user.save(update_fields=["email"])
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_notify_makes_one_and_mails_it_on_commit(
    applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(
            user=applicant, subject="Ansökan beviljad", body="Grattis", url="/applications/1/"
        )
        assert mailoutbox == []  # nothing leaves before the transaction commits
    assert Notification.objects.filter(user=applicant).count() == 1
    assert note.read_at is None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sokande@example.se"]
    assert mail.subject == "Sifra: Ansökan beviljad"
    assert "Grattis" in mail.body and mail.body.rstrip().endswith("/applications/1/")


def test_no_mail_without_an_address(users, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=users["council"], subject="Granska")
    assert Notification.objects.filter(user=users["council"]).count() == 1
    assert mailoutbox == []


def test_list_shows_own_newest_first_with_unread_marked(applicant, users):
    old = notify(user=applicant, subject="Första meddelandet")
    notify(user=applicant, subject="Andra meddelandet")
    notify(user=users["outsider"], subject="Någon annans meddelande")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    response = _client(applicant).get(reverse("notifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Andra meddelandet") < html.index("Första meddelandet")
    assert "Någon annans meddelande" not in html
    assert html.count('class="notification unread"') == 1
    assert reverse("notifications:mark_all_read") in html


def test_list_requires_login():
    response = Client().get(reverse("notifications:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_mark_all_read_is_a_post_and_only_touches_own(applicant, users):
    notify(user=applicant, subject="A")
    notify(user=applicant, subject="B")
    others = notify(user=users["outsider"], subject="C")
    client = _client(applicant)
    url = reverse("notifications:mark_all_read")
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(user=applicant, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_opening_marks_read_and_follows_a_local_link(applicant):
    note = notify(user=applicant, subject="Beviljad", url="/applications/7/")
    response = _client(applicant).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/applications/7/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_opening_never_leaves_the_site(applicant, url):
    note = Notification.objects.create(user=applicant, subject="Lurad", url=url)
    response = _client(applicant).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found(applicant, users):
    note = notify(user=users["outsider"], subject="Hemligt", url="/applications/2/")
    response = _client(applicant).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_is_local_path():
    assert is_local_path("/applications/3/")
    assert is_local_path("/notifications/?page=2")
    assert not is_local_path("applications/3/")
    assert not is_local_path("http://127.0.0.1:8000/")


def test_unread_count_for_the_badge(applicant, users, client):
    notify(user=applicant, subject="A")
    read = notify(user=applicant, subject="B")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    request = RequestFactory().get("/")
    request.user = applicant
    assert unread(request) == {"unread_notifications": 1}
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert unread(request) == {"unread_notifications": 0}


def test_badge_snippet(applicant):
    from django.template.loader import render_to_string

    html = render_to_string(
        "notifications/_badge.html", {"user": applicant, "unread_notifications": 3}
    )
    assert reverse("notifications:list") in html and ">3<" in html
    html = render_to_string(
        "notifications/_badge.html", {"user": applicant, "unread_notifications": 0}
    )
    assert "badge" not in html
