# shellcheck shell=bash
# Sourced by the scripts whose usage is their header comment. The whole block is printed, so the help can
# neither drift from the header nor cut it mid-sentence when a line is added (as fixed line ranges did).

# The comment block at the top of the running script without its "# ": from the line after the shebang to the
# first line that is not a comment.
usage_from_header() {
  awk 'NR == 1 && /^#!/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}
