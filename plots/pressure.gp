# @FIGURE@.gp: cross-node pressure and reclaim efficacy per placement policy.
# Left: compressed data held on a node other than the page's origin at the
# end, and zsmalloc pages ever allocated on one node for another node's data
# (as MiB). Right: of the pages zswap writeback freed, the fraction freed on
# the node it was aimed at; n/a when there was no writeback (the summary
# reports 1 then).
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one row per policy. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
all_zero = @ALL_ZERO@    # 1: every value is 0 (a fixed axis, no autoscale)
policies = @N_POLICIES@
split = 0.62   # where the left panel ends, as a fraction of the width

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set multiplot title "cross-node pressure and reclaim efficacy"
    set tmargin at screen 1.0 - 0.55 / height_in
    set bmargin at screen 0.4 / height_in
    set style data histograms
    set style histogram clustered gap 1
    set boxwidth 0.9 relative
    set style fill border lc rgb "black"
    set xtics nomirror scale 0
    unset key

    set lmargin at screen 0.13
    set rmargin at screen split
    set ylabel "cross-node data (MiB)"
    if (all_zero) {
        set yrange [0:1]
        set label 1 "all zero" at graph 0.5,0.5 center
    } else {
        set yrange [0:*]
    }
    plot data using 2:xtic(1) lc rgb bar_fill_color(1) fs pattern bar_fill_pattern(1), \
         '' using 4 lc rgb bar_fill_color(2) fs pattern bar_fill_pattern(2)
    unset label

    set lmargin at screen split + 0.13
    set rmargin at screen 0.98
    set ylabel "reclaim efficacy" offset 1,0
    set yrange [0:1.15]
    set ytics 0,0.25,1
    set xtics rotate by 40 right
    plot data using ($6 > 0 ? $5 : 0):xtic(1) lc rgb bar_fill_color(3) \
             fs pattern bar_fill_pattern(3), \
         '' using 0:($6 > 0 ? $5 : 0):($6 > 0 ? sprintf("%.2f", $5) : "n/a") \
             with labels offset 0,0.6 font ",7"
    set ytics autofreq
    set xtics norotate

    # The key, under the title, across the figure.
    set lmargin at screen 0.13
    set rmargin at screen 0.98
    unset ylabel
    unset border
    unset tics
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    set key at screen 0.5,1.0 - 0.2 / height_in center top horizontal maxrows 2 \
        Left reverse samplen 1.5
    plot -1 notitle, \
         keyentry with boxes lc rgb bar_fill_color(1) fs pattern bar_fill_pattern(1) \
             border lc rgb "black" title "compressed data off its origin node (end)", \
         keyentry with boxes lc rgb bar_fill_color(2) fs pattern bar_fill_pattern(2) \
             border lc rgb "black" title "zsmalloc pages allocated cross-node (total)"
    unset multiplot
    set output
}
