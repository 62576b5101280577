# @FIGURE@.gp: zsmalloc density per placement policy: compressed bytes
# stored / (zsmalloc pages x page size) at the end of the run; 1 is a pool
# without internal fragmentation. Partitioning the pool by node (strict)
# costs density because each node's classes fill separately.
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one row per policy. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
policies = @N_POLICIES@

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set title "zsmalloc density"
    set style data histograms
    set style histogram clustered gap 1
    set boxwidth 0.6 relative
    set style fill border lc rgb "black"
    set xtics nomirror scale 0
    set ylabel "density (stored / pool bytes)"
    set yrange [0:1.12]
    set ytics 0,0.2,1
    unset key
    plot data using 2:xtic(1) lc rgb bar_fill_color(1) fs pattern bar_fill_pattern(1), \
         '' using 0:2:(sprintf("%.3f", $2)) with labels offset 0,0.6 font ",7"
    set output
}
