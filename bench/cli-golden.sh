#!/bin/sh
# Records what every wordspace command prints and writes on the demo corpus
# (seeded, one thread), so that a refactoring can be checked to change no
# output: record with the old binary, record with the new one, compare.
#
# Usage:
#   bench/cli-golden.sh record WORDSPACE_BINARY OUTDIR
#   bench/cli-golden.sh compare OUTDIR_BEFORE OUTDIR_AFTER
#
# record runs about 60 command lines (training, ppmi, phrases, bias, eval,
# context, conversions, help texts and some errors) in OUTDIR and keeps each
# one's stdout, stderr and exit code, and every file it writes. compare
# diffs them byte for byte, after masking wall-clock figures (seconds,
# words/s, tokens/s), which differ from run to run, and prints a SUMMARY
# line. Needs ../shared/data (the demo corpus, the benchmarks and word
# lists); SHARED=DIR points elsewhere.
# Takes about ten minutes on two cores.
set -eu

mask() {
	# Wall-clock figures only, and the progress lines a log gets (at times
	# that vary from run to run); every other character must match.
	sed -E \
		-e 's/[0-9]+(\.[0-9]+)?[kM]? (words|tokens)\/s/N \2\/s/g' \
		-e 's/in [0-9hm.]+(µs|ms|s)\b/in Ts/g' \
		-e 's/in [0-9]+ s\./in T s./g' \
		-e 's/\(([0-9.]+)s\)/(Ts)/g' \
		-e 's/total [0-9.]+s/total Ts/g' \
		-e 's/"seconds": [0-9.e+-]+/"seconds": T/g' \
		-e '/ [0-9hms]+ elapsed(, [0-9hms]+ left)?$/d' \
		"$1"
}

case "${1:-}" in
compare)
	A=$2 B=$3
	diffs=0 same=0
	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
	for f in $(cd "$A" && find . -type f ! -name '*.lnk' | sort); do
		if [ ! -f "$B/$f" ]; then
			echo "MISSING in $B: $f"
			diffs=$((diffs + 1))
			continue
		fi
		case "$f" in
		*.out | *.err | *.md | *.json | *.tsv)
			mask "$A/$f" >"$TMP/a"
			mask "$B/$f" >"$TMP/b"
			if cmp -s "$TMP/a" "$TMP/b"; then
				same=$((same + 1))
			else
				echo "DIFFERS: $f"
				diff "$TMP/a" "$TMP/b" | head -20
				diffs=$((diffs + 1))
			fi
			;;
		*)
			if cmp -s "$A/$f" "$B/$f"; then
				same=$((same + 1))
			else
				echo "DIFFERS (binary): $f"
				diffs=$((diffs + 1))
			fi
			;;
		esac
	done
	for f in $(cd "$B" && find . -type f | sort); do
		[ -f "$A/$f" ] || { echo "EXTRA in $B: $f"; diffs=$((diffs + 1)); }
	done
	echo "SUMMARY cli-golden: $same files identical, $diffs differ"
	exit 0
	;;
record) ;;
*)
	sed -n '2,17p' "$0"
	exit 2
	;;
esac

W=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
OUT=$3
SHARED=${SHARED:-$(cd "$(dirname "$0")/.." && pwd)/../shared}
SHARED=$(cd "$SHARED" && pwd)
mkdir -p "$OUT"
cd "$OUT"
# Relative paths only, so that messages naming files are the same in any OUTDIR.
ln -sf "$SHARED/data/demo-corpus.txt.gz" demo.txt.gz
ln -sfn "$SHARED/data/eval" eval
mkdir -p f

# run NAME [< input] ARGS...: stdout, stderr and exit code of one command.
run() {
	name=$1
	shift
	set +e
	"$W" "$@" >"$name.out" 2>"$name.err" </dev/null
	echo $? >"$name.rc"
	set -e
}
runin() {
	name=$1 in=$2
	shift 2
	set +e
	"$W" "$@" >"$name.out" 2>"$name.err" <"$in"
	echo $? >"$name.rc"
	set -e
}

