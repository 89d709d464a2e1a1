#!/usr/bin/env bash
# Interleaving coverage end to end (issue 16 item 5): a pair seen in both orders over
# seeds, a pair that cannot be seen listed as never seen, --until-coverage stopping at
# the same seed whatever --jobs, and coverage off unless asked.
# Usage: coverage_test.sh SIMRUN DIR (DIR = sim/simrun/tests/coverage)
set -u
simrun=$1 dir=$2
. "$(dirname "$0")/check_lib.sh"
sc=$dir/members_race.yaml
pair() { echo "[p['orders'] for p in d['coverage']['pairs'] if p['ops'] == ['$1', '$2']][0]"; }

"$simrun" "$sc" --coverage --quiet --jobs 2 --json "$tmp/a.json" >"$tmp/a.out"
check "coverage sweep passes" [ $? -eq 0 ]
check "resolve ran before a pending remove_backend in some seed" \
  [ "$(json "$tmp/a.json" "$(pair resolve remove_backend)['resolve<remove_backend']['runs'] > 0")" = True ]
check "remove_backend ran before a pending resolve in some seed" \
  [ "$(json "$tmp/a.json" "$(pair resolve remove_backend)['remove_backend<resolve']['runs'] > 0")" = True ]
check "assign and destroy never wait together: both orders never seen" \
  [ "$(json "$tmp/a.json" "'assign<destroy' in d['coverage']['never_seen'] and 'destroy<assign' in d['coverage']['never_seen']")" = True ]
check "a pair whose op never ran is not exercised, not never seen" \
  [ "$(json "$tmp/a.json" "'resolve / update' in d['coverage']['not_exercised'] and 'resolve<update' not in d['coverage']['never_seen']")" = True ]
check "each run reports its orders by name" \
  [ "$(json "$tmp/a.json" "all('orders' in r and 'ops' in r for r in d['runs'])")" = True ]
check "summary lists the pairs never seen" grep -q "never seen:.*destroy<assign" "$tmp/a.out"
check "summary shows both orders of resolve / remove_backend" \
  grep -qE "resolve / remove_backend:  resolve<remove_backend in [0-9]+ run" "$tmp/a.out"

"$simrun" "$sc" --coverage --quiet --jobs 1 --json "$tmp/b.json" >/dev/null
check "coverage is the same whatever --jobs" [ "$(json "$tmp/a.json" "d['coverage']")" = "$(json "$tmp/b.json" "d['coverage']")" ]

"$simrun" "$sc" --coverage --quiet --shard 1/2 --json "$tmp/s1.json" >/dev/null
"$simrun" "$sc" --coverage --quiet --shard 2/2 --json "$tmp/s2.json" >/dev/null
"$simrun" merge --quiet --json "$tmp/m.json" "$tmp/s1.json" "$tmp/s2.json" >/dev/null
check "shards merged: the coverage of one sweep" [ "$(json "$tmp/a.json" "d['coverage']")" = "$(json "$tmp/m.json" "d['coverage']")" ]

"$simrun" "$sc" --seed 1 --quiet --json "$tmp/off.json" >/dev/null
"$simrun" "$sc" --seed 1 --quiet --coverage --json "$tmp/on.json" >/dev/null
check "off unless asked" [ "$(json "$tmp/off.json" "'coverage' in d or 'orders' in d['runs'][0]")" = False ]
check "recording changes no digest" [ "$(json "$tmp/off.json" "d['runs'][0]['digest']")" = "$(json "$tmp/on.json" "d['runs'][0]['digest']")" ]

# --until-coverage: stops when N seeds in a row added no order, at the same seed for any --jobs
"$simrun" "$sc" --seeds 1..500 --until-coverage 4 --quiet --jobs 2 --json "$tmp/u2.json" >"$tmp/u2.out"
check "--until-coverage passes" [ $? -eq 0 ]
"$simrun" "$sc" --seeds 1..500 --until-coverage 4 --quiet --jobs 1 --json "$tmp/u1.json" >/dev/null
check "--until-coverage stopped before the last seed" [ "$(json "$tmp/u2.json" "d['coverage']['until_coverage']['stopped'] and len(d['runs']) < 500")" = True ]
check "--until-coverage: the last 4 seeds brought nothing new" \
  [ "$(json "$tmp/u2.json" "(lambda u: u['at_seed'] - u['last_new_seed'] == 4 and d['runs'][-1]['seed'] == u['at_seed'])(d['coverage']['until_coverage'])")" = True ]
check "--until-coverage stops at the same seed whatever --jobs" \
  [ "$(json "$tmp/u2.json" "[r['seed'] for r in d['runs']]")" = "$(json "$tmp/u1.json" "[r['seed'] for r in d['runs']]")" ]
check "--until-coverage says so in the summary" grep -q "until-coverage 4: stopped after seed" "$tmp/u2.out"
"$simrun" "$sc" --seeds 1..3 --until-coverage 50 --quiet --json "$tmp/u3.json" >"$tmp/u3.out"
check "--until-coverage: a range that ends first says so" grep -q "every seed ran before 50 in a row brought nothing new" "$tmp/u3.out"

finish
