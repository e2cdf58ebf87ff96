"""JSON lines with times to the microsecond: Django's JSON encoder cuts them to milliseconds
(ECMA-262's format), and a backup must give the auditors back the very timestamps it took."""

import datetime as dt
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer  # noqa: F401  (the format's reader)
from django.core.serializers.jsonl import Serializer as JSONLSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONLSerializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()
