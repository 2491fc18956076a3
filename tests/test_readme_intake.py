"""The README's "Leads from web forms" server steps, run as written against a real serve.

The section's server blocks are marked "not run" for the main README run (a server
runs until Ctrl-C). Here the server's command is started in the background and its
first line checked against the README's; the requests after it run as written
(curl), with their output checked, and the lead they send is in the database. Only
the port changes: a free one instead of the README's 8787.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests import backend
from tests.readme_blocks import README, clean_env, readme_steps, run_steps
from tests.test_readme import prospector_shim

SECTION = re.search(r"^## Leads from web forms\n.*?(?=^## )", README.read_text(), re.S | re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_steps(port: int):
    assert SECTION is not None, "README.md has no 'Leads from web forms' section"
    text = SECTION.group().replace("8787", str(port))
    # Only the blocks kept out of the main README run: the server and its requests.
    text = re.sub(r"^<!-- not run: .* -->\n```sh$", "```server", text, flags=re.M)
    text = re.sub(r"^```sh$", "```text", text, flags=re.M)
    text = text.replace("```server", "```sh")
    return readme_steps(text)


def test_the_section_covers_what_a_sender_needs():
    text = SECTION.group() if SECTION else ""
    for needed in (
        "prospector add", "--stdin", "prospector serve", "PROSPECTOR_INTAKE_SECRET",
        "PROSPECTOR_INTAKE_TOKEN", "whsec_", "webhook-id", "webhook-timestamp",
        "webhook-signature", "Authorization: Bearer", "reverse_proxy 127.0.0.1:8787",
        "proxy_pass http://127.0.0.1:8787", "413", "401", "400", "201",
    ):  # fmt: skip
        assert needed in text, needed


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's requests use curl")
def test_the_server_steps_work_as_written(tmp_path: Path):
    prospector_shim(tmp_path)
    port = free_port()
    steps = server_steps(port)
    env = clean_env(tmp_path / "home", PYTHONPATH=str(README.parent), PROSPECTOR_DB="team.db")
    run_steps(readme_steps("```sh\n.venv/bin/prospector init\n```\n"), tmp_path, env)
    serve = next(step for step in steps if " serve" in step.command and not step.env)
    for step in steps[: steps.index(serve)]:
        env.update(step.env)
    requests = steps[steps.index(serve) + 1 :]
    server = subprocess.Popen(
        ["sh", "-c", f"exec {serve.command}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert [server.stdout.readline().rstrip("\n")] == serve.shown
        run_steps(requests, tmp_path, env)
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    assert (server.returncode, out, err) == (0, "prospector serve: stopped\n", "")
    assert backend.rows(
        tmp_path / "team.db", "SELECT first_name, last_name, phone, source FROM contacts"
    ) == [("Eve", "Moss", "+16465550188", "web form")]
