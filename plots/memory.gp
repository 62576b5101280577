# @FIGURE@.gp: memory of each node over time under placement policy @POLICY@.
# Upper panel per node: stacked from the bottom, free, anon resident and
# zsmalloc pages. Lower strip: the free band zoomed to twice the high
# watermark, where the min/low/high watermark lines (drawn in both) can be
# read; kswapd runs while free is below high.
# Scenario "@SCENARIO@" (@SOURCE@); made by `tiersim plot`.
# Data: @DATA@, one block per node. Re-make: gnuplot @FIGURE@.gp
@STYLE@
data = "@DATA@"
nodes = @NODES@
cols = @LAYOUT_COLS@
rows = @LAYOUT_ROWS@
time_tic = @TIME_TIC@   # the x tick step: a few ticks per panel
array node_label[nodes] = [@NODE_LABELS@]
array capacity_mib[nodes] = [@CAPACITY_MIB@]
array wm_min_mib[nodes] = [@WM_MIN_MIB@]
array wm_low_mib[nodes] = [@WM_LOW_MIB@]
array wm_high_mib[nodes] = [@WM_HIGH_MIB@]

# Fills, light to dark in grayscale: free, zsmalloc, anon.
free_color = "#E4E4E4"
anon_color = "#0072B2"
zs_color = "#E69F00"

# Layout, in inches from the top: title and key, then one row of panels
# per `cols` nodes, each a stacked panel over a free-memory strip.
head_in = 0.52
row_in = (height_in - head_in) / rows
left = 0.12
right = 0.97
hgap = 0.09
panel_w = (right - left - (cols - 1) * hgap) / cols
y(inches_from_top) = 1.0 - inches_from_top / height_in

do for [fmt in formats] {
    reset
    eval terminal_for(fmt)
    eval paper_style
    set output out_prefix."@FIGURE@.".fmt
    set multiplot title "placement policy @POLICY@: memory per node"
    set style fill solid 1.0 noborder
    set xrange [0:*] noextend
    set xtics time_tic
    do for [n=1:nodes] {
        c = (n - 1) % cols
        r = (n - 1) / cols
        top_in = head_in + r * row_in
        set lmargin at screen left + c * (panel_w + hgap)
        set rmargin at screen left + c * (panel_w + hgap) + panel_w

        # stacked memory
        set tmargin at screen y(top_in + 0.18)
        set bmargin at screen y(top_in + 0.58 * row_in)
        set title node_label[n] offset 0,-0.7
        set yrange [0:capacity_mib[n]]
        set format x ""
        unset xlabel
        set ytics autofreq
        if (c == 0) { set ylabel "memory (MiB)" } else { unset ylabel }
        unset key
        plot data index (n - 1) using 1:(0):2 with filledcurves lc rgb free_color, \
             '' index (n - 1) using 1:2:($2 + $3) with filledcurves lc rgb anon_color, \
             '' index (n - 1) using 1:($2 + $3):($2 + $3 + $4) with filledcurves \
                lc rgb zs_color, \
             wm_high_mib[n] with lines lc rgb "black" lw 0.8 dt 1, \
             wm_low_mib[n] with lines lc rgb "black" lw 0.8 dt 2, \
             wm_min_mib[n] with lines lc rgb "black" lw 0.8 dt 3

        # free memory against the watermarks
        set tmargin at screen y(top_in + 0.58 * row_in + 0.07)
        set bmargin at screen y(top_in + row_in - 0.32)
        unset title
        unset key
        set yrange [0:2 * wm_high_mib[n]]
        set ytics 0,wm_high_mib[n],wm_high_mib[n]
        set format y "%.3g"
        set format x "% g"
        set xlabel "time (@TIME_UNIT@)" offset 0,0.3
        if (c == 0) { set ylabel "free (MiB)" } else { unset ylabel }
        plot data index (n - 1) using 1:(0):2 with filledcurves lc rgb free_color, \
             wm_high_mib[n] with lines lc rgb "black" lw 0.8 dt 1, \
             wm_low_mib[n] with lines lc rgb "black" lw 0.8 dt 2, \
             wm_min_mib[n] with lines lc rgb "black" lw 0.8 dt 3
        set format y "% h"
    }

    # The keys, across the top: empty plots as wide as the figure, one for
    # the bands and one for the watermark lines.
    set lmargin at screen left
    set rmargin at screen right
    set tmargin at screen y(0.2)
    set bmargin at screen y(0.45)
    unset title
    unset xlabel
    unset ylabel
    unset border
    unset tics
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    set key at screen 0.5,y(0.2) center top horizontal maxrows 1 Left reverse width 1
    plot -1 notitle, \
         keyentry with filledcurves lc rgb free_color title "free", \
         keyentry with filledcurves lc rgb anon_color title "anon", \
         keyentry with filledcurves lc rgb zs_color title "zsmalloc"
    set key at screen 0.5,y(0.34)
    plot -1 notitle, \
         keyentry with lines lc rgb "black" lw 0.8 dt 1 title "high wmark", \
         keyentry with lines lc rgb "black" lw 0.8 dt 2 title "low wmark", \
         keyentry with lines lc rgb "black" lw 0.8 dt 3 title "min wmark"
    unset multiplot
    set output
}
