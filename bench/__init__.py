"""Benchmarks: each module prints figures (rows/s, ms, MB); none asserts a timing."""
