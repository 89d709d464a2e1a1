#!/usr/bin/env bash
# What requests meet and carry, end to end through simrun's request log: scripted answers
# to fetches (`requests:`) reach the outcome and status, a script step's latency holds
# from that step on, and a generator's chosen URLs and headers reach hash and shard picks
# and a VCL file's routes; vcl_recv calls get the chosen URL (STRING) and headers (HEADER)
# (REQCHECK: sim/runner/tests/vmods_reqcheck.yaml beside its test vmod's .so). Scenarios in
# tests/requests/; `requests: N` stops a generator after N (counted.yaml); objects made and
# ended at run time (runtime_objects.yaml), `actor:` (actors.yaml), `hint_again:` (hint_again.yaml), timeline `request:` (timeline_requests.yaml). Usage: requests_test.sh SIMRUN DIR REQCHECK
set -u
simrun=$1 dir=$2 reqcheck=$3
. "$(dirname "$0")/check_lib.sh"
log() { echo "d['runs'][0]['stats']['request_log']"; }
run() {  # run NAME: one seed of DIR/NAME.yaml with the request log, into $tmp/NAME.json
  "$simrun" "$dir/$1.yaml" --seed 1 --quiet --request-log --json "$tmp/$1.json" >"$tmp/$1.out" 2>&1
  check "$1 passes" [ $? -eq 0 ]
}

run answers
first7="[(q['outcome'], q['status']) for q in sorted($(log), key=lambda q: q['start_s'])[:7]]"
check "requests: answers in fetch order, then the mode (5xx ok with its status, empty/timeout/refuse 503)" \
  [ "$(json "$tmp/answers.json" "$first7")" = "[('ok', 500), ('fetch_error', 503), ('fetch_error', 503), ('fetch_error', 503), ('ok', 404), ('ok', 503), ('ok', 200)]" ]
took="[round(q['end_s'] - q['start_s'], 3) for q in sorted($(log), key=lambda q: q['start_s'])[:6]]"
check "requests: timeout waits the fetch timeout, after: wins over request_duration, refuse takes no time" \
  [ "$(json "$tmp/answers.json" "$took")" = "[0.02, 0.02, 3.5, 0.0, 2.0, 0.02]" ]
check "requests: the two 5xx count as the backend's errors" \
  [ "$(json "$tmp/answers.json" "d['runs'][0]['stats']['backends'][0]['errors']")" = 2 ]
check "requests: after the script the mode answers 200" \
  [ "$(json "$tmp/answers.json" "{q['status'] for q in sorted($(log), key=lambda q: q['start_s'])[6:]}")" = "{200}" ]
"$simrun" "$dir/answers.yaml" --seed 1 --quiet --trace "$tmp/answers.trace.json" >/dev/null 2>&1
events="[e['args']['text'] for e in (d['traceEvents'] if isinstance(d, dict) else d) if e.get('name') == 'request'][:2]"
check "requests: the trace's request events carry outcome and status" \
  [ "$(json "$tmp/answers.trace.json" "$events")" = "['/obj/0 boot.web1 -> boot.web1 ok 500', '/obj/1 boot.web1 -> boot.web1 fetch_error 503']" ]

run step_latency
lat="sorted(set((0 if q['start_s'] < 5 else 1 if q['start_s'] < 15 else 2, round(q['end_s'] - q['start_s'], 3)) for q in $(log)))"
check "script step latency: 10ms before 5s, 2s from the 5s step on (kept at 12s), 50ms from 15s" \
  [ "$(json "$tmp/step_latency.json" "$lat")" = "[(0, 0.01), (1, 2.0), (2, 0.05)]" ]

run hash_urls
per_url="{u: sorted(set(q['backend'] for q in $(log) if q['url'] == u)) for u in sorted(set(q['url'] for q in $(log) if q['director'] == 'by_url'))}"
check "urls: weights draw every chosen URL" [ "$(json "$tmp/hash_urls.json" "len($per_url)")" = 8 ]
check "urls: a hash on req.url sends each chosen URL to one backend" \
  [ "$(json "$tmp/hash_urls.json" "all(len(b) == 1 for b in ($per_url).values())")" = True ]
check "urls: different URLs reach different backends" \
  [ "$(json "$tmp/hash_urls.json" "len(set(b[0] for b in ($per_url).values())) > 1")" = True ]
check "urls: a list is taken in turn" \
  [ "$(json "$tmp/hash_urls.json" "[q['url'] for q in sorted($(log), key=lambda q: q['start_s']) if q['director'] == 'by_host'][:10]")" = "['/h/1', '/h/2', '/h/3', '/h/4', '/h/5', '/h/6', '/h/7', '/h/8', '/h/9', '/h/1']" ]
check "headers: a hash on req.http.host sends every request with the one chosen Host to one backend" \
  [ "$(json "$tmp/hash_urls.json" "len(set(q['backend'] for q in $(log) if q['director'] == 'by_host'))")" = 1 ]

