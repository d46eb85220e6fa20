#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Plots of `make compare`'s CSVs (gnuplot, SVG and PDF): backends side by side, Linux as a line.
# usage: compare-plot.sh OUT_DIR BACKEND [BACKEND ...]
set -euo pipefail
out=$1; shift
command -v gnuplot >/dev/null || { echo "compare-plot.sh: gnuplot is missing (scripts/install-deps.sh --paper)" >&2; exit 1; }
n=$#
linux_pipe=""
[ -s "$out/linux.csv" ] && linux_pipe=$(grep '^linux_pipe' "$out/linux.csv" | head -1 | cut -d, -f2)
for term in svg pdf; do
    case $term in
    svg) setterm="set terminal svg size 800,450 font 'Helvetica,14' background '#ffffff' noenhanced" ;;
    pdf) setterm="set terminal pdfcairo size 3.4in,2.4in font 'Helvetica,8' noenhanced" ;;
    esac
    for path in fast general; do
        grep -v '^#' "$out/ipc_words.csv" | awk -F, -v p=$path 'NR==1 || $2==p' > "$out/.words_$path.dat"
        plot="plot"
        for i in $(seq 1 $n); do
            plot="$plot '$out/.words_$path.dat' using $((i + 2)):xtic(1) title columnhead($((i + 2))),"
        done
        extra=""
        [ -n "$linux_pipe" ] && extra="$linux_pipe with lines dashtype 2 lw 2 lc rgb '#444444' title 'Linux pipe round trip',"
        gnuplot <<GP
$setterm
set output '$out/ipc_words_$path.$term'
set datafile separator ','
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set grid ytics
set logscale y
set yrange [100:*]
set xlabel 'message words ($path path)'
set ylabel 'instructions per round trip (log scale)'
${plot%,} ${extra:+, ${extra%,}}
GP
    done
    if [ -s "$out/scale_tasks.csv" ]; then
        plot="plot"
        for i in $(seq 1 $n); do
            plot="$plot '$out/scale_tasks.csv' using 1:$((i + 1)) with linespoints lw 2 pt $((i + 5)) title columnhead($((i + 1))),"
        done
        gnuplot <<GP
$setterm
set output '$out/scale_tasks.$term'
set datafile separator ','
set key bottom right
set grid
set yrange [0:*]
set xlabel 'tasks in the system'
set ylabel 'instructions per null round trip'
${plot%,}
GP
    fi
    # The scaling series (compare-scale.sh): one line per backend column, wall columns left out.
    for f in scale_rights revoke_fanout; do
        [ -s "$out/$f.csv" ] || continue
        head=$(grep -v '^#' "$out/$f.csv" | head -1)
        ncol=$(echo "$head" | tr ',' '\n' | grep -c -v '^wall_s_')
        plot="plot"
        for i in $(seq 2 "$ncol"); do
            plot="$plot '$out/$f.csv' using 1:$i with linespoints lw 2 pt $((i + 4)) ps 0.8 dt $((i - 1)) title columnhead($i),"
        done
        case $f in
        scale_rights) xl="rights held by the caller (log scale; each series ends at its pool)"
                      yl="instructions per null round trip"; ys="set offsets 0, 0, 8, 8; set key bottom right" ;;
        revoke_fanout) xl="derived rights revoked (log scale; each series ends at its pool)"
                       yl="instructions per revocation (log scale)"; ys="set logscale y" ;;
        esac
        gnuplot <<GP
$setterm
set output '$out/$f.$term'
set datafile separator ','
set datafile missing 'n/a'
set key top left
set grid
set logscale x 2
set xrange [0.8:*]
$ys
set xlabel '$xl'
set ylabel '$yl'
${plot%,}
GP
    done
done
rm -f "$out"/.words_*.dat
