"""Benchmarks: a deterministic large-database generator and the benchmark suite."""
