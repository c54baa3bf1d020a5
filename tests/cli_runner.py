"""Run the real CLI entry point in-process and capture what it prints."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from studioflow.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(capsys, *args: str) -> Result:
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return Result(int(info.value.code or 0), captured.out, captured.err)
