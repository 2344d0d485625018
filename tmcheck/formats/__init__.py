"""One module per input format: detection by content, and reading into threats and elements."""

# The size a tool's own file may reach once its content is recognised (a loader that allows
# it says `MAX_BYTES = TOOL_FILE_MAX_BYTES`): a .tm7 embeds its whole template (0.5-1.3 MB), a
# Threat Composer file its diagrams as base64 images. `max_file_bytes` (1 MiB) stays the limit
# for everything else, YAML above all.
TOOL_FILE_MAX_BYTES = 16 * 1024 * 1024