Q=eval/questions-words.txt
P=eval/wordsim353.tsv

# Help texts: flag lists and defaults are part of the interface.
run help help
run help-none
for c in demo train neighbors similarity convert info analogy eval ppmi phrases serve; do
	run "help-$c" "$c" -h
done
run help-bias bias -h
for s in report weat direct debias; do run "help-bias-$s" bias "$s" -h; done
run help-context context -h
run help-context-train context train -h
run help-context-show context show -h

# Training.
run demo demo -threads 1 -quiet -output f/demo.txt
run train-sg train -train demo.txt.gz -output f/sg.txt -threads 1 -save-vocab f/vocab.txt
run train-cbow train -train demo.txt.gz -output f/cbow.bin -binary 1 -cbow 1 -iter 1 -threads 1 -quiet
run train-hs train -train demo.txt.gz -output f/hs.txt -hs 1 -negative 0 -iter 1 -size 50 -threads 1 -seed 7 -quiet
run train-readvocab train -train demo.txt.gz -read-vocab f/vocab.txt -output f/rv.txt -iter 1 -size 40 -shared-negatives 1 -threads 1 -quiet
run train-stem train -train demo.txt.gz -output f/stem.txt -lower -stem english -iter 1 -size 30 -min-count 10 -max-vocab 5000 -threads 1 -quiet
run train-vocabonly train -train demo.txt.gz -save-vocab f/vocab2.txt -min-count 20 -max-vocab 3000 -threads 1
run train-noargs train
run train-badhs train -train demo.txt.gz -output f/x.txt -hs 2
run train-badthreads train -train demo.txt.gz -output f/x.txt -threads 0
run train-baddim train -train demo.txt.gz -output f/x.txt -size 0
run train-nofile train -train missing.txt -output f/x.txt
run train-badstem train -train demo.txt.gz -output f/x.txt -stem klingon
run train-badresume train -train demo.txt.gz -output f/x.txt -resume -checkpoint f/vocab.txt

# Queries on the skip-gram vectors.
V=f/sg.txt
run nb-king neighbors -model $V king
run nb-multi neighbors -model $V -k 5 -negative man king woman
run nb-restrict neighbors -model $V -restrict 2000 -k 3 water
run nb-unknown neighbors -model $V zzzzqqq
run sim-pair similarity -model $V king queen
printf 'king queen\nman woman\n# comment\nzzzq king\ncat dog\n' >pairs.in
runin sim-stdin pairs.in similarity -model $V
run an-add analogy -model $V man king woman
run an-mul analogy -model $V -method mul -k 5 man:king::woman
run an-pairdir analogy -model $V -method pairdir -k 5 good better bad
run an-fold analogy -model $V -i -restrict 10000 -keep-question-words Man King Woman
printf 'man king woman\nfoo\nzzzq king woman\nday days year\nEXIT\nsee saw take\n' >an.in
runin an-stdin an.in analogy -model $V -k 3
run info-sg info -model $V
run info-cbow info -model f/cbow.bin -limit 100
run conv-bin convert -input $V -output f/sg.bin
run conv-glove convert -input $V -output f/sg.glove -to glove
run conv-npy convert -input f/cbow.bin -output f/cbow.npy -limit 500
run conv-gz convert -input f/hs.txt -output f/hs.txt.gz -binary 0
run conv-back convert -input f/sg.bin -output f/sg-back.txt
run info-npy info -model f/cbow.npy
run info-gz info -model f/hs.txt.gz -strict

# Benchmarks.
run eval-text eval -model $V -analogies $Q -pairs $P
run eval-json eval -model $V -analogies $Q -pairs $P -json -method mul -restrict 0 -pairs-restrict 0 -details f/details.tsv
run eval-case eval -model $V -analogies $Q -pairs $P -case-sensitive -oov-wrong -keep-question-words -restrict 5000
run eval-pairdir eval -model f/hs.txt -analogies $Q -method pairdir -restrict 3000
run eval-none eval -model $V

