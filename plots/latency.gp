# @FIGURE@.gp: access latency per placement policy, one line each. Left:
# the CDF, the fraction of accesses at or below x. Right: its tail on a log
# scale, the fraction slower than x, where policies differ. Latencies come
# from a log-spaced histogram; x is each bucket's lower bound.
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one block per policy. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
policies = @N_POLICIES@
array policy[policies] = [@POLICIES@]
# A marker every point_interval[i] buckets, so lines differ in grayscale.
array point_interval[policies] = [@POINT_INTERVALS@]
# The tail's lower edge: a decade below one access in the largest run, so
# the last step down (to no slower access) reaches the axis.
tail_floor = @TAIL_FLOOR@
tail(f) = f > 0 ? f : tail_floor

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set multiplot title "access latency"
    set tmargin at screen 1.0 - 0.55 / height_in
    set bmargin at screen 0.45 / height_in
    set lmargin at screen 0.13
    set rmargin at screen 0.51
    set logscale x 10
    set format x "%.0s%c"
    set xtics 100
    set mxtics 10
    set xlabel "latency (ns)"
    unset key

    set ylabel "fraction at or below"
    set yrange [0:1.02]
    set ytics 0,0.2,1
    plot for [i=1:policies] data index (i - 1) using 1:3 with steps ls series_style(i), \
         for [i=1:policies] data index (i - 1) using 1:3 every point_interval[i] \
             with points ls series_style(i)

    set lmargin at screen 0.63
    set rmargin at screen 0.95
    set ylabel "fraction slower" offset 1,0
    set logscale y 10
    set format y "%.0e"
    set yrange [tail_floor:1.5]
    set ytics autofreq
    plot for [i=1:policies] data index (i - 1) using 1:(tail($4)) with steps \
             ls series_style(i), \
         for [i=1:policies] data index (i - 1) using 1:(tail($4)) \
             every point_interval[i] with points ls series_style(i)

    # The key, under the title, across the figure.
    unset logscale
    unset title
    unset xlabel
    unset ylabel
    unset border
    unset tics
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    set lmargin at screen 0.13
    set rmargin at screen 0.98
    set key at screen 0.5,1.0 - 0.2 / height_in center top horizontal maxrows 1 \
        Left reverse samplen 2.5
    plot -1 notitle, \
         for [i=1:policies] keyentry with linespoints ls series_style(i) title policy[i]
    unset multiplot
    set output
}
