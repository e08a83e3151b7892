"""Remote maintenance tasks over SSH for the ops dashboard."""

import re
import shlex

import paramiko

SERVICE_NAME = re.compile(r"[a-z0-9@._-]+")


def restart_remote(client: paramiko.SSHClient, service: str) -> str:
    """Restart a systemd unit on the remote host."""
    _, stdout, _ = client.exec_command(f"sudo systemctl restart {service}")  # expect: PY-S203
    return stdout.read().decode()


def restart_remote_checked(client: paramiko.SSHClient, service: str) -> str:
    """Restart a unit whose name was validated first."""
    if not re.fullmatch(r"[a-z0-9@._-]+", service):
        raise ValueError(f"bad unit name {service!r}")
    _, stdout, _ = client.exec_command(f"sudo systemctl restart {service}")  # ok: PY-S203
    return stdout.read().decode()


def uptime(client: paramiko.SSHClient) -> str:
    """Constant remote command."""
    _, stdout, _ = client.exec_command("uptime")  # ok: PY-S203
    return stdout.read().decode()


def quote_for_remote(path: str) -> str:
    """Quote a path for the remote shell."""
    return shlex.quote(path)
