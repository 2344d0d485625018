# The tmcheck GitHub Action: `tmcheck action` in a small image with pinned dependencies.
# The base is a build argument so that it can be pinned by digest, or replaced by a local image.
ARG BASE=python:3.12-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

# git answers "what did this pull request change?" from the checkout (the API lists at most
# 3,000 files) and reads templates from the base commit.
RUN if ! command -v git >/dev/null; then \
        apt-get update -qq \
        && apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null \
        && rm -rf /var/lib/apt/lists/*; \
    fi

# One pip layer: the pinned dependencies as wheels only (no compiler is needed, and none is left
# behind), then tmcheck with its github extra (PyGithub, pinned in the same file). The runner
# builds the image afresh on every run, so a separate dependency layer would cache nothing.
COPY requirements/action.txt pyproject.toml README.md LICENSE /tmp/tmcheck/
COPY tmcheck /tmp/tmcheck/tmcheck
RUN python -m pip install --only-binary=:all: -r /tmp/tmcheck/action.txt \
    && python -m pip install --no-deps '/tmp/tmcheck[github]' \
    && rm -rf /tmp/tmcheck

# No USER line: the runner mounts the workspace owned by its own user and runs the container as
# root; another user could not read or write it.
ENTRYPOINT ["tmcheck", "action"]
