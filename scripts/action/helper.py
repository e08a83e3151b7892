#!/usr/bin/env python3
"""Helpers for scripts/action/run.sh (standard library only).

  helper.py split-args STRING
      split STRING like a POSIX shell (quotes, no expansion); NUL-separated words on stdout
  helper.py rewrite-sarif FILE WORKDIR WORKSPACE
      make the artifact URIs of a SARIF file (relative to WORKDIR, where vouch ran) relative
      to WORKSPACE, the repository root that code scanning resolves them against
  helper.py rewrite-annotations FILE WORKDIR WORKSPACE
      print the workflow commands in FILE with their file= property made relative to WORKSPACE
  helper.py summary JSON WORKDIR WORKSPACE FAIL_ON SUMMARY_FILE
      print "findings errors warnings notes" and append a Markdown report to SUMMARY_FILE
"""

import html
import json
import os
import re
import shlex
import sys
import urllib.parse

SEVERITIES = ("error", "warning", "note")
TOP = 25


def repo_path(path, workdir, workspace):
    """PATH as vouch printed it (relative to WORKDIR or absolute), relative to WORKSPACE."""
    full = path if os.path.isabs(path) else os.path.join(workdir, path)
    full = os.path.normpath(full)
    rel = os.path.relpath(full, workspace)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path  # outside the repository: leave it alone
    return rel.replace(os.sep, "/")


# ------------------------------------------------------------------ split-args
def split_args(text):
    words = shlex.split(text, comments=False, posix=True)
    sys.stdout.write("".join(w + "\0" for w in words))


# ------------------------------------------------------------------ SARIF
def rewrite_uri(loc, workdir, workspace):
    uri = loc.get("uri")
    if not isinstance(uri, str):
        return
    parsed = urllib.parse.urlsplit(uri)
    if parsed.scheme == "file":
        path = urllib.parse.unquote(parsed.path)
    elif parsed.scheme:
        return  # some other scheme: not a file of ours
    else:
        path = urllib.parse.unquote(uri)
        if "uriBaseId" in loc:
            # Relative to a base the SARIF file defines; vouch ran in WORKDIR, so that is it.
            del loc["uriBaseId"]
    new = repo_path(path, workdir, workspace)
    if os.path.isabs(new):
        return
    loc["uri"] = urllib.parse.quote(new)


def walk_sarif(node, workdir, workspace):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "artifactLocation" and isinstance(value, dict):
                rewrite_uri(value, workdir, workspace)
            walk_sarif(value, workdir, workspace)
    elif isinstance(node, list):
        for item in node:
            walk_sarif(item, workdir, workspace)


