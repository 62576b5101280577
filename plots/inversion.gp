# @FIGURE@.gp: tier inversion over time, one line per placement policy: the
# compressed data of pages from a slower tier held on a faster one (summed
# over the nodes holding it).
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one block per policy. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
all_zero = @ALL_ZERO@    # 1: every value is 0 (a fixed axis, no autoscale)
policies = @N_POLICIES@
array policy[policies] = [@POLICIES@]
# A marker every point_interval[i] samples, so lines differ in grayscale.
array point_interval[policies] = [@POINT_INTERVALS@]

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set title "tier inversion: compressed data from a slower tier on a faster one"
    set xlabel "time (@TIME_UNIT@)"
    set ylabel "inverted data (MiB)"
    set xrange [0:*] noextend
    if (all_zero) {
        set yrange [0:1]
        set label 1 "all zero" at graph 0.5,0.5 center
    } else {
        set yrange [0:*]
    }
    set key top left Left reverse
    plot for [i=1:policies] data index (i - 1) using 1:2 with linespoints \
         ls series_style(i) pi point_interval[i] title policy[i]
    set output
}
