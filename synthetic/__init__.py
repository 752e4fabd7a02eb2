"""Deterministic national-scale synthetic mirror of GIAS and Ofsted MI publications."""
