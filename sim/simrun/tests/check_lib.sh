# Sourced by the simrun test scripts: a scratch directory removed at exit, `check NAME
# COMMAND...` counting failures, `json FILE EXPR` reading a report, `finish` (the exit).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
finish() {
  echo "$fails failure(s)"
  exit $((fails > 0))
}
