"""The signed-in user's work queue, as on the start page ("To do")."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from sifra.start.selectors import todo

router = Router(tags=["start"])


class TodoItemOut(Schema):
    title: str
    url: str
    reason: str
    due: dt.date | None
    since: dt.date | None
    tag: str
    tone: str


class TodoGroupOut(Schema):
    key: str
    title: str
    count: int
    link: str
    items: list[TodoItemOut]


class TodoOut(Schema):
    role: str
    total: int
    groups: list[TodoGroupOut]


@router.get(
    "/me/todo",
    response=TodoOut,
    summary="Your work queue: per group of tasks its count and the first items, with why and "
    "by when",
)
def my_todo(request: HttpRequest) -> dict[str, object]:
    groups = todo(user=request.user)
    return {
        "role": request.user.role,
        "total": sum(g.count for g in groups),
        "groups": groups,
    }
