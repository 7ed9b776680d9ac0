from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.graphql_response_200_type_0_data_type_0 import (
        GraphqlResponse200Type0DataType0,
    )
    from ..models.graphql_response_200_type_0_errors_item import (
        GraphqlResponse200Type0ErrorsItem,
    )


T = TypeVar("T", bound="GraphqlResponse200Type0")


@_attrs_define
class GraphqlResponse200Type0:
    """
    Attributes:
        data (GraphqlResponse200Type0DataType0 | None | Unset):
        errors (list[GraphqlResponse200Type0ErrorsItem] | Unset):
    """

    data: GraphqlResponse200Type0DataType0 | None | Unset = UNSET
    errors: list[GraphqlResponse200Type0ErrorsItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.graphql_response_200_type_0_data_type_0 import (
            GraphqlResponse200Type0DataType0,
        )

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, GraphqlResponse200Type0DataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.graphql_response_200_type_0_data_type_0 import (
            GraphqlResponse200Type0DataType0,
        )
        from ..models.graphql_response_200_type_0_errors_item import (
            GraphqlResponse200Type0ErrorsItem,
        )

        d = dict(src_dict)

        def _parse_data(
            data: object,
        ) -> GraphqlResponse200Type0DataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = GraphqlResponse200Type0DataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GraphqlResponse200Type0DataType0 | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        _errors = d.pop("errors", UNSET)
        errors: list[GraphqlResponse200Type0ErrorsItem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = GraphqlResponse200Type0ErrorsItem.from_dict(
                    errors_item_data
                )

                errors.append(errors_item)

        graphql_response_200_type_0 = cls(
            data=data,
            errors=errors,
        )

        return graphql_response_200_type_0
