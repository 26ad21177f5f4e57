# shellcheck shell=bash
# Part "peer" of bench/run.sh, sourced by it (uses WORK, V1, BIN and say): the TypeScript
# generator odata2ts next to csdl-codegen --all, on the same Graph v1.0 input.
#
# odata2ts is installed with npm into $WORK/peer/odata2ts (pinned versions below), never
# globally, and run from there: it reads odata2ts.config.js and, even with --emit-mode ts, a
# tsconfig.json from its working directory. --emit-mode ts writes TypeScript source only (no
# tsc compile, no prettier), so generation is compared with generation.
# - bundledFileGeneration is false (one file per type, the layout its docs give for large
#   models). With the default (true) ts-morph re-parses one ever-growing file at every insert:
#   on v1.0, models alone did not finish within 25 minutes (load 5-7 on the 2 cores).
# - typescript is pinned to 5.x: left alone, npm resolves the typescript peer of ts-node to
#   7.x, whose JS API (no ts.ModuleResolutionKind) makes odata2ts 0.34 fail at start.
# - odata2ts 0.34 fails on the published v1.0 file; peer_patch fixes a copy (see there).

PEER_O2T_VERSION=0.34.0
PEER_TS_VERSION=5.1.6
PEER_RUNS=${PEER_RUNS:-3}
PEER_DIR=$WORK/peer
PEER_NPM=$PEER_DIR/odata2ts
PEER_IN=$PEER_DIR/graph-v1.0.patched.csdl.xml
PEER_LABELS=(o2t-models o2t-service ours-models ours-client)

# Installs odata2ts into $PEER_NPM unless the pinned versions are there already.
peer_install() {
    local have
    have=$(cd "$PEER_NPM" 2>/dev/null && node -p "['@odata2ts/odata2ts', 'typescript']
        .map((p) => require(p + '/package.json').version).join(' ')" 2>/dev/null) || true
    [[ $have == "$PEER_O2T_VERSION $PEER_TS_VERSION" ]] && return 0
    mkdir -p "$PEER_NPM"
    [[ -f $PEER_NPM/package.json ]] || echo '{ "private": true }' >"$PEER_NPM/package.json"
    echo "installing: @odata2ts/odata2ts@$PEER_O2T_VERSION typescript@$PEER_TS_VERSION into $PEER_NPM" >&2
    (cd "$PEER_NPM" && timeout 600 npm install --no-audit --no-fund --save-exact \
        "@odata2ts/odata2ts@$PEER_O2T_VERSION" "typescript@$PEER_TS_VERSION") >"$PEER_DIR/npm-install.log" 2>&1
}

# Copies $V1 to $PEER_IN with what odata2ts 0.34 cannot read changed; prints what it changed.
peer_patch() {
    python3 - "$V1" "$PEER_IN" <<'PY'
import re, sys

src, dst = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
schemas = []  # (offset, [namespace, alias]) of each <Schema>
for m in re.finditer(r"<Schema\b([^>]*)>", text):
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
    schemas.append((m.start(), [p for p in (attrs.get("Namespace"), attrs.get("Alias")) if p]))

def prefixes(pos):
    return [s for s in schemas if s[0] < pos][-1][1]

def ref(pos, name):  # a qualified name in an attribute value: "ns.name", (ns.name), "ns.name/..."
    alts = "|".join(re.escape(p) for p in prefixes(pos))
    return re.compile(r'(?<=["(])((?:%s)\.%s)(?=[")/])' % (alts, re.escape(name)))

# 1. odata2ts maps over the members of every enum type (TypeError on et.Member.map without any).
removed = []
for m in reversed(list(re.finditer(r'\n[ \t]*<EnumType Name="([^"]+)"[^>]*?(?:/>|>\s*</EnumType>)', text))):
    if ref(m.start(), m.group(1)).search(text):
        sys.exit("error: the empty enum type %s is referenced; the patch needs extending" % m.group(1))
    removed.append("%s.%s" % (prefixes(m.start())[0], m.group(1)))
    text = text[: m.start()] + text[m.end() :]

# 2. odata2ts keeps OData names (no --allow-renaming): a type named like a JavaScript reserved
# word gives `export interface case`, which ts-morph cannot insert (NotImplementedError).
reserved = ("break case catch class const continue debugger default delete do else enum export "
            "extends false finally for function if import in instanceof new null return super "
            "switch this throw true try typeof var void while with").split()
decl = r'<(EntityType|ComplexType|EnumType|TypeDefinition) Name="(%s)"' % "|".join(reserved)
renamed, refs = [], 0
for m in reversed(list(re.finditer(decl, text))):
    kind, name = m.groups()
    pattern = ref(m.start(), name)
    text = text[: m.start()] + '<%s Name="%s_"' % (kind, name) + text[m.end() :]
    text, n = pattern.subn(r"\1_", text)
    refs += n
    renamed.append("%s %s.%s" % (kind, prefixes(m.start())[0], name))

open(dst, "w", encoding="utf-8").write(text)
print("removed %d EnumType element(s) without members, which nothing references (%s): odata2ts "
      "0.34 reads the members of every enum type and fails (TypeError at `et.Member.map`) on one "
      "without; " % (len(removed), ", ".join(sorted(removed)) or "none"), end="")
print("renamed %d type(s) named like a JavaScript reserved word to NAME_ (%s) and %d reference(s) "
      "to them: odata2ts keeps OData names, and `export interface case` makes ts-morph fail "
      "(NotImplementedError)." % (len(renamed), ", ".join(renamed) or "none", refs))
PY
}

# peer_timed FILE CMD...: runs CMD; writes "wall_s peak_rss_kib user_s sys_s" to FILE.
peer_timed() {
    local file=$1
    shift
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%e %M %U %S' -o "$file" "$@"
    else
        python3 -c 'import resource, subprocess, sys, time
t = time.monotonic(); rc = subprocess.call(sys.argv[2:]); wall = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %d %.2f %.2f\n" % (wall, u.ru_maxrss, u.ru_utime, u.ru_stime))
sys.exit(rc)' "$file" "$@"
    fi
}

# peer_once LABEL: one run into a fresh $PEER_DIR/out/LABEL; appends its figures to LABEL.times.
peer_once() {
    local label=$1 out=$PEER_DIR/out/$1 cli=$PEER_NPM/node_modules/@odata2ts/odata2ts/lib/run-cli.js
    rm -rf "$out" "$out-client" "$PEER_DIR/t"
    case $label in
    o2t-*) (cd "$PEER_NPM" && peer_timed "$PEER_DIR/t" node "$cli" --source "$PEER_IN" --output "$out" \
        --mode "${label#o2t-}" --emit-mode ts) ;;
    ours-models) peer_timed "$PEER_DIR/t" "$BIN/csdl-codegen" generate -q --all --input "$PEER_IN" --out "$out" ;;
    ours-client) peer_timed "$PEER_DIR/t" "$BIN/csdl-codegen" generate -q --all --input "$PEER_IN" \
        --out "$out" --client-out "$out-client" ;;
    esac >"$PEER_DIR/$label.log" 2>&1 || return 1
    [[ $label != o2t-* ]] || grep -q '^Successfully finished!' "$PEER_DIR/$label.log" || return 1
    tail -1 "$PEER_DIR/t" >>"$PEER_DIR/$label.times"
}

