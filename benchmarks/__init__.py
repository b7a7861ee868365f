"""Benchmarks of gouji (run with python -m benchmarks.<name>)."""
