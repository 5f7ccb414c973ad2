"""Test doubles and helpers shared by the suites."""
