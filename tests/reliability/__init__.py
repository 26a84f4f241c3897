"""Helpers for the reliability tests: a project generator and build runners."""