run shard_hash
n_backends() { json "$tmp/shard_hash.json" "len(set(q['backend'] for q in $(log) if q['url'] $1))"; }
check "shard by=HASH (in vcl_recv: the URL): one chosen URL, one backend" [ "$(n_backends "== '/one'")" = 1 ]
check "shard by=URL: one chosen URL under three Hosts, one backend" [ "$(n_backends "== '/two'")" = 1 ]
check "shard by=HASH: the keys' own URLs spread" [ "$(n_backends ".startswith('/obj/')")" -gt 1 ]

run routes
routes="sorted(set((q['url'], q['backend']) for q in $(log)))"
check "routes: req.url ~ and req.http.host == see the chosen URL and Host" \
  [ "$(json "$tmp/routes.json" "$routes")" = "[('/api/x', 'boot.api'), ('/img/1', 'boot.stat'), ('/img/2', 'boot.other')]" ]

# A VCL file's returns and its conditions on method and headers (present or not), with
# && || !: each URL of recv_logic.yaml meets what varnishd 7.1.1 gave it in a varnishtest of
# the same VCL (synth 403 and 410, 503 for return (fail), beta by header or cookie, media
# from vcl_backend_fetch, pool for a pipe that skips vcl_backend_fetch, synth(1404) a 404,
# synth(42) a failed task).
run recv_logic
ends="sorted(set((q['url'], q['backend'], q['outcome'], q['status']) for q in $(log)))"
check "routes: returns end vcl_recv and vcl_backend_fetch, conditions read method and headers" \
  [ "$(json "$tmp/recv_logic.json" "$ends")" = "[('/admin/a', '(none)', 'synth', 403), ('/api/b', 'boot.beta', 'ok', 200), ('/api/c', 'boot.beta', 'ok', 200), ('/api/x', 'boot.api', 'ok', 200), ('/bad', '(none)', 'failed', 503), ('/blocked', '(none)', 'synth', 403), ('/fail', '(none)', 'failed', 503), ('/gone/x', '(none)', 'synth', 410), ('/img/a.jpg', 'boot.media', 'ok', 200), ('/img/b.png', 'boot.media', 'ok', 200), ('/index', 'boot.web1', 'ok', 200), ('/index', 'boot.web2', 'ok', 200), ('/odd', '(none)', 'synth', 404), ('/t', 'boot.api', 'ok', 200), ('/t.png', 'boot.media', 'ok', 200), ('/ws.png', 'boot.web1', 'ok', 200), ('/ws.png', 'boot.web2', 'ok', 200)]" ]
check "routes: a synthetic answer names no director" \
  [ "$(json "$tmp/recv_logic.json" "sorted(set(q['director'] for q in $(log) if q['outcome'] == 'synth'))")" = "['(synth)']" ]

# std.healthy() in vcl_recv: the pool while it is healthy, the spare while only the pool
# is sick, vcl_recv's 503 while both are, the pool again (requests within 10 ms of a
# change left out: equal times run in either order).
run healthy_fallback
phase="(lambda t: None if min(abs(t - c) for c in (1, 1.5, 2)) < 0.01 else 0 if t < 1 else 1 if t < 1.5 else 2 if t < 2 else 3)"
seen="sorted(set(($phase(q['start_s']), q['backend'], q['status']) for q in $(log) if $phase(q['start_s']) is not None))"
check "routes: std.healthy() of the hint and of a backend decide the fallback" \
  [ "$(json "$tmp/healthy_fallback.json" "$seen")" = "[(0, 'boot.p1', 200), (0, 'boot.p2', 200), (1, 'boot.spare', 200), (2, '(none)', 503), (3, 'boot.p1', 200), (3, 'boot.p2', 200)]" ]

# `backend default none;`: what vcl_recv does not select has no backend (varnishd 7.1.1: 503).
run none_default
check "backend NAME none: a NULL default hint, no fetch" \
  [ "$(json "$tmp/none_default.json" "sorted(set((q['url'], q['outcome'], q['status']) for q in $(log)))")" = "[('/other', 'no_backend', 503), ('/web', 'ok', 200)]" ]

# Headers vcl_recv sets and unsets (device.vcl, as devicedetect.vcl's X-UA-Device): the
# condition after the set reads it, and the hash key is the value when the pick is made,
# before the unset (varnishd 7.1.1 sent every "pc" request to d2 in a varnishtest of it).
run device
check "routes: set/unset req.http.X before and after the selection" \
  [ "$(json "$tmp/device.json" "sorted(set((q['director'], q['backend']) for q in $(log)))")" = "[('h', 'boot.d2'), ('mobile', 'boot.mobile')]" ]

# vcl_recv calls: req.url and req.http.X-Tenant (HEADER) are the chosen ones; a check
# that does not hold fails the request (outcome failed)
"$simrun" "$reqcheck" --seed 1 --quiet --request-log --json "$tmp/rc.json" >"$tmp/rc.out" 2>&1
check "reqcheck scenario runs" [ $? -eq 0 ]
outcomes="sorted(set((q['url'][:3], q['outcome']) for q in $(log)))"
check "vcl_recv calls get the chosen URL, a chosen header through a HEADER argument and as a STRING (NULL unset)" \
  [ "$(json "$tmp/rc.json" "$outcomes")" = "[('/h/', 'ok'), ('/ob', 'failed'), ('/t/', 'failed'), ('/t/', 'ok'), ('/u/', 'failed')]" ]
