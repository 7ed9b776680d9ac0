from enum import StrEnum


class ResourceKind(StrEnum):
    AGENT = "agent"
    PLAYBOOK = "playbook"

    def __str__(self) -> str:
        return str(self.value)