def rewrite_sarif(path, workdir, workspace):
    with open(path, encoding="utf-8") as f:
        sarif = json.load(f)
    walk_sarif(sarif, workdir, workspace)
    for run in sarif.get("runs", []):
        for artifact in run.get("artifacts", []) or []:
            if isinstance(artifact.get("location"), dict):
                rewrite_uri(artifact["location"], workdir, workspace)
        run.pop("originalUriBaseIds", None)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(sarif, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


# ------------------------------------------------------------------ annotations
COMMAND = re.compile(r"^::(?P<cmd>[A-Za-z-]+) (?P<props>.*?)::(?P<msg>.*)$")


def unescape_property(value):
    for esc, ch in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(esc, ch)
    return value


def escape_property(value):
    for ch, esc in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")):
        value = value.replace(ch, esc)
    return value


def rewrite_annotations(path, workdir, workspace):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        m = COMMAND.match(line)
        if m and workdir != workspace:
            props = []
            for prop in m.group("props").split(","):
                key, sep, value = prop.partition("=")
                if key.strip() == "file" and sep:
                    value = escape_property(repo_path(unescape_property(value), workdir, workspace))
                props.append(key + sep + value)
            line = "::{} {}::{}".format(m.group("cmd"), ",".join(props), m.group("msg"))
        out.append(line)
    sys.stdout.write("".join(line + "\n" for line in out))
    sys.stdout.flush()


# ------------------------------------------------------------------ summary
def cell(text, limit=240):
    """Text made safe for one Markdown table cell."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False).replace("|", "\\|")


def code(text):
    text = " ".join(str(text).split())
    if "`" in text:
        return cell(text)
    return "`" + text.replace("|", "\\|") + "`"


def witness_text(witness):
    if not witness:
        return ""
    if isinstance(witness, dict):
        parts = []
        for name, value in witness.items():
            value = value if isinstance(value, str) else json.dumps(value)
            parts.append(f"{name} = {value}")
        return code(", ".join(parts))
    return code(json.dumps(witness))


def summary(json_path, workdir, workspace, fail_on, summary_path):
    with open(json_path, encoding="utf-8") as f:
        data = json.load(f)
    findings = [f for f in data.get("findings") or [] if isinstance(f, dict)]
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        sev = str(f.get("severity", "")).lower()
        if sev in counts:
            counts[sev] += 1
    total = len(findings)
    print(total, counts["error"], counts["warning"], counts["note"])

    blocking = {
        "error": counts["error"],
        "warning": counts["error"] + counts["warning"],
        "note": total,
        "never": 0,
    }[fail_on]
    md = ["## vouch", ""]
    if fail_on == "never":
        md.append(f"{total} finding{'s' if total != 1 else ''} (fail-on: `never`).")
    elif blocking:
        md.append(f"❌ {blocking} finding{'s' if blocking != 1 else ''} at or above `{fail_on}`: the check fails.")
    else:
        md.append(f"✅ No findings at or above `{fail_on}`.")
    md += ["", "| Severity | Findings |", "| --- | ---: |"]
    for sev in SEVERITIES:
        md.append(f"| {sev} | {counts[sev]} |")
    md.append(f"| **total** | **{total}** |")

    s = data.get("summary") or {}
    if s:
        md += [
            "",
            "Checked {} files ({} lines) in {} ms: {} sites proved safe, {} violated, {} unknown.".format(
                s.get("files", "?"),
                s.get("lines", "?"),
                s.get("elapsed_ms", "?"),
                s.get("proved", "?"),
                s.get("violated", "?"),
                s.get("unknown", "?"),
            ),
        ]

    if findings:
        rank = {sev: i for i, sev in enumerate(SEVERITIES)}
        ordered = sorted(
            findings,
            key=lambda f: (
                rank.get(str(f.get("severity", "")).lower(), len(SEVERITIES)),
                str(f.get("path", "")),
                f.get("line") or 0,
                f.get("column") or 0,
            ),
        )
        with_witness = any(f.get("witness") for f in ordered[:TOP])
        header = "| Severity | Rule | Location | Message |"
        rule_line = "| --- | --- | --- | --- |"
        if with_witness:
            header += " Counterexample |"
            rule_line += " --- |"
        md += ["", "### Top findings" if total > TOP else "### Findings", "", header, rule_line]
        for f in ordered[:TOP]:
            path = repo_path(str(f.get("path", "?")), workdir, workspace)
            rule = code(f.get("rule", "?"))
            if f.get("name"):
                rule += " " + cell(f["name"])
            row = "| {} | {} | {} | {} |".format(
                cell(f.get("severity", "?")),
                rule,
                code(f"{path}:{f.get('line', '?')}"),
                cell(f.get("message", "")),
            )
            if with_witness:
                row += f" {witness_text(f.get('witness'))} |"
            md.append(row)
        if total > TOP:
            md += ["", f"…and {total - TOP} more: see the SARIF file or the code scanning alerts."]
    md.append("")
    with open(summary_path, "a", encoding="utf-8") as out:
        out.write("\n".join(md) + "\n")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        if cmd == "split-args" and len(args) == 1:
            split_args(args[0])
        elif cmd == "rewrite-sarif" and len(args) == 3:
            rewrite_sarif(*args)
        elif cmd == "rewrite-annotations" and len(args) == 3:
            rewrite_annotations(*args)
        elif cmd == "summary" and len(args) == 5:
            summary(*args)
        else:
            sys.exit(__doc__)
    except (OSError, ValueError) as e:
        sys.exit(f"vouch-action: {cmd}: {e}")


if __name__ == "__main__":
    main()
