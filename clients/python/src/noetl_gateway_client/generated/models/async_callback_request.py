from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.callback_error import CallbackError


T = TypeVar("T", bound="AsyncCallbackRequest")


@_attrs_define
class AsyncCallbackRequest:
    """
    Attributes:
        request_id (str):
        execution_id (int | None | str | Unset):
        status (str | Unset):  Default: 'COMPLETED'.
        data (Any | Unset): Any JSON value
        error (CallbackError | None | Unset):
    """

    request_id: str
    execution_id: int | None | str | Unset = UNSET
    status: str | Unset = "COMPLETED"
    data: Any | Unset = UNSET
    error: CallbackError | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.callback_error import CallbackError

        request_id = self.request_id

        execution_id: int | None | str | Unset
        if isinstance(self.execution_id, Unset):
            execution_id = UNSET
        else:
            execution_id = self.execution_id

        status = self.status

        data = self.data

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, CallbackError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
            }
        )
        if execution_id is not UNSET:
            field_dict["execution_id"] = execution_id
        if status is not UNSET:
            field_dict["status"] = status
        if data is not UNSET:
            field_dict["data"] = data
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.callback_error import CallbackError

        d = dict(src_dict)
        request_id = d.pop("request_id")

        def _parse_execution_id(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        execution_id = _parse_execution_id(d.pop("execution_id", UNSET))

        status = d.pop("status", UNSET)

        data = d.pop("data", UNSET)

        def _parse_error(data: object) -> CallbackError | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = CallbackError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallbackError | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        async_callback_request = cls(
            request_id=request_id,
            execution_id=execution_id,
            status=status,
            data=data,
            error=error,
        )

        async_callback_request.additional_properties = d
        return async_callback_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
