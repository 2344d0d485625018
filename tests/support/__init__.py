"""What the tests share: paths and skips (`paths`), the CLI run in-process (`cli`), git
repositories built for a test (`gitrepo`, `fixture_pr`), the fake GitHub API (`fake_github`) and
the runner's view of an action (`runner_emulation`, `action_workspace`), the hostile-input harness
(`hostile_harness`, `hostile_checks`, `measure`), one-rule runs (`rules`), small diagrams
(`diagrams`), and the Node tools installed from a lock file (`npm_tool`, `mermaid_parser`,
`yaml_language_server`). Fixtures stay in each folder's `conftest.py`."""
