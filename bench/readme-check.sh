#!/bin/bash
# Runs every command of the README's ```sh blocks, as written, in a fresh
# clone of the repository with nothing beside it (no ../shared), so that
# the README works for someone who has only the repository.
#
# Usage:
#   bench/readme-check.sh [-quick] [REPO]
#
# REPO (default: this checkout) is cloned at its HEAD commit into a
# temporary directory; commit first. `go install` installs into a
# temporary GOBIN put first on PATH, so the check changes nothing outside
# its directory. Each line runs in the clone's root with bash; a command
# that exits non-zero fails the check. `wordspace serve` lines run in the
# background until the next one (or the end), and the curl block queries
# the last server started; a curl line followed by a "# {...}" comment must
# answer JSON with the same keys. -quick skips every `go test` line (the
# suite and the benchmarks: minutes to an hour);
# a line naming ../shared is skipped (and counted) as the clone has none.
# Needs curl and python3 (for the JSON keys). Takes about 5 minutes on two
# cores with -quick. Prints a SUMMARY line.
set -u

quick=0
if [ "${1:-}" = "-quick" ]; then
	quick=1
	shift
fi
repo=$(cd "${1:-$(dirname "$0")/..}" && git rev-parse --show-toplevel) || exit 2

work=$(mktemp -d /tmp/readme-check.XXXXXX)
server=
# stop_server ends the server's process group (go run and the program it
# started).
stop_server() {
	if [ -n "$server" ]; then
		kill -TERM -- "-$server" 2>/dev/null
		wait "$server" 2>/dev/null
		server=
	fi
}
cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$repo" "$work/repo" || exit 2
export GOBIN="$work/bin" PATH="$work/bin:$PATH"
unset WORDSPACE_SHARED
cd "$work/repo" || exit 2

# The sh blocks, one command a line, with their line numbers in README.md.
awk '/^```sh/{f=1;next} /^```/{f=0} f{print NR "\t" $0}' README.md >"$work/commands"

ran=0 failed=0 skipped=0
fail() {
	echo "FAIL README.md:$1: $2"
	failed=$((failed + 1))
}

# wait_server waits until the server answers on 127.0.0.1:8080.
wait_server() {
	for _ in $(seq 1 600); do
		if curl -s -o /dev/null http://127.0.0.1:8080/; then
			return 0
		fi
		if ! kill -0 "$server" 2>/dev/null; then
			return 1
		fi
		sleep 0.5
	done
	return 1
}

prev_curl=
prev_out=
while IFS=$'\t' read -r n line; do
	case "$line" in
	'' | '#'*)
		# A "# {...}" line after a curl line is the answer it shows.
		if [ -n "$prev_curl" ] && [ "${line#\# \{}" != "$line" ]; then
			if ! python3 -c '
import json, sys
want, got = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.exit(0 if set(want) == set(got) else 1)' "${line#\# }" "$prev_out" 2>/dev/null; then
				fail "$prev_curl" "answer $prev_out has not the keys of ${line#\# }"
			fi
		fi
		prev_curl=
		continue
		;;
	esac
	prev_curl=
	cmdpart=${line%%#*} # ../shared in a comment does not count
	if [ "${cmdpart#*../shared}" != "$cmdpart" ] && [ ! -e ../shared ]; then
		echo "skip README.md:$n (needs ../shared): $line"
		skipped=$((skipped + 1))
		continue
	fi
	if [ $quick = 1 ] && [[ $cmdpart =~ (^|[[:space:]])go\ test ]]; then
		echo "skip README.md:$n: $line"
		skipped=$((skipped + 1))
		continue
	fi
	echo "run  README.md:$n: $line"
	ran=$((ran + 1))
	case "$line" in
	*" serve "*)
		stop_server
		if curl -s -o /dev/null http://127.0.0.1:8080/; then
			fail "$n" "something else already listens on 127.0.0.1:8080"
			continue
		fi
		setsid bash -c "$line" </dev/null >"$work/serve.out" 2>&1 &
		server=$!
		if ! wait_server; then
			fail "$n" "server did not start: $(tail -3 "$work/serve.out")"
		fi
		;;
	curl*)
		if ! prev_out=$(bash -c "$line" </dev/null 2>"$work/err"); then
			fail "$n" "exit status $?: $prev_out $(tail -3 "$work/err")"
		fi
		prev_curl=$n
		;;
	*)
		if ! bash -c "$line" </dev/null >"$work/out" 2>&1; then
			fail "$n" "exit status $?: $(tail -5 "$work/out")"
		fi
		;;
	esac
done <"$work/commands"

echo "SUMMARY readme-check: $ran commands run, $failed failed, $skipped skipped"
[ $failed = 0 ]
