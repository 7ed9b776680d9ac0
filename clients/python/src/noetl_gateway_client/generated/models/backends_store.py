from enum import StrEnum


class BackendsStore(StrEnum):
    EHDB = "ehdb"
    EMBEDDED = "embedded"
    NATS = "nats"

    def __str__(self) -> str:
        return str(self.value)
