# Lay out a repository checkout in the sandbox: the base tree (a tar.gz on stdin) as the
# single commit of a fresh git repository, so `git diff` shows exactly what changed since.
# Usage: sh -c "$(cat workspace_setup.sh)" setup REPO_DIR
set -eu
repo="$1"
mkdir -p "$repo"
cd "$repo"
tar -xzf - --no-same-owner --no-same-permissions
git init -q
git config user.name envfoundry
git config user.email envfoundry@localhost
git config core.autocrlf false
git config gc.auto 0
printf '%s\n' '__pycache__/' '*.py[co]' '*.egg-info/' '.pytest_cache/' >> .git/info/exclude
# -f: a tracked file that the repository's own .gitignore matches is still part of the tree.
git add -A -f
git commit -q --no-verify -m base
