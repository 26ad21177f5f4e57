#!/usr/bin/env bash
# The benchmarks of BENCHMARKS.md: `bash bench/run.sh` from the workspace root.
#
# 1. generation speed against the bare roxmltree parse (1x, 2x, 4x inputs), and per stage;
# 2. peak memory of --all generation;
# 3. compile cost of the generated crates (clean build of each synchronization crate with its
#    dependencies prebuilt, and of a client with one of its examples; cargo check of the
#    whole-v1.0 models crate);
# 4. decode speed of the generated models against serde_json::Value (divan);
# 5. peer: the TypeScript generator odata2ts on the same input (bench/peer.sh; npm needed).
#
# Needs the full Graph metadata in ../shared/specs (or SPECS=dir). Scratch space, prebuilt
# dependencies and the results (results.md) go to target/bench (or BENCH_WORK=dir); nothing is
# written outside it. About 5-10 minutes on 2 cores the first time (dependencies are built
# once), less after. Set BENCH_SKIP="compile decode" (any of gen, stages, client, compile, decode,
# peer) to skip parts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SPECS=${SPECS:-$ROOT/../shared/specs}
V1=$SPECS/graph-v1.0.csdl.xml
WORK=${BENCH_WORK:-$ROOT/target/bench}
SKIP=${BENCH_SKIP:-}
RESULTS=$WORK/results.md
export CARGO_TERM_COLOR=never

if [[ ! -f $V1 ]]; then
    echo "error: $V1 not found (set SPECS to the folder holding graph-v1.0.csdl.xml)" >&2
    exit 1
