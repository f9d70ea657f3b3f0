"""Deterministic randomness by index: the same (seed, index, salt) always gives the same number.

A record is computed from the seed and its index alone, so a world of ten million records needs
no memory and any page can be served without generating the ones before it.
"""

import bisect

_MASK = (1 << 64) - 1


def mix(seed: int, index: int, salt: int) -> int:
    """A 64-bit pseudo-random integer (splitmix64 finalizer over the three inputs)."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def unit(seed: int, index: int, salt: int) -> float:
    """A number in [0, 1) — for shaping distributions only, never for money."""
    return mix(seed, index, salt) / 18446744073709551616.0


def pick(seed: int, index: int, salt: int, weighted: tuple[tuple[object, int], ...]):
    """One of the values, chosen with integer weights."""
    total = sum(weight for _, weight in weighted)
    roll = mix(seed, index, salt) % total
    for value, weight in weighted:
        if roll < weight:
            return value
        roll -= weight
    raise AssertionError("unreachable")


def bits(value: int, offset: int, width: int) -> int:
    """``width`` bits of ``value`` from ``offset``: one 64-bit draw serves several independent fields."""
    return (value >> offset) & ((1 << width) - 1)


class Weighted:
    """Values with integer weights, prepared once: choosing is a bisect, not a sum per call."""

    __slots__ = ("values", "bounds", "total")

    def __init__(self, weighted: tuple[tuple[object, int], ...]):
        self.values, self.bounds, running = [], [], 0
        for value, weight in weighted:
            running += weight
            self.values.append(value)
            self.bounds.append(running)
        self.total = running

    def choose(self, roll: int):
        """The value a roll (any non-negative integer) lands on."""
        return self.values[bisect.bisect_right(self.bounds, roll % self.total)]
