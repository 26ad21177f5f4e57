# Summarizes the decode bench: `cargo bench -p csdl-codegen-bench --bench decode | awk -f bench/divan-summary.awk`.
# Reads divan's table; prints, per group, typed vs value medians and fastest times.
function to_ms(v, u) { return u == "ns" ? v / 1e6 : (u == "µs" ? v / 1e3 : (u == "s" ? v * 1e3 : v)) }
/^\|/ { next }
{
    line = $0
    gsub(/[│├╰─]/, " ", line)
    n = split(line, f, " ")
    if (n == 1) { group = f[1]; next }
    if (n >= 9 && f[1] ~ /^[a-z_]+$/ && f[3] ~ /s$/) {
        fast[group, f[1]] = to_ms(f[2], f[3]); med[group, f[1]] = to_ms(f[6], f[7])
        if (!(group in seen)) { seen[group] = 1; order[++groups] = group }
    }
}
END {
    print "| divan (wall time) | typed median (ms) | Value median (ms) | typed fastest (ms) | Value fastest (ms) | typed / Value (median) |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= groups; i++) {
        g = order[i]; t = med[g, "typed"]; v = med[g, "value"]
        printf "| %s | %.3f | %.3f | %.3f | %.3f | %.2f |\n", g, t, v, fast[g, "typed"], fast[g, "value"], t / v
    }
}
