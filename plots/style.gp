# ---- paper style ---------------------------------------------------------
# Sized for a two-column paper: one column is 3.5 in wide (7 in, figure*,
# when panels or bars would crowd it), 2.5 in high, 8 pt text.
# The PDF is the figure for the paper; the PNG is the same figure at
# png_dpi, for slides and web pages. Every series differs by dash type and
# point type (or fill pattern) as well as by colour, so the figures read in
# grayscale. Colours: the Okabe-Ito palette (colour-blind safe).
# Edit here and re-run `gnuplot FIGURE.gp` in this folder.
formats = "@FORMATS@"          # any of: png pdf
if (!exists("width_in")) width_in = @WIDTH_IN@
if (!exists("height_in")) height_in = @HEIGHT_IN@
font_name = "Sans"
font_pt = 8
png_dpi = 300
# tiersim renders under a temporary name and renames, so that a figure is
# never seen half written; when you run the script yourself it is empty.
if (!exists("out_prefix")) out_prefix = ""

# pngcairo draws fonts at twice the size the same point size takes in the
# PDF; the scales below make the PNG look like the PDF printed at png_dpi.
terminal_for(fmt) = (fmt eq "png") \
    ? sprintf("set terminal pngcairo noenhanced size %d,%d font '%s,%g' fontscale %g linewidth %g pointscale %g", \
              int(width_in*png_dpi), int(height_in*png_dpi), font_name, font_pt, \
              png_dpi/144.0, png_dpi/100.0, png_dpi/100.0) \
    : sprintf("set terminal pdfcairo noenhanced size %gin,%gin font '%s,%g'", \
              width_in, height_in, font_name, font_pt)

# Axes, grid, key and the series styles 1..8 (colour, dash type and point
# type all differ). Every figure starts with `reset` and `eval paper_style`,
# so that the PDF does not inherit what the PNG left set.
paper_style = \
    "set border 3 lw 0.8; " . \
    "set tics nomirror out scale 0.5; " . \
    "set grid ytics lt 1 lw 0.5 lc rgb '#D9D9D9'; " . \
    "set key noautotitle samplen 2.5 spacing 1.0; " . \
    "set style line 1 lc rgb '#000000' lw 1.2 dt 1 pt 7 ps 0.6; " . \
    "set style line 2 lc rgb '#D55E00' lw 1.2 dt 2 pt 5 ps 0.6; " . \
    "set style line 3 lc rgb '#0072B2' lw 1.2 dt 4 pt 9 ps 0.7; " . \
    "set style line 4 lc rgb '#009E73' lw 1.2 dt 5 pt 4 ps 0.6; " . \
    "set style line 5 lc rgb '#CC79A7' lw 1.2 dt 3 pt 6 ps 0.6; " . \
    "set style line 6 lc rgb '#E69F00' lw 1.2 dt (8,3,2,3) pt 8 ps 0.7; " . \
    "set style line 7 lc rgb '#56B4E9' lw 1.2 dt (2,2) pt 12 ps 0.7; " . \
    "set style line 8 lc rgb '#7F7F7F' lw 1.2 dt (12,4) pt 1 ps 0.7"
n_styles = 8
series_style(i) = (i - 1) % n_styles + 1

# Bar fills, series 1..6: two solid fills far apart in grayscale (dark
# blue, light orange), then hatched ones (pattern 3 is solid; pdfcairo
# draws hatches sparsely, so they come last).
array bar_color[6] = ["#0072B2", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#56B4E9"]
array bar_pattern[6] = [3, 3, 4, 5, 6, 7]
bar_fill_color(i) = bar_color[(i - 1) % 6 + 1]
bar_fill_pattern(i) = bar_pattern[(i - 1) % 6 + 1]
# ---- end of paper style --------------------------------------------------