fi
mkdir -p "$WORK"
: >"$RESULTS"
say() { echo "$@" | tee -a "$RESULTS"; }
skip() { [[ " $SKIP " == *" $1 "* ]]; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
verdict() { awk -v x="$1" -v max="$2" 'BEGIN { print (x < max ? "PASS" : "FAIL") }'; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
say "## Benchmark run"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "- machine: $(nproc) cores, ${cpu}, ${mem} RAM, $(uname -sr)"
say "- toolchain: $(rustc -V), $(cargo -V)"
say "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- generator runtime generated 2>/dev/null || echo ' (+ uncommitted changes)')"
say "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say ""

echo "building (release): csdl-codegen, csdl-codegen-bench" >&2
cargo build --release --locked -q -p csdl-codegen -p csdl-codegen-bench --bins --features csdl-codegen/cli
BIN=$ROOT/target/release

# 1 + 2: generation speed and peak memory, against the parse floor, 1x/2x/4x.
if ! skip gen; then
    echo "running: generation speed (1x, 2x, 4x)" >&2
    "$BIN/csdl-bench" gen --input "$V1" --work "$WORK/gen" --scales 1,2,4 --runs 15 | tee -a "$RESULTS"
fi
if ! skip stages; then
    echo "running: pipeline stages" >&2
    "$BIN/csdl-bench" stages --input "$V1" --work "$WORK/gen" | tee -a "$RESULTS"
    "$BIN/csdl-bench" stages --input "$V1" --work "$WORK/gen" --all | tee -a "$RESULTS"
fi

# 2b: the client: --all models and client of v1.0, and the navigation fan-out input.
if ! skip client; then
    echo "running: client generation (v1.0 --all, fan-out stress input)" >&2
    "$BIN/csdl-bench" client --input "$V1" --work "$WORK/client" | tee -a "$RESULTS"
    "$BIN/csdl-bench" stress --work "$WORK/stress" | tee -a "$RESULTS"
fi

# 3: compile cost.
if ! skip compile; then
    CT=$WORK/compile-target
    say "### Compile cost"
    say ""
    say "Clean \`cargo build\` (dev profile) of each synchronization crate, its dependencies prebuilt (\`cargo build -p C\`, \`cargo clean -p C\`, then timed \`cargo build -p C --timings\`); the unit time is the crate's own rustc time from the timings report. Target dir \`$CT\`."
    say ""
    # A clean, timed `cargo build` of package $1 with its dependencies prebuilt (the rest of
    # the arguments are cargo's): prints the wall time; the report is $CT's timings file.
    clean_timed_build() {
        local c=$1
        shift
        # Called in `$(...)`, where `set -e` does not reach: each step returns its failure.
        CARGO_TARGET_DIR=$CT cargo build --locked -q -p "$c" "$@" || return
        CARGO_TARGET_DIR=$CT cargo clean -q -p "$c" || return
        local t0 t1
        t0=$(now)
        CARGO_TARGET_DIR=$CT cargo build --locked -q -p "$c" "$@" --timings 2>/dev/null || return
        t1=$(now)
        secs "$t0" "$t1"
    }
    report=$CT/cargo-timings/cargo-timing.html
    say "| crate | lines of Rust | wall (s) | unit time (s) | target | result |"
    say "|---|---|---|---|---|---|"
    for c in graph-synchronization-models graph-synchronization-beta-models \
        graph-synchronization-client graph-synchronization-beta-client; do
        echo "running: compile $c" >&2
        dir=$ROOT/generated/$c
        lines=$(find "$dir/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
        wall=$(clean_timed_build "$c")
        unit=$("$BIN/csdl-bench" timings --html "$report" "$c" | cut -d' ' -f2)
        say "| $c | $lines | $wall | $unit | < 2 s | $(verdict "$wall" 2) |"
    done
    say ""

    # Request methods are `#[inline]` (ARCHITECTURE.md, invariants): the decoding of what a
    # request answers is compiled in the crate that sends it. So the figures above leave out
    # what an application pays; an example of each kind of client measures it.
    say "Clean build of a client and one of its examples (an application), dependencies prebuilt; unit times from the timings report."
    say ""
    say "| client (features), example | client unit (s) | example unit (s) | wall, both (s) |"
    say "|---|---|---|---|"
    for spec in "graph-synchronization-client gallery_provisioning" "graph-sdk send_mail users"; do
        read -r c ex features <<<"$spec"
        feat=()
        if [[ -n ${features:-} ]]; then feat=(--features "$features"); fi
        echo "running: compile $c with example $ex" >&2
        # `${a[@]+...}`: an empty array under `set -u` in bash before 4.4 too.
        wall=$(clean_timed_build "$c" ${feat[@]+"${feat[@]}"} --example "$ex")
        lib=$("$BIN/csdl-bench" timings --html "$report" "$c/" | cut -d' ' -f2)
        app=$("$BIN/csdl-bench" timings --html "$report" "$c/$ex" | cut -d' ' -f2)
        say "| $c (\`${features:-default}\`), $ex | $lib | $app | $wall |"
    done
    say ""

    echo "running: cargo check of the whole-v1.0 models crate" >&2
    ALL=$WORK/v1-all-models
    AT=$WORK/all-target
    # A fresh directory: the Cargo.lock copied in below is not the generator's, so it
    # would refuse to replace an earlier run's output.
    rm -rf "$ALL"
    # In part crates, as the whole-Graph SDKs ship (xtask's SDK_PARTS_PER_LAYER).
    "$BIN/csdl-bench" all-crate --input "$V1" --out "$ALL" --runtime "$ROOT/runtime" \
        --crate-name graph-v1-all-models --split 4 2>&1 | tee -a "$RESULTS"
    # Same dependency versions as the workspace, no registry needed.
    cp "$ROOT/Cargo.lock" "$ALL/Cargo.lock"
    (cd "$ALL" && CARGO_TARGET_DIR=$AT cargo check -q -p graph-odata-runtime)
    # The models crate and its parts, so each check starts from scratch.
    models_packages=(-p graph-v1-all-models)
    for m in "$ALL"/parts/*/Cargo.toml; do
        [[ -f $m ]] && models_packages+=(-p "$(awk -F'"' '/^name = /{print $2; exit}' "$m")")
    done
    (cd "$ALL" && CARGO_TARGET_DIR=$AT cargo clean -q "${models_packages[@]}")
    # Peak RSS of the check (rustc included) with GNU time when it is installed.
    timer=()
    if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f %M -o "$WORK/check-rss"); fi
    rm -f "$WORK/check-rss"
    t0=$(now)
    (cd "$ALL" && CARGO_TARGET_DIR=$AT "${timer[@]}" cargo check -q --timings 2>/dev/null)
    t1=$(now)
    wall=$(secs "$t0" "$t1")
    # The rustc time of the crate and all its parts (they run two at a time).
    unit=$("$BIN/csdl-bench" timings --html "$AT/cargo-timings/cargo-timing.html" 'graph-v1-all-models*' | cut -d' ' -f2)
    lines=$(find "$ALL" -name '*.rs' -print0 | xargs -0 cat | wc -l)
    derives=$(find "$ALL" -name '*.rs' -print0 | xargs -0 cat | grep -c 'serde::Deserialize)\]' || true)
    sers=$(find "$ALL" -name '*.rs' -print0 | xargs -0 cat | grep -c '^impl serde::Serialize for' || true)
    des=$(find "$ALL" -name '*.rs' -print0 | xargs -0 cat | grep -c "^impl<'de> serde::Deserialize<'de> for" || true)
    # awk reads all of sort's output: `head` would close the pipe early (SIGPIPE with pipefail).
    largest=$(find "$ALL" -name '*.rs' -printf '%s %P\n' | sort -rn | awk 'NR <= 3 {printf "%s`%s` %.1f MB", (NR > 1 ? ", " : ""), $2, $1 / 1e6}')
    say ""
    say "| crate | lines of Rust | wall (s) | unit time (s) | target | result |"
    say "|---|---|---|---|---|---|"
    say "| graph-v1-all-models (\`--all\`, v1.0, in parts), cargo check | $lines | $wall | $unit | < 35 s | $(verdict "$wall" 35) |"
    # The same check the way cargo builds a dependency (from crates.io, or any crate outside
    # the workspace): without incremental caches.
    (cd "$ALL" && CARGO_TARGET_DIR=$AT cargo clean -q "${models_packages[@]}")
    t0=$(now)
    (cd "$ALL" && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$AT cargo check -q 2>/dev/null)
    t1=$(now)
    wall_dep=$(secs "$t0" "$t1")
    say "| the same, as a dependency (\`CARGO_INCREMENTAL=0\`) | $lines | $wall_dep | - | < 25 s | $(verdict "$wall_dep" 25) |"
    say ""
    say "Shape of that crate: $derives derived \`Deserialize\` (structs), $sers hand-written \`Serialize\` impls, $des hand-written \`Deserialize\` impls; largest files: $largest."
    if [[ -s $WORK/check-rss ]]; then
        rss=$(($(tail -1 "$WORK/check-rss") / 1024))
        say ""
        say "Peak RSS of that cargo check (the largest rustc): $rss MiB (target under 2 GiB = 2048 MiB: $(verdict "$rss" 2048))."
    fi
    say ""

    echo "running: cargo check of the whole-v1.0 models and client crates" >&2
    BOTH=$WORK/v1-all-both
    rm -rf "$BOTH"
    "$BIN/csdl-bench" all-crate --input "$V1" --out "$BOTH" --runtime "$ROOT/runtime" \
        --crate-name graph-v1-all --with-client --split 4 2>&1 | tee -a "$RESULTS"
    cp "$ROOT/Cargo.lock" "$BOTH/Cargo.lock"
    # The runtime with the client's features, prebuilt.
    (cd "$BOTH" && CARGO_TARGET_DIR=$AT cargo check -q -p graph-odata-runtime)
    # From scratch: an earlier run's incremental caches would make it a rebuild.
    both_packages=(-p graph-v1-all -p graph-v1-all-client)
    for m in "$BOTH"/models/parts/*/Cargo.toml; do
        [[ -f $m ]] && both_packages+=(-p "$(awk -F'"' '/^name = /{print $2; exit}' "$m")")
    done
    (cd "$BOTH" && CARGO_TARGET_DIR=$AT cargo clean -q "${both_packages[@]}")
    rm -f "$WORK/check-rss"
    t0=$(now)
    (cd "$BOTH" && CARGO_TARGET_DIR=$AT "${timer[@]}" cargo check -q --workspace 2>/dev/null)
    t1=$(now)
    wall=$(secs "$t0" "$t1")
    rss=-
    if [[ -s $WORK/check-rss ]]; then rss="$(($(tail -1 "$WORK/check-rss") / 1024)) MiB"; fi
    say ""
    say "| crates | wall (s) | peak RSS (rustc) | target | result |"
    say "|---|---|---|---|---|"
    say "| graph-v1-all + graph-v1-all-client (\`--all --client-out\`, v1.0), cargo check, models and client built | $wall | $rss | < 180 s | $(verdict "$wall" 180) |"
    say ""
fi

# 4: decode speed.
if ! skip decode; then
    echo "running: decode bench (divan)" >&2
    say "### Decode speed (divan; \`cargo bench -p csdl-codegen-bench --bench decode\`)"
    say ""
    cargo bench --locked -q -p csdl-codegen-bench --bench decode >"$WORK/divan.txt" 2>&1
    grep '^|' "$WORK/divan.txt" | tee -a "$RESULTS"
    say ""
    awk -f bench/divan-summary.awk "$WORK/divan.txt" | tee -a "$RESULTS"
    say ""
    say '```'
    tee -a "$RESULTS" <"$WORK/divan.txt"
    say '```'
    say ""
fi

# 5: the peer, odata2ts (its own install under $WORK/peer; SKIPPED without npm).
if ! skip peer; then
    # shellcheck source=bench/peer.sh
    . "$ROOT/bench/peer.sh"
    peer_run
fi

say "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo >&2
echo "results: $RESULTS" >&2