# Count-based vectors and phrases.
run ppmi ppmi -train demo.txt.gz -output f/ppmi.txt -size 50 -threads 1 -save-counts f/counts.cooc
run ppmi-load ppmi -load-counts f/counts.cooc -output f/ppmi2.bin -binary 1 -size 30 -threads 1 -eig 0 -add-contexts -cds 1 -shift 5
run ppmi-tol ppmi -load-counts f/counts.cooc -output - -size 10 -threads 1 -tol 1e-3 -quiet
run ppmi-harmonic ppmi -train demo.txt.gz -output f/ppmi3.txt -size 20 -window 2 -weighting harmonic -sample 1e-4 -min-count 20 -max-vocab 4000 -lower -threads 1 -seed 3
run ppmi-countonly ppmi -train demo.txt.gz -save-counts f/counts2.cooc -window 3 -weighting uniform -min-count 50 -threads 1
run ppmi-both ppmi -train demo.txt.gz -load-counts f/counts.cooc -output f/x.txt
run ppmi-badcounts ppmi -load-counts f/vocab.txt -output f/x.txt
run phrases phrases -train demo.txt.gz -output f/phrases.txt -top 20
run phrases-3 phrases -train demo.txt.gz -output f/phrases3.txt -passes 3 -threshold 50 -min-count 10 -delimiter + -lower -quiet
run phrases-stdout phrases -train eval/wordsim353.tsv -output - -min-count 1 -threshold 1

# Bias.
run bias-weat bias weat -model $V
run bias-weat-json bias weat -model $V -test 3 -json -bootstrap 200 -seed 5 -permutations 5000
run bias-weat-files bias weat -model $V -tests eval/weat.json -test 7 -population -exact-limit 10 -permutations 2000 -bootstrap 100 -bootstrap-attributes -confidence 0.9
run bias-direct bias direct -model $V
run bias-direct-json bias direct -model $V -json -c 0.5 -pairs eval/definitional_pairs.json -gendered eval/gender_specific_seed.json -words eval/professions.json
run bias-direct-list bias direct -model $V -words eval/gender_specific_seed.json -exact-case -top 3
run bias-debias bias debias -model $V -output f/debiased.bin -json
run bias-debias2 bias debias -model $V -output f/debiased.txt -debiaswe -equalize eval/equalize_pairs.json -min-fraction 0.5
run bias-report bias report -model $V -out f/report -debias -questions $Q -wordsim $P -json -save-debiased f/report-debiased.txt -bootstrap 100 -permutations 2000
run bias-report-plain bias report -model f/hs.txt -out f/report2
run bias-badlist bias direct -model $V -pairs eval/weat.json

# Contextual vectors.
run ctx-train context train -corpus demo.txt.gz -vectors $V -out f/ctx.model -npz f/ctx.npz -vocab 2000 -layers 1 -heads 2 -d-model 32 -context 16 -steps 40 -batch 4 -threads 1 -eval-every 20 -quiet
run ctx-train2 context train -corpus demo.txt.gz -out f/ctx2.model -vocab 1000 -layers 1 -heads 2 -d-model 16 -context 8 -steps 20 -batch 2 -threads 1 -seed 9 -lower
run ctx-show context show -model f/ctx.model -k 3 the river bank flooded
run ctx-show-npz context show -model f/ctx.npz -k 2 -attention f/attention.png in the beginning god created zzzq
run ctx-show-bad context show -model f/sg.txt the king
cp f/vocab.txt f/bad.ckpt
cp f/vocab.txt f/bad.npz
run ctx-bad-ckpt context train -corpus demo.txt.gz -out f/bad -resume
run ctx-bad-npz context show -model f/bad.npz the king

rm -f pairs.in an.in
echo "recorded $(ls ./*.rc | wc -l) command lines in $OUT"
