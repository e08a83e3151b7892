"""Send deployment alerts to the team chat."""

import os

import requests

SLACK_WEBHOOK_URL = "https://hooks.slack.com/services/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"  # expect: PY-S902
SLACK_BOT_TOKEN = "xoxb-09749921355-7760143279622-sNdV40J599dTCZWZYvRSZeyx"  # expect: PY-S902
FALLBACK_WEBHOOK = os.environ.get("ALERT_WEBHOOK_URL", "")


def post_alert(text: str) -> None:
    """Post a message through the incoming webhook."""
    requests.post(SLACK_WEBHOOK_URL, json={"text": text}, timeout=5)


def post_as_bot(channel: str, text: str) -> None:
    """Post as the bot user, with the token from the environment."""
    requests.post(
        "https://slack.com/api/chat.postMessage",
        headers={"Authorization": f"Bearer {os.environ['SLACK_BOT_TOKEN']}"},
        json={"channel": channel, "text": text},
        timeout=5,
    )
