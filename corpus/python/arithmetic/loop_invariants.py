"""Loops whose invariants the analysis cannot see, next to the bugs it can."""

import math
import random

REGISTRY = []


def register(item):
    REGISTRY.append(item)


def first_registered():
    # REGISTRY is filled by `register`: the literal `[]` above is not its value here.
    return REGISTRY[0]  # ok: PY-A003


def pick_weighted(weights: dict, rng: random.Random):
    total = sum(weights.values())
    if total == 0:
        return None
    target = rng.random() * total
    keys = list(weights)
    i = 0
    acc = weights[keys[i]]
    while target > acc:
        i += 1
        # `i` stays in range because `acc` reaches `total`: an invariant, not a finding.
        acc += weights[keys[i]]  # ok: PY-A003
    return keys[i]


def exponential_gap(rng: random.Random, p: float) -> float:
    # A draw of exactly 0.0 is not a value anybody passes.
    return math.log(rng.random())  # ok: PY-A004


def distinct_lengths(parts: list) -> bool:
    # A set comprehension can be shorter than the list it reads.
    return len({len(p) for p in parts}) != len([len(p) for p in parts])  # ok: PY-A005


def mean_then_spread(values: list) -> float:
    mean = sum(values) / len(values)  # expect: PY-A001
    # The line above already failed for `values = []`: no second report.
    spread = max(values) / len(values)  # ok: PY-A001
    return spread - mean


def grouped(values: list):
    def ratio(pair):
        # A nested helper: its enclosing function decides what it gets.
        return pair[0] / pair[1]  # ok: PY-A001

    return [ratio(p) for p in values]


def highest_bucket(degrees: list):
    top = 0
    for d in degrees:
        top = max(top, d)
    buckets = [[] for _ in range(len(degrees))]
    while top > 0 and not buckets[top]:  # ok: PY-A003
        top -= 1
    return top


def countdown_rate(capacity: int) -> float:
    steps = 10
    while steps > 0:
        steps -= 1
    return capacity / steps  # expect: PY-A001


def creation_sequence(n: int, m: int) -> list:
    # `["i"] * (n - 1)` is written for n >= 1: a negative count is not a case to report.
    cs = ["d"] + ["i"] * (n - 1)
    if m < n:
        return cs
    cs[n - 1] = "d"  # ok: PY-A003
    return cs


def sampled(l: int, k: int) -> list:
    out = []
    # No iteration when `l * k == 0`: the modulo below never sees a zero.
    for start in range(0, l * k, k):
        out.append((start - 1) % (l * k))  # ok: PY-A001
    return out
