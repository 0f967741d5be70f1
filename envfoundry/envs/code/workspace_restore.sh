# Put the sandbox's /work back to its state right after setup (a tar.gz on stdin) and empty
# /tmp: nothing the policy wrote (files the diff does not show, .pth files or dist-info in
# the install prefix, a rewritten .git, HOME dotfiles) survives into grading.
# Usage: sh -c "$(cat workspace_restore.sh)" restore
set -eu
# The policy may have removed its own write permission from directories it created.
chmod -R u+rwX /work /tmp 2>/dev/null || true
find /work /tmp -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
tar -xzf - -C /work --no-same-owner --no-same-permissions --no-overwrite-dir