# peer_median LABEL FIELD: the median of one column of LABEL.times (sys + user for "cpu").
peer_median() {
    awk -v f="$2" '{ print (f == "cpu" ? $3 + $4 : $f) }' "$PEER_DIR/$1.times" | sort -n |
        awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# peer_size DIR...: files, lines and MiB of what is under DIR...
peer_size() {
    local lines
    lines=$(find "$@" -type f -print0 | xargs -0 cat | wc -l)
    find "$@" -type f -printf '%s\n' | awk -v l="$lines" '{ n++; s += $1 }
        END { printf "%d files, %d lines, %.1f MiB", n, l, s / 1048576 }'
}

# peer_row LABEL TOOL MODE THEIRS DIR...: a row of the table (THEIRS: the label to compare with,
# or empty); uses peer_run's wall and rss.
peer_row() {
    local label=$1 tool=$2 mode=$3 theirs=$4
    shift 4
    local ratios="- | -"
    [[ -z $theirs ]] || ratios=$(awk -v a="${wall[$label]}" -v b="${wall[$theirs]}" -v c="${rss[$label]}" \
        -v d="${rss[$theirs]}" 'BEGIN { printf "%.3f | %.3f", a / b, c / d }')
    local figures
    figures=$(awk -v w="${wall[$label]}" -v c="$(peer_median "$label" cpu)" -v k="${rss[$label]}" \
        'BEGIN { printf "%.2f | %.2f | %.1f", w, c, k / 1024 }')
    say "| $tool | $mode | $figures | $(peer_size "$@") | $ratios |"
}

# The part: install, patch, a warm-up round, PEER_RUNS interleaved rounds, the table.
peer_run() {
    say "### Peer: odata2ts (TypeScript) on the same input"
    say ""
    mkdir -p "$PEER_DIR/out"
    local tool missing=()
    for tool in npm node python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if ((${#missing[@]})); then
        echo "peer: ${missing[*]} not found: the odata2ts comparison is SKIPPED" >&2
        say "SKIPPED: ${missing[*]} not found (the part installs odata2ts with npm into \`$PEER_NPM\` and patches its input with python3)."
        say ""
        return 0
    fi
    if ! peer_install; then
        echo "peer: npm install failed (offline?), see $PEER_DIR/npm-install.log: the odata2ts comparison is SKIPPED" >&2
        say "SKIPPED: \`npm install @odata2ts/odata2ts@$PEER_O2T_VERSION\` failed (offline?); log: \`$PEER_DIR/npm-install.log\`."
        say ""
        return 0
    fi
    local patched label r
    if ! patched=$(peer_patch); then
        say "FAILED: patching the copy of the input for odata2ts (see the error above)."
        say ""
        return 0
    fi
    echo '{ "compilerOptions": { "target": "ES2020", "module": "commonjs", "strict": true } }' >"$PEER_NPM/tsconfig.json"
    echo 'module.exports = { bundledFileGeneration: false };' >"$PEER_NPM/odata2ts.config.js"
    for r in $(seq 0 "$PEER_RUNS"); do # round 0 is the warm-up
        if ((r <= 1)); then rm -f "$PEER_DIR"/*.times; fi
        for label in "${PEER_LABELS[@]}"; do
            echo "running: peer $label (round $r of $PEER_RUNS, 0 = warm-up)" >&2
            if ! peer_once "$label"; then
                echo "peer: $label failed, see $PEER_DIR/$label.log" >&2
                say "FAILED: $label (log: \`$PEER_DIR/$label.log\`)."
                say ""
                return 0
            fi
        done
    done

    say "odata2ts $PEER_O2T_VERSION (node $(node -v), typescript $(node -p "require('$PEER_NPM/node_modules/typescript/package.json').version")), installed with npm in \`$PEER_NPM\` and run from there: \`node …/@odata2ts/odata2ts/lib/run-cli.js --source IN --output OUT --mode models|service --emit-mode ts\`, with \`odata2ts.config.js\` = \`{ bundledFileGeneration: false }\` (one file per type; not timed here: the default, one bundled file per kind, makes ts-morph re-parse that file at every insert, and models alone did not finish within 25 minutes when this part was written) and a minimal \`tsconfig.json\` (required even for \`--emit-mode ts\`). \`--emit-mode ts\` writes TypeScript source only, no tsc compile and no prettier: generation against generation. \`--mode service\` is models + q-objects + service classes; \`csdl-codegen generate -q --all --client-out\` is the models crate + the client crate."
    say ""
    say "Input of all four: \`$PEER_IN\`, $(stat -c %s "$PEER_IN" | awk '{ printf "%.1f MB (%d bytes)", $1 / 1e6, $1 }'), a copy of \`graph-v1.0.csdl.xml\` (the original is not changed), patched for odata2ts: $patched"
    say ""
    say "$PEER_RUNS runs of each, interleaved, after a warm-up round; medians. Peak RSS: maximum resident set of the process (GNU time %M, or getrusage without it); CPU: user + sys."
    say ""
    say "| tool | mode | wall (s) | CPU (s) | peak RSS (MiB) | output | ours / theirs: wall | ours / theirs: peak RSS |"
    say "|---|---|---|---|---|---|---|---|"
    local -A wall rss
    for label in "${PEER_LABELS[@]}"; do
        wall[$label]=$(peer_median "$label" 1)
        rss[$label]=$(peer_median "$label" 2)
    done
    local out=$PEER_DIR/out
    peer_row o2t-models "odata2ts $PEER_O2T_VERSION" "models (\`--mode models\`)" "" "$out/o2t-models"
    peer_row o2t-service "odata2ts $PEER_O2T_VERSION" "models + service (\`--mode service\`)" "" "$out/o2t-service"
    peer_row ours-models csdl-codegen "models (\`--all\`)" o2t-models "$out/ours-models"
    peer_row ours-client csdl-codegen "models + client (\`--all --client-out\`)" o2t-service "$out/ours-client" "$out/ours-client-client"
    say ""
    local verdict
    verdict=$(awk -v a="${wall[ours-models]}" -v b="${wall[o2t-models]}" -v c="${rss[ours-models]}" -v d="${rss[o2t-models]}" \
        -v e="${wall[ours-client]}" -v f="${wall[o2t-service]}" -v g="${rss[ours-client]}" -v h="${rss[o2t-service]}" \
        'BEGIN { printf "models %s, models + client %s", (a < b && c < d ? "PASS" : "FAIL"), (e < f && g < h ? "PASS" : "FAIL") }')
    say "Ahead of odata2ts on both wall time and peak RSS (both ratios under 1): $verdict."
    say ""
}
