"""One module per input format: detection by content, and reading into threats and elements."""
