from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="ShardingPreviewResponse")


@_attrs_define
class ShardingPreviewResponse:
    """
    Attributes:
        execution_id (float): The execution id as a JSON integer, exactly as given (an i64: beyond 2^53, parse it
            losslessly)
        shard_count (int):
        shard_index (int): 0 to `shard_count` − 1
        source (Literal['noetl-gateway']):
        hash_function (Literal['twox_hash::XxHash64']):
        seed (Literal[0]):
    """

    execution_id: float
    shard_count: int
    shard_index: int
    source: Literal["noetl-gateway"]
    hash_function: Literal["twox_hash::XxHash64"]
    seed: Literal[0]

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        shard_count = self.shard_count

        shard_index = self.shard_index

        source = self.source

        hash_function = self.hash_function

        seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "execution_id": execution_id,
                "shard_count": shard_count,
                "shard_index": shard_index,
                "source": source,
                "hash_function": hash_function,
                "seed": seed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        execution_id = d.pop("execution_id")

        shard_count = d.pop("shard_count")

        shard_index = d.pop("shard_index")

        source = cast(Literal["noetl-gateway"], d.pop("source"))
        if source != "noetl-gateway":
            raise ValueError(f"source must match const 'noetl-gateway', got '{source}'")

        hash_function = cast(Literal["twox_hash::XxHash64"], d.pop("hash_function"))
        if hash_function != "twox_hash::XxHash64":
            raise ValueError(
                f"hash_function must match const 'twox_hash::XxHash64', got '{hash_function}'"
            )

        seed = cast(Literal[0], d.pop("seed"))
        if seed != 0:
            raise ValueError(f"seed must match const 0, got '{seed}'")

        sharding_preview_response = cls(
            execution_id=execution_id,
            shard_count=shard_count,
            shard_index=shard_index,
            source=source,
            hash_function=hash_function,
            seed=seed,
        )

        return sharding_preview_response
