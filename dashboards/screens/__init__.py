"""One module per dashboard page; each has ``render(pub)`` drawing the page for a publication."""
