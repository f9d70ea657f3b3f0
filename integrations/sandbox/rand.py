"""Deterministic randomness by index: the same (seed, index, salt) always gives the same number.

A record is computed from the seed and its index alone, so a world of ten million records needs
no memory and any page can be served without generating the ones before it.
"""

_MASK = (1 << 64) - 1


_INDEX_FACTOR = 0xBF58476D1CE4E5B9


def mix(seed: int, index: int, salt: int) -> int:
    """A 64-bit pseudo-random integer (splitmix64 finalizer over the three inputs)."""
    return mix_at(mix_base(seed, salt), index)


def mix_base(seed: int, salt: int) -> int:
    """The part of ``mix`` that does not depend on the index: computed once per stream of draws."""
    return seed * 0x9E3779B97F4A7C15 + salt * 0x94D049BB133111EB


def mix_at(base: int, index: int) -> int:
    """``mix(seed, index, salt)`` given ``mix_base(seed, salt)``: the hot path of a sandbox serving pages."""
    z = (base + index * _INDEX_FACTOR) & _MASK
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
    """Values with integer weights, prepared once: choosing is one lookup, not a sum per call.

    The table holds each value ``weight`` times, so the weights' total must stay small (they are
    percentages and per-mille here); ``pick`` draws the same value for the same roll.
    """

    __slots__ = ("table", "total")

    MAX_TOTAL = 100_000

    def __init__(self, weighted: tuple[tuple[object, int], ...]):
        self.table = tuple(value for value, weight in weighted for _ in range(weight))
        self.total = len(self.table)
        if not 0 < self.total <= self.MAX_TOTAL:
            raise ValueError(f"weights must add up to between 1 and {self.MAX_TOTAL}, not {self.total}")

    def choose(self, roll: int):
        """The value a roll (any non-negative integer) lands on."""
        return self.table[roll % self.total]
