from enum import StrEnum


class BackendsLifecycle(StrEnum):
    EHDB_FEED = "ehdb_feed"
    NATS = "nats"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
