#!/usr/bin/env python3
"""Differential test of vouch's arithmetic verdicts against CPython (standard library only).

Generates small random Python functions (int parameters and locals, `//`, `%`, `/`, list
indexing, lists changed in place (append, pop, clear, extend, insert, `+=`, item
assignment, `del`), asserts, if/else guards, bounded loops, calls to earlier functions,
rebinding), runs `vouch check --format json --proofs` on them, then
executes every function with CPython over a grid of argument values and records the lines
that raised ZeroDivisionError, IndexError or AssertionError.

Reports, and exits 1 on the first two:
  - false proofs: a site vouch proved safe where some execution crashed (with the
    generated function shrunk to the smallest version that still shows it);
  - run differences: the report with `--threads 1` differs from the default run;
  - recall: of the sites CPython crashed at, how many vouch reported (by kind), apart
    from those where the crash needs a parameter passed straight to the operation
    (`x // b` with `b` a parameter: the policy leaves those to callers).

  differential.py [--seed S] [--functions N] [--per-file K] [--vouch PATH] [--keep DIR]
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

# Argument grid: small values around the edges, plus a few large ones.
GRID = [-3, -2, -1, 0, 1, 2, 3, 7, -50, 1000]

# CPython exception -> the vouch rule whose site it contradicts.
RULE_OF = {
    "ZeroDivisionError": "PY-A001",
    "AssertionError": "PY-A002",
    "IndexError": "PY-A003",
}

SITE = "  # site"


# ---------------------------------------------------------------- generation


class Func:
    """One generated function: its lines (with indentation) and per-line risk notes."""

    def __init__(self, name, params):
        self.name = name
        self.params = params
        self.lines = []  # (indent, text)
        self.risky = {}  # line index -> (kind, direct parameter?)
        self.calls = set()  # names of earlier functions it calls

    def emit(self, indent, text, kind=None, direct=False):
        if kind:
            self.risky[len(self.lines)] = (kind, direct)
        self.lines.append((indent, text))

    def source(self):
        return "\n".join("    " * i + t for i, t in self.lines) + "\n"


class Gen:
    """A seeded generator; every choice goes through `self.r`."""

    def __init__(self, rng, per_file):
        self.r = rng
        self.per_file = per_file
        self.funcs = []
        # Call depth of each function, kept low so a grid run stays cheap.
        self.depth = {}

    # -- expressions (no risky operation inside: one site per line)

    def atom(self, ints):
        r = self.r.random()
        if r < 0.6 and ints:
            return self.r.choice(ints)
        return str(self.r.choice([0, 1, 2, 3, -1, 5, 10]))

    def int_expr(self, ints, lists, depth=0):
        r = self.r.random()
        if depth >= 2 or r < 0.35:
            return self.atom(ints)
        if r < 0.45 and lists:
            return "len(%s)" % self.r.choice(lists)
        if r < 0.5:
            return "abs(%s)" % self.int_expr(ints, lists, depth + 1)
        op = self.r.choice(["+", "-", "*", "+", "-"])
        return "(%s %s %s)" % (
            self.int_expr(ints, lists, depth + 1),
            op,
            self.int_expr(ints, lists, depth + 1),
        )

    def cond(self, ints, lists):
        r = self.r.random()
        if r < 0.2 and lists:
            xs = self.r.choice(lists)
            return self.r.choice(["len(%s) > 0" % xs, "not %s" % xs, "%s" % xs, "len(%s) > 1" % xs])
        op = self.r.choice(["==", "!=", "<", "<=", ">", ">="])
        return "%s %s %s" % (self.int_expr(ints, lists, 1), op, self.int_expr(ints, lists, 1))

    def divisor(self, f, ints, lists):
        """A divisor and whether it is a parameter as passed."""
        r = self.r.random()
        if r < 0.3:
            p = self.r.choice(f.params)
            return p, True
        if r < 0.45 and lists:
            return "len(%s)" % self.r.choice(lists), False
        if r < 0.55:
            return str(self.r.choice([0, 1, 2, 3, -2])), False
        if r < 0.75:
            return "(%s - %d)" % (self.r.choice(ints), self.r.choice([1, 2, 3])), False
        return self.int_expr(ints, lists, 1), False

    def index(self, f, ints, lists, xs):
        r = self.r.random()
        if r < 0.3:
            return self.r.choice(f.params), True
        if r < 0.45:
            return str(self.r.choice([0, 1, -1, 2])), False
        if r < 0.6:
            return "len(%s) - 1" % xs, False
        if r < 0.75:
            return "%s %% %d" % (self.r.choice(ints), self.r.choice([2, 3, 4])), False
        return self.int_expr(ints, lists, 1), False

    # -- statements

    def fresh(self, f, prefix, taken):
        i = 0
        while "%s%d" % (prefix, i) in taken:
            i += 1
        return "%s%d" % (prefix, i)

    def block(self, f, indent, ints, lists, n, depth, in_loop=False):
        """Emits `n` statements; returns the names bound on every path through them."""
        ints, lists = list(ints), list(lists)
        for _ in range(n):
            self.statement(f, indent, ints, lists, depth, in_loop)
        return ints, lists

    def statement(self, f, indent, ints, lists, depth, in_loop):
        taken = set(ints) | set(lists) | set(f.params)
        r = self.r.random()
        if r < 0.14:
            locals_ = [i for i in ints if i not in f.params]
            v = self.r.choice(locals_) if locals_ and self.r.random() < 0.4 else self.fresh(f, "t", taken)
            f.emit(indent, "%s = %s" % (v, self.int_expr(ints, lists)))
            if v not in ints:
                ints.append(v)
        elif r < 0.30:
            v = self.fresh(f, "q", taken)
            d, direct = self.divisor(f, ints, lists)
            op = self.r.choice(["//", "%", "//", "%", "/"])
            if op == "/":
                # A float: kept apart from the int names, never used again.
                f.emit(indent, "%s = %s / %s" % (self.fresh(f, "fl", taken), self.int_expr(ints, lists, 1), d), "div", direct)
            else:
                f.emit(indent, "%s = %s %s %s" % (v, self.int_expr(ints, lists, 1), op, d), "div", direct)
                ints.append(v)
        elif r < 0.40 and not in_loop:
            xs = self.fresh(f, "xs", taken) if self.r.random() < 0.6 or not lists else self.r.choice(lists)
            items = ", ".join(self.int_expr(ints, [], 1) for _ in range(self.r.choice([0, 1, 1, 2, 3])))
            f.emit(indent, "%s = [%s]" % (xs, items))
            if xs not in lists:
                lists.append(xs)
        elif r < 0.48 and lists and not in_loop:
            self.mutation(f, indent, ints, lists)
        elif r < 0.62 and lists:
            xs = self.r.choice(lists)
            v = self.fresh(f, "e", taken)
            i, direct = self.index(f, ints, lists, xs)
            f.emit(indent, "%s = %s[%s]" % (v, xs, i), "index", direct)
            ints.append(v)
        elif r < 0.70:
            c = self.cond(ints, lists)
            names = set(re.findall(r"[A-Za-z_]\w*", c)) - {"len", "abs", "not"}
            f.emit(indent, "assert %s" % c, "assert", bool(names) and names <= set(f.params))
        elif r < 0.84 and depth < 2:
            f.emit(indent, "if %s:" % self.cond(ints, lists))
            if self.r.random() < 0.3:
                f.emit(indent + 1, "return %s" % self.int_expr(ints, lists, 1))
            else:
                self.block(f, indent + 1, ints, lists, self.r.choice([1, 2, 3]), depth + 1, in_loop)
            if self.r.random() < 0.4:
                f.emit(indent, "else:")
                self.block(f, indent + 1, ints, lists, self.r.choice([1, 2]), depth + 1, in_loop)
        elif r < 0.88:
            # A guard that makes the next division safe, or not quite.
            d = self.r.choice(ints)
            k = self.r.choice([0, 0, 1])
            f.emit(indent, "if %s == %d:" % (d, k))
            f.emit(indent + 1, "return 0")
            v = self.fresh(f, "q", taken)
            f.emit(indent, "%s = %s // %s" % (v, self.int_expr(ints, lists, 1), d), "div", d in f.params)
            ints.append(v)
        elif r < 0.92 and not in_loop:
            # Rebinding: a fact about the old list must not outlive it.
            xs = self.fresh(f, "xs", taken)
            i = self.r.choice(ints)
            first = self.fresh(f, "e", taken)
            second = self.fresh(f, "e", taken | {first})
            f.emit(indent, "%s = [%s]" % (xs, self.int_expr(ints, [], 1)))
            f.emit(indent, "%s = %s[%s]" % (first, xs, i), "index", i in f.params)
            f.emit(indent, "%s = %s" % (xs, self.r.choice(["[]", "[1, 2]", "[0]"])))
            f.emit(indent, "%s = %s[%s]" % (second, xs, i), "index", i in f.params)
            lists.append(xs)
        elif r < 0.96 and depth < 2 and not in_loop:
            acc = self.fresh(f, "acc", taken)
            f.emit(indent, "%s = %s" % (acc, self.atom(ints)))
            if lists and self.r.random() < 0.5:
                it = self.fresh(f, "v", taken)
                f.emit(indent, "for %s in %s:" % (it, self.r.choice(lists)))
            else:
                it = self.fresh(f, "i", taken)
                f.emit(indent, "for %s in range(%d):" % (it, self.r.choice([0, 1, 2, 3, 4])))
            body_ints = ints + [it, acc]
            f.emit(indent + 1, "%s = %s + %s" % (acc, acc, self.int_expr(body_ints, [], 1)))
            if self.r.random() < 0.5:
                self.block(f, indent + 1, body_ints, lists, 1, depth + 1, in_loop=True)
            ints.append(acc)
        elif self.callees():
            callee = self.r.choice(self.callees())
            v = self.fresh(f, "r", taken)
            args = ", ".join(self.int_expr(ints, lists, 1) for _ in callee.params)
            f.emit(indent, "%s = %s(%s)" % (v, callee.name, args))
            f.calls.add(callee.name)
            ints.append(v)
        else:
            f.emit(indent, "%s = %s" % (self.fresh(f, "t", taken), self.int_expr(ints, lists)))

    def callees(self):
        """Earlier functions of the same file (vouch follows calls within a module) that
        call at most one level further."""
        start = len(self.funcs) - len(self.funcs) % self.per_file
        return [g for g in self.funcs[start:][-6:] if self.depth[g.name] < 2]

    def mutation(self, f, indent, ints, lists):
        """A list changed in place: what the analysis knows about it must follow."""
        xs = self.r.choice(lists)
        e = self.int_expr(ints, [], 1)
        r = self.r.random()
        if r < 0.35:
            f.emit(indent, "%s.append(%s)" % (xs, e))
        elif r < 0.55:
            f.emit(indent, "%s.pop()" % xs, "pop", False)
        elif r < 0.63:
            f.emit(indent, "%s.clear()" % xs)
        elif r < 0.71:
            f.emit(indent, "%s.extend([%s, %s])" % (xs, e, self.atom(ints)))
        elif r < 0.79:
            f.emit(indent, "%s.insert(0, %s)" % (xs, e))
        elif r < 0.87:
            f.emit(indent, "%s += [%s]" % (xs, e))
        else:
            i, direct = self.index(f, ints, lists, xs)
            if self.r.random() < 0.5:
                f.emit(indent, "%s[%s] = %s" % (xs, i, e), "index", direct)
            else:
                f.emit(indent, "del %s[%s]" % (xs, i), "index", direct)

    def function(self, name):
        params = ["a", "b", "c"][: self.r.choice([1, 2, 2, 3, 3])]
        f = Func(name, params)
        f.emit(0, "def %s(%s):" % (name, ", ".join(params)))
        ints, lists = self.block(f, 1, params, [], self.r.choice([3, 4, 5, 6, 7]), 0)
        f.emit(1, "return %s" % self.int_expr(ints, lists, 1))
        self.depth[name] = 1 + max((self.depth[c] for c in f.calls), default=-1)
        self.funcs.append(f)
        return f


# ---------------------------------------------------------------- files


def write_files(funcs, per_file, workdir):
    """Writes the functions into files; returns [(file, [(func, first line)])]."""
    out = []
    for start in range(0, len(funcs), per_file):
        chunk = funcs[start : start + per_file]
        name = "gen_%04d.py" % (start // per_file)
        text, placed, line = [], [], 1
        for f in chunk:
            placed.append((f, line))
            src = f.source()
            text.append(src + "\n\n")
            line += src.count("\n") + 2
        with open(os.path.join(workdir, name), "w", encoding="utf-8") as fh:
            fh.write("".join(text))
        out.append((name, placed))
    return out


# ---------------------------------------------------------------- running vouch


def callees_of(func, by_name):
    """Every function `func` calls, directly or not, in definition order."""
    seen, todo = set(), list(func.calls)
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(by_name[c].calls)
    return sorted((by_name[c] for c in seen), key=lambda g: int(g.name[2:]))


def run_vouch(vouch, workdir, files, threads=None):
    cmd = [vouch, "check", *files, "--format", "json", "--proofs", "--no-cache"]
    if threads:
        cmd += ["--threads", str(threads)]
    p = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("vouch failed (%d): %s" % (p.returncode, p.stderr[-2000:]))
    return json.loads(p.stdout)


def comparable(doc):
    """The report without what may vary between runs by design (times)."""
    summary = {k: v for k, v in doc["summary"].items() if k not in ("elapsed_ms", "solver")}
    return {
        "findings": doc["findings"],
        "proofs": doc.get("proofs", []),
        "summary": summary,
        "notes": doc.get("notes", []),
    }


# ---------------------------------------------------------------- running CPython


def crash_chain(tb, path):
    """Lines of `path` on the traceback, innermost last."""
    return [fr.lineno for fr in traceback.extract_tb(tb) if os.path.abspath(fr.filename) == path]


def execute(workdir, files):
    """{(file, innermost line): {"exc", "args", "func", "chain"}} over the grid, and the
    number of other exceptions (a generator bug if not 0)."""
    crashes = {}
    other = 0
    for name, placed in files:
        path = os.path.abspath(os.path.join(workdir, name))
        namespace = {"__name__": name[:-3]}
        with open(path, encoding="utf-8") as fh:
            exec(compile(fh.read(), path, "exec"), namespace)
        for f, _ in placed:
            fn = namespace[f.name]
            for args in grid(len(f.params)):
                try:
                    fn(*args)
                except (ZeroDivisionError, IndexError, AssertionError) as e:
                    chain = crash_chain(e.__traceback__, path)
                    key = (name, chain[-1])
                    if key not in crashes:
                        crashes[key] = {
                            "exc": type(e).__name__,
                            "args": args,
                            "func": f.name,
                            "chain": chain,
                        }
                except Exception:
                    other += 1
    return crashes, other


def grid(n):
    if n == 0:
        yield ()
        return
    for v in GRID:
        for rest in grid(n - 1):
            yield (v,) + rest


# ---------------------------------------------------------------- shrinking


def shrink(vouch, func, by_name, crash):
    """The smallest version of `func` (lines removed one at a time) whose marked site is
    still proved by vouch and still crashes under CPython."""
    lines = func.source().rstrip("\n").split("\n")
    site = crash["site_index"]
    lines[site] += SITE
    helpers = "".join(g.source() + "\n\n" for g in callees_of(func, by_name))

    def still_false(candidate):
        text = helpers + "\n".join(candidate) + "\n"
        try:
            compile(text, "x.py", "exec")
        except SyntaxError:
            return False
        marked = [i for i, l in enumerate(text.split("\n")) if l.endswith(SITE)]
        if not marked:
            return False
        line = marked[0] + 1
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "case.py")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            doc = run_vouch(vouch, d, ["case.py"])
            rule = RULE_OF[crash["exc"]]
            if not any(p["line"] == line and p["rule"] == rule for p in doc.get("proofs", [])):
                return False
            ns = {}
            try:
                exec(compile(text, path, "exec"), ns)
            except Exception:
                return False
            fn = ns.get(func.name)
            if fn is None:
                return False
            for args in grid(len(func.params)):
                try:
                    fn(*args)
                except (ZeroDivisionError, IndexError, AssertionError) as e:
                    chain = crash_chain(e.__traceback__, path)
                    if chain and chain[-1] == line and type(e).__name__ == crash["exc"]:
                        return True
                except Exception:
                    pass
        return False

    def depth(line):
        return len(line) - len(line.lstrip(" "))

    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 1, 0, -1):
            if i >= len(lines) or lines[i].endswith(SITE):
                continue
            # The line with the block it opens (`else:` and its body), then the line alone.
            end = i + 1
            while end < len(lines) and depth(lines[end]) > depth(lines[i]):
                end += 1
            for cut in sorted({end, i + 1}, reverse=True):
                if any(l.endswith(SITE) for l in lines[i:cut]):
                    continue
                candidate = lines[:i] + lines[cut:]
                if still_false(candidate):
                    lines = candidate
                    changed = True
                    break
    # Only the helpers the shrunk function still calls (they need no shrinking: their
    # own sites are judged on their own).
    body = "\n".join(lines)
    kept = [g for g in callees_of(func, by_name) if re.search(r"\b%s\(" % g.name, body)]
    used = {c.name for g in kept for c in callees_of(g, by_name)} | {g.name for g in kept}
    shown = "".join(g.source() + "\n\n" for g in callees_of(func, by_name) if g.name in used)
    return shown + body + "\n"


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--functions", type=int, default=500)
    ap.add_argument("--per-file", type=int, default=50, help="functions per generated file")
    ap.add_argument("--vouch", default=None, help="the vouch binary (default: target/release/vouch, else PATH)")
    ap.add_argument("--keep", default=None, help="write the generated files here and keep them")
    ap.add_argument("--no-shrink", action="store_true", help="report false proofs unshrunk")
    args = ap.parse_args()

    vouch = args.vouch or default_vouch()
    rng = random.Random(args.seed)
    gen = Gen(rng, args.per_file)
    funcs = [gen.function("f_%d" % i) for i in range(args.functions)]
    by_name = {f.name: f for f in funcs}

    tmp = None
    if args.keep:
        workdir = os.path.abspath(args.keep)
        os.makedirs(workdir, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="vouch-diff-")
        workdir = tmp
    try:
        return run(args, vouch, funcs, by_name, workdir)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def default_vouch():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    release = os.path.join(here, "target", "release", "vouch")
    if os.path.exists(release):
        return release
    found = shutil.which("vouch")
    if not found:
        sys.exit("no vouch binary: build with `cargo build --release` or pass --vouch")
    return found


def run(args, vouch, funcs, by_name, workdir):
    files = write_files(funcs, args.per_file, workdir)
    names = [n for n, _ in files]
    doc = run_vouch(vouch, workdir, names)
    doc_one = run_vouch(vouch, workdir, names, threads=1)
    crashes, other = execute(workdir, files)

    # Where each line of each file comes from.
    where = {}
    for name, placed in files:
        for f, first in placed:
            for i in range(len(f.lines)):
                where[(name, first + i)] = (f, i)

    proofs = {(p["path"], p["line"], p["rule"]) for p in doc.get("proofs", [])}
    reported = {(x["path"], x["line"], x["rule"]) for x in doc["findings"]}

    false_proofs = []
    for (name, line), c in sorted(crashes.items()):
        rule = RULE_OF[c["exc"]]
        if (name, line, rule) in proofs:
            f, i = where.get((name, line), (None, None))
            false_proofs.append((name, line, rule, c, f, i))

    # Recall, by kind, over the crash sites of the generated functions.
    stats = {}
    for (name, line), c in crashes.items():
        f, i = where.get((name, line), (None, None))
        if f is None:
            continue
        kind, direct = f.risky.get(i, ("other", False))
        rule = RULE_OF[c["exc"]]
        hit = any((name, l, rule) in reported for l in c["chain"])
        s = stats.setdefault(kind, {"crashed": 0, "reported": 0, "direct": 0, "direct_reported": 0})
        if direct:
            s["direct"] += 1
            s["direct_reported"] += hit
        else:
            s["crashed"] += 1
            s["reported"] += hit
    crash_keys = {(n, l) for n, l in crashes}
    chain_lines = {(n, l) for (n, _), c in crashes.items() for l in c["chain"]}
    unconfirmed = sum(
        1
        for (n, l, r) in reported
        if r in RULE_OF.values() and (n, l) not in crash_keys and (n, l) not in chain_lines
    )

    diffs = diff_reports(comparable(doc), comparable(doc_one))

    print("vouch differential: seed %d, %d functions in %d files" % (args.seed, len(funcs), len(files)))
    s = doc["summary"]
    print(
        "vouch: %d findings, %d proofs, %d unknown, %d unseen"
        % (s["findings"], s["proved"], s["unknown"], s["unseen"])
    )
    print("cpython: %d crash sites over a grid of %d values per parameter" % (len(crashes), len(GRID)))
    total = {"crashed": 0, "reported": 0, "direct": 0, "direct_reported": 0}
    for kind in sorted(stats):
        st = stats[kind]
        for k in total:
            total[k] += st[k]
        print(
            "  %-7s crashed %5d, reported %5d (%s); parameter as passed: %d, reported %d"
            % (kind, st["crashed"], st["reported"], pct(st["reported"], st["crashed"]), st["direct"], st["direct_reported"])
        )
    print(
        "recall: %d of %d crash sites reported (%s), not counting %d where a parameter is passed straight to the operation (%d of those reported)"
        % (total["reported"], total["crashed"], pct(total["reported"], total["crashed"]), total["direct"], total["direct_reported"])
    )
    print("findings at lines no execution crashed at (grid too small, or false alarms): %d" % unconfirmed)
    print("determinism (--threads 1 vs default): %s" % ("identical" if not diffs else "%d differences" % len(diffs)))
    for d in diffs[:10]:
        print("  " + d)
    if other:
        print("other exceptions (generator bug): %d" % other)
    print("false proofs: %d" % len(false_proofs))
    for name, line, rule, c, f, i in false_proofs:
        print("\n%s:%d %s proved, but %s(%s) raised %s there" % (name, line, rule, c["func"], ", ".join(map(str, c["args"])), c["exc"]))
        if f is None:
            continue
        c = dict(c, site_index=i)
        text = f.source() if args.no_shrink else shrink(vouch, f, by_name, c)
        print(indent(text))
    return 1 if false_proofs or diffs else 0


def diff_reports(a, b):
    out = []
    for key in ("findings", "proofs", "notes"):
        sa = {json.dumps(x, sort_keys=True) for x in a[key]}
        sb = {json.dumps(x, sort_keys=True) for x in b[key]}
        out += ["%s only in the default run: %s" % (key, x) for x in sorted(sa - sb)]
        out += ["%s only with --threads 1: %s" % (key, x) for x in sorted(sb - sa)]
        if not (sa - sb or sb - sa) and a[key] != b[key]:
            out.append("%s: same entries in another order" % key)
    if a["summary"] != b["summary"]:
        out.append("summary: %s vs %s" % (a["summary"], b["summary"]))
    return out


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


def indent(text):
    return "".join("    " + l + "\n" for l in text.rstrip("\n").split("\n"))


if __name__ == "__main__":
    sys.exit(main())
