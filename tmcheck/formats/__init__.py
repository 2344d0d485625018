"""One module per input format: detection by content, and reading into threats and elements.

A format module has `FORMAT` (its name in JSON and `formats:` pins), `matches(data)` and
`read(document, path) -> Parsed`; `detect.LOADERS` lists them, most specific first. What a
tool's format may add, each optional:

- `MAX_BYTES`: the size its files may reach once recognised (`TOOL_FILE_MAX_BYTES`);
- `READS_LISTS = True`: `matches` and `read` also take a JSON array at the top;
- `SCHEMA`: the bundled JSON Schema to validate against (default: `FORMAT`; None: none);
- `STATUS_WORDS`, `LEVEL_WORDS`: the tool's own words, tried before the default tables
  (`vocabulary`); `SEVERITY_NAME`: what the tool calls the level word (`priority`);
- entries with `id_scope="file"` when the tool numbers threats per file;
- `Parsed.findings` (what the format says about the file, e.g. one note) and
  `Parsed.tool_data` (what files of the same tool need to be joined after reading).
"""

# The size a tool's own file may reach once its content is recognised (a loader that allows
# it says `MAX_BYTES = TOOL_FILE_MAX_BYTES`): a .tm7 embeds its whole template (0.5-1.3 MB), a
# Threat Composer file its diagrams as base64 images. `max_file_bytes` (1 MiB) stays the limit
# for everything else, YAML above all.
TOOL_FILE_MAX_BYTES = 16 * 1024 * 1024
