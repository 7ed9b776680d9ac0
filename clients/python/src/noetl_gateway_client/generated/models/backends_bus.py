from enum import StrEnum


class BackendsBus(StrEnum):
    EMBEDDED = "embedded"
    NATS = "nats"

    def __str__(self) -> str:
        return str(self.value)
