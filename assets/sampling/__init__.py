"""Stratified sampling of school groups: allocation, seeded draws and design-based estimates."""
