from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InitFrameResultCapabilities")


@_attrs_define
class InitFrameResultCapabilities:
    """
    Attributes:
        callbacks (bool):
        playbook_state (bool):
        playbooks (bool):
        subscriptions (bool):
    """

    callbacks: bool
    playbook_state: bool
    playbooks: bool
    subscriptions: bool

    def to_dict(self) -> dict[str, Any]:
        callbacks = self.callbacks

        playbook_state = self.playbook_state

        playbooks = self.playbooks

        subscriptions = self.subscriptions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "callbacks": callbacks,
                "playbookState": playbook_state,
                "playbooks": playbooks,
                "subscriptions": subscriptions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        callbacks = d.pop("callbacks")

        playbook_state = d.pop("playbookState")

        playbooks = d.pop("playbooks")

        subscriptions = d.pop("subscriptions")

        init_frame_result_capabilities = cls(
            callbacks=callbacks,
            playbook_state=playbook_state,
            playbooks=playbooks,
            subscriptions=subscriptions,
        )

        return init_frame_result_capabilities
