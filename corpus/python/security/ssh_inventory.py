"""Collect package inventories from fleet hosts over SSH."""

import paramiko


def connect_trusting(host: str, user: str, key_file: str) -> paramiko.SSHClient:
    """Connect to a freshly provisioned host whose key we do not know yet."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # expect: PY-S410
    client.connect(host, username=user, key_filename=key_file, timeout=10)
    return client


def connect_known(host: str, user: str, key_file: str) -> paramiko.SSHClient:
    """Connect only to hosts listed in known_hosts."""
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # ok: PY-S410
    client.connect(host, username=user, key_filename=key_file, timeout=10)
    return client


def list_packages(client: paramiko.SSHClient) -> list[str]:
    """Installed packages, one per line."""
    _, stdout, _ = client.exec_command("dpkg-query -W -f='${Package}\\n'")
    return stdout.read().decode().splitlines()
