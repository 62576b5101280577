# @FIGURE@.gp: where compressed data ended up, per placement policy. One group
# of bars per policy, one bar per node holding the data (N0, N1, ...),
# stacked by the node the page came from: a segment from another node than
# the bar's is cross-node placement.
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one block per policy. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
all_zero = @ALL_ZERO@    # 1: every value is 0 (a fixed axis, no autoscale)
nodes = @NODES@
array origin_label[nodes] = [@ORIGIN_LABELS@]

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set multiplot title "compressed data on each node (N0, N1, ...) by origin"
    set tmargin at screen 1.0 - 0.42 / height_in
    set style data histograms
    set style histogram rowstacked title offset 0,-0.5
    set boxwidth 0.75 relative
    set style fill border lc rgb "black"
    set ylabel "compressed data (MiB)"
    if (all_zero) {
        set yrange [0:1]
        set label 1 "all zero" at graph 0.5,0.5 center
    } else {
        set yrange [0:*]
    }
    set xtics nomirror scale 0
    set bmargin 3.3
    unset key
    @PLOT@
    unset label

    # The key, under the title: an empty plot with one entry per origin
    # (the histogram's own key reserves room for its untitled groups).
    unset title
    unset ylabel
    unset border
    unset tics
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    set key at screen 0.5,1.0 - 0.2 / height_in center top horizontal maxrows 1 \
        Left reverse samplen 1.5
    plot -1 notitle, \
         for [o=1:nodes] keyentry with boxes lc rgb bar_fill_color(o) \
             fs pattern bar_fill_pattern(o) border lc rgb "black" title origin_label[o]
    unset multiplot
    set output
}
