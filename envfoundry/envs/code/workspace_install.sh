# Editable install of the checkout into a prefix under /work (the image's venv adds it to
# sys.path through a .pth), without network, dependencies or build isolation: the
# dependency image already holds them. Whatever the build leaves in the tree (version
# files, egg-info) is excluded from git so it never shows in a diff and survives resets.
# Usage: sh -c "$(cat workspace_install.sh)" install REPO_DIR PREFIX
set -eu
repo="$1"
prefix="$2"
cd "$repo"
python -m pip install --quiet --no-deps --no-build-isolation --no-index --prefix "$prefix" -e .
git ls-files --others --exclude-standard | sed 's|^|/|' >> .git/info/exclude
