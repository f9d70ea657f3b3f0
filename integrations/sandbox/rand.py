"""Deterministic randomness by index: the same (seed, index, salt) always gives the same number.

A record is computed from the seed and its index alone, so a world of ten million records needs
no memory and any page can be served without generating the ones before it.
"""

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
