"""Shared fixtures: the committed model directories and the dikkat binary the build made."""

import json
import os
import subprocess

import pytest

FIXTURES = os.environ.get("DIKKAT_FIXTURE_DIR",
                          os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures"))
DIKKAT_BIN = os.environ.get("DIKKAT_BIN",
                            os.path.join(os.path.dirname(__file__), "..", "..", "build", "dikkat"))


def model_dir(name):
    return os.path.join(FIXTURES, "models", name)


@pytest.fixture
def cli():
    """Runs `dikkat ARGS...` and returns its stdout parsed as JSON."""
    def run(*args):
        out = subprocess.run([DIKKAT_BIN, *args], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)
    return run