check "vcl_recv: the other tenant's requests fail, the right ones pass" \
  [ "$(json "$tmp/rc.json" "sorted(set((q['url'], q['outcome']) for q in $(log) if q['url'].startswith('/t/')))")" = "[('/t/a', 'ok'), ('/t/b', 'ok'), ('/t/c', 'failed')]" ]

# the same seed gives the same choices (the generator's PRNG stream)
"$simrun" "$dir/hash_urls.yaml" --seed 1 --quiet --request-log --json "$tmp/again.json" >/dev/null 2>&1
check "urls: the same seed draws the same URLs" \
  [ "$(json "$tmp/hash_urls.json" "[q['url'] for q in $(log)]")" = "$(json "$tmp/again.json" "[q['url'] for q in $(log)]")" ]
"$simrun" "$dir/hash_urls.yaml" --seed 2 --quiet --request-log --json "$tmp/other.json" >/dev/null 2>&1
check "urls: another seed draws others" \
  [ "$(json "$tmp/hash_urls.json" "[q['url'] for q in $(log)]")" != "$(json "$tmp/other.json" "[q['url'] for q in $(log)]")" ]
run counted
per_gen="{g: sum(1 for q in $(log) if q['traffic'] == g) for g in ('three', 'open', 'listed')}"
check "requests: N requests in all from N, open or closed loop" \
  [ "$(json "$tmp/counted.json" "$per_gen")" = "{'three': 7, 'open': 5, 'listed': 4}" ]
check "requests: one client sends its list in turn, then stops" \
  [ "$(json "$tmp/counted.json" "[q['url'] for q in $(log) if q['traffic'] == 'listed']")" = "['/a', '/b', '/c', '/a']" ]
sed 's/, pct_steps: 50//' "$dir/counted.yaml" >"$tmp/counted_k2000.yaml"
"$simrun" "$tmp/counted_k2000.yaml" --seed 1 --quiet --json "$tmp/k2000.json" >/dev/null 2>&1
check "run.pct_steps reaches PCT: change points over 50 racing steps, not the default 2000, give another run" \
  [ "$(json "$tmp/counted.json" "d['runs'][0]['digest']")" != "$(json "$tmp/k2000.json" "d['runs'][0]['digest']")" ]
run runtime_objects
by_gen="{g: [q['backend'] for q in $(log) if q['traffic'] == g] for g in ('early', 'mid', 'native', 'late')}"
check "new:/backend_new: objects serve once made (none before), members by call:, none after remove/delete" \
  [ "$(json "$tmp/runtime_objects.json" "$by_gen")" = "{'early': ['(none)', '(none)', '(none)'], 'mid': ['boot.n1', 'boot.s1', 'boot.n1', 'boot.s1'], 'native': ['boot.n1'], 'late': ['boot.s1', 'boot.s1']}" ]
"$simrun" "$dir/actors.yaml" --quiet --request-log --json "$tmp/actors.json" >/dev/null 2>&1
per_seed="[(r['stats']['requests'], [q['backend'] for q in r['stats']['request_log']]) for r in d['runs']]"
check "actor: an actor's entries run in file order (o1 made, then its members; none skipped), seeds 1-5" \
  [ "$(json "$tmp/actors.json" "all(x == ({'ok': 2}, ['boot.s0', 'boot.s0']) for x in $per_seed)")" = True ]
run hint_again
check "hint_again: a request's self-assignment keeps the last reference while __fini drops the owner's (A5 holds)" \
  [ "$(json "$tmp/hint_again.json" "d['runs'][0]['outcome']")" = pass ]
{ cat "$dir/hint_again.yaml"; echo "runtime: {regressions: [assign_deref_first]}"; } >"$tmp/hint_again_zoo.yaml"
"$simrun" "$tmp/hint_again_zoo.yaml" --seeds 1..10 --quiet --json "$tmp/hint_again_zoo.json" >/dev/null 2>&1
rules="set((r.get('failure') or {}).get('rule', 'pass') for r in d['runs'])"
check "hint_again: with assign_deref_first (release first) the self-assignment revives a freed director: A5 (or A8, its use)" \
  [ "$(json "$tmp/hint_again_zoo.json" "'A5' in $rules and $rules <= {'A5', 'A8', 'pass'}")" = True ]
"$simrun" "$dir/timeline_requests.yaml" --quiet --request-log --json "$tmp/timeline_requests.json" >/dev/null 2>&1
per_seed="[(r['outcome'], sorted((q['traffic'], q['url'], q['backend']) for q in r['stats']['request_log'])) for r in d['runs']]"
check "request: timeline requests on their actor, for their key, before the actor deletes their backend (seeds 1-10)" \
  [ "$(json "$tmp/timeline_requests.json" "all(x == ('pass', [('a0', '/obj/3', 'boot.n1'), ('a0', '/obj/3', 'boot.n1'), ('a1', '/obj/5', 'boot.s0')]) for x in $per_seed)")" = True ]
finish
