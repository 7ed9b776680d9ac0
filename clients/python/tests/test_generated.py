"""The committed generated client matches what the pinned generator makes of openapi/openapi.json."""

import difflib
import filecmp
from pathlib import Path

from generate import DOCUMENT, GENERATED, generate  # clients/python/generate.py (pytest `pythonpath`)


def files(root: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(root)): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_generated_client_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "generated"
    generate(fresh)
    committed, expected = files(GENERATED), files(fresh)
    problems = [f"missing: {name}" for name in sorted(expected.keys() - committed.keys())]
    problems += [f"not generated any more: {name}" for name in sorted(committed.keys() - expected.keys())]
    for name in sorted(expected.keys() & committed.keys()):
        if not filecmp.cmp(expected[name], committed[name], shallow=False):
            diff = difflib.unified_diff(
                committed[name].read_text().splitlines(),
                expected[name].read_text().splitlines(),
                f"committed/{name}",
                f"generated/{name}",
                lineterm="",
                n=1,
            )
            problems.append("\n".join(list(diff)[:40]))
    assert not problems, (
        f"{GENERATED} is stale relative to {DOCUMENT}: run `python clients/python/generate.py`\n"
        + "\n".join(problems[:20])
    )
