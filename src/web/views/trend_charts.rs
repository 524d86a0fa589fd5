//! Charts of shares with their 95 % intervals, drawn on the server as
//! inline SVG: a line over periods, and bars for two ranges side by side.
//! Each is one image with a title saying what it shows; the numbers are in
//! the table next to it, and a withheld figure is never drawn.
//!
//! Colours are from the Okabe–Ito set (told apart with the common kinds of
//! colour blindness), each at least 3:1 against white; the bars are also
//! lettered, so no reading depends on colour.

use maud::{Markup, html};

/// Range A: vermillion, 3.8:1 against white.
const COLOUR_A: &str = "#d55e00";
/// Range B and the trend line: blue, 5.2:1 against white.
const COLOUR_B: &str = "#0072b2";
/// Grid lines and scale text: grey, 4.5:1 against white.
const GRID: &str = "#767676";

/// Every chart is drawn in a box this wide; `width: 100 %` scales it, so
/// it fits a 320 px screen without scrolling.
const WIDTH: f64 = 320.0;
/// Where the 0–100 % scale of the bars starts and how wide it is.
const BAR_LEFT: f64 = 24.0;
const BAR_WIDTH: f64 = 280.0;

/// A share shown, with its interval and the words a pointer shows.
pub struct Shown {
    /// Between 0 and 1, like its interval.
    pub share: f64,
    pub low: f64,
    pub high: f64,
    /// The figure in words, for the point's or bar's tooltip.
    pub text: String,
}

/// A line of shares over periods: a point per shown figure with its
/// interval as a whisker over a band, the line broken where a figure is
/// withheld (`None`). `periods` label the horizontal axis, one per point.
pub fn line_chart(title: &str, periods: &[String], points: &[Option<Shown>]) -> Markup {
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 312.0;
    const TOP: f64 = 8.0;
    const BOTTOM: f64 = 148.0;
    let count = points.len().max(1);
    let step = (RIGHT - LEFT) / count as f64;
    let x = |index: usize| LEFT + (index as f64 + 0.5) * step;
    let y = |share: f64| BOTTOM - share.clamp(0.0, 1.0) * (BOTTOM - TOP);
    // Runs of shown points, so neither line nor band crosses a gap.
    let mut runs: Vec<Vec<(usize, &Shown)>> = Vec::new();
    let mut previous_shown = false;
    for (index, point) in points.iter().enumerate() {
        match point {
            Some(point) if previous_shown => runs.last_mut().expect("a run").push((index, point)),
            Some(point) => runs.push(vec![(index, point)]),
            None => {}
        }
        previous_shown = point.is_some();
    }
    // At most about six period labels fit under the axis.
    let every = count.div_ceil(6);
    html! {
        svg.trend-chart viewBox={ "0 0 " (WIDTH) " 172" } role="img" aria-label=(title) {
            title { (title) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line x1=(LEFT) x2=(RIGHT) y1=(f(y(tick))) y2=(f(y(tick))) stroke=(GRID) stroke-width="0.5" {}
                text x=(LEFT - 4.0) y=(f(y(tick) + 3.5)) text-anchor="end" font-size="10" fill=(GRID) {
                    (format!("{} %", (tick * 100.0) as u32))
                }
            }
            @for (index, label) in periods.iter().enumerate() {
                @if index % every == 0 || (index + 1 == periods.len() && index % every > every / 2) {
                    text x=(f(x(index))) y="164" text-anchor="middle" font-size="10" fill="#333333" { (label) }
                }
            }
            @for run in &runs {
                @let upper = run.iter().map(|(index, point)| format!("{},{}", f(x(*index)), f(y(point.high))));
                @let lower = run.iter().rev().map(|(index, point)| format!("{},{}", f(x(*index)), f(y(point.low))));
                polygon.band points=(upper.chain(lower).collect::<Vec<_>>().join(" ")) fill=(COLOUR_B) fill-opacity="0.15" {}
                @if run.len() > 1 {
                    polyline.line points=(run.iter().map(|(index, point)| format!("{},{}", f(x(*index)), f(y(point.share)))).collect::<Vec<_>>().join(" "))
                        fill="none" stroke=(COLOUR_B) stroke-width="2" {}
                }
            }
            @for (index, point) in points.iter().enumerate() {
                @if let Some(point) = point {
                    g.point {
                        title { (point.text) }
                        (whisker_vertical(x(index), y(point.low), y(point.high), COLOUR_B))
                        circle cx=(f(x(index))) cy=(f(y(point.share))) r="3.5" fill=(COLOUR_B) stroke="#ffffff" stroke-width="1" {}
                    }
                }
            }
        }
        ul.legend.chart-legend {
            li { svg.swatch viewBox="0 0 10 10" aria-hidden="true" { circle cx="5" cy="5" r="4" fill=(COLOUR_B) {} } "Punkt och linje: andelen" }
            li { svg.swatch viewBox="0 0 10 10" aria-hidden="true" { line x1="5" x2="5" y1="0" y2="10" stroke=(COLOUR_B) stroke-width="2" {} } "Streck och fält: 95 % intervall" }
            li { "Skala: 0–100 %" }
        }
    }
}

/// One line of a paired bar chart: its label and the figure of each range.
pub struct Pair<'a> {
    pub label: &'a str,
    pub a: Option<Shown>,
    pub b: Option<Shown>,
}

/// Bars of ranges A and B for each line, with whiskers for the intervals,
/// on one 0–100 % scale. A withheld figure gets `withheld` in words and no
/// bar.
pub fn paired_bars(title: &str, a_label: &str, b_label: &str, pairs: &[Pair<'_>], withheld: &str) -> Markup {
    const SCALE: f64 = 16.0;
    const LABEL_LINE: f64 = 12.0;
    const BAR: f64 = 11.0;
    let x = |share: f64| BAR_LEFT + share.clamp(0.0, 1.0) * BAR_WIDTH;
    // Lay out every line first: the chart is as tall as its labels need.
    let mut top = SCALE + 4.0;
    let mut placed = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let lines = wrap(pair.label, 54);
        let bars = top + lines.len() as f64 * LABEL_LINE + 2.0;
        placed.push((pair, lines, top, bars));
        top = bars + 2.0 * BAR + 3.0 + 10.0;
    }
    let height = top;
    html! {
        svg.paired-bars viewBox={ "0 0 " (WIDTH) " " (f(height)) } role="img" aria-label=(title) {
            title { (title) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line x1=(f(x(tick))) x2=(f(x(tick))) y1=(SCALE - 2.0) y2=(f(height - 6.0)) stroke=(GRID) stroke-width="0.5" {}
                text x=(f(x(tick))) y="10" text-anchor="middle" font-size="9" fill=(GRID) { (format!("{} %", (tick * 100.0) as u32)) }
            }
            @for (pair, lines, label_top, bars) in &placed {
                @for (n, line) in lines.iter().enumerate() {
                    text x="0" y=(f(label_top + (n as f64 + 1.0) * LABEL_LINE - 3.0)) font-size="10" fill="#1a1a1a" { (line) }
                }
                @for (row, (letter, figure, colour)) in [("A", &pair.a, COLOUR_A), ("B", &pair.b, COLOUR_B)].into_iter().enumerate() {
                    @let y = bars + row as f64 * (BAR + 3.0);
                    text x="4" y=(f(y + BAR - 2.0)) font-size="10" font-weight="bold" fill="#1a1a1a" { (letter) }
                    @if let Some(shown) = figure {
                        g.bar {
                            title { (letter) ": " (shown.text) }
                            rect x=(BAR_LEFT) y=(f(y)) width=(f(x(shown.share) - BAR_LEFT)) height=(BAR) fill=(colour) {}
                            (whisker_horizontal(x(shown.low), x(shown.high), y + BAR / 2.0))
                        }
                    } @else {
                        text x=(BAR_LEFT + 2.0) y=(f(y + BAR - 2.0)) font-size="9" fill="#1a1a1a" { (withheld) }
                    }
                }
            }
        }
        ul.legend.chart-legend {
            li { svg.swatch viewBox="0 0 10 10" aria-hidden="true" { rect width="10" height="10" fill=(COLOUR_A) {} } "A: " (a_label) }
            li { svg.swatch viewBox="0 0 10 10" aria-hidden="true" { rect width="10" height="10" fill=(COLOUR_B) {} } "B: " (b_label) }
            li { "Svart streck: 95 % intervall. Skala: 0–100 %" }
        }
    }
}

/// A vertical interval with caps.
fn whisker_vertical(x: f64, low: f64, high: f64, colour: &str) -> Markup {
    html! {
        path.whisker d=(format!("M{} {}V{}M{} {}h6M{} {}h6", f(x), f(low), f(high), f(x - 3.0), f(low), f(x - 3.0), f(high)))
            stroke=(colour) stroke-width="1.5" fill="none" {}
    }
}

/// A horizontal interval with caps, in black: it shows on both bar colours
/// and on white.
fn whisker_horizontal(low: f64, high: f64, y: f64) -> Markup {
    html! {
        path.whisker d=(format!("M{} {}H{}M{} {}v8M{} {}v8", f(low), f(y), f(high), f(low), f(y - 4.0), f(high), f(y - 4.0)))
            stroke="#000000" stroke-width="1.5" fill="none" {}
    }
}

/// A coordinate with two decimals: enough for any screen, and short.
fn f(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Words in lines of at most `width` characters (a longer word gets a line
/// of its own): SVG text does not wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(share: f64, low: f64, high: f64) -> Option<Shown> {
        Some(Shown { share, low, high, text: format!("{share}") })
    }

    #[test]
    fn a_line_has_a_point_per_shown_figure_and_breaks_where_one_is_withheld() {
        let periods: Vec<String> = ["2026-09", "2026-10", "2026-11", "2026-12"].map(str::to_owned).to_vec();
        let chart = line_chart(
            "Andel positiva per månad",
            &periods,
            &[shown(0.5, 0.25, 0.75), shown(1.0, 0.5, 1.0), None, shown(0.0, 0.0, 0.25)],
        )
        .into_string();
        assert!(chart.contains(r#"role="img" aria-label="Andel positiva per månad""#));
        assert!(chart.contains("<title>Andel positiva per månad</title>"));
        assert_eq!(chart.matches(r#"r="3.5""#).count(), 3, "no point for the withheld period");
        // The plot runs from x 40 to 312 in 4 steps of 68, from y 148 (0 %)
        // up to 8 (100 %): the first point is at (74, 78).
        assert!(chart.contains(r#"<circle cx="74" cy="78""#), "{chart}");
        // One line joins the first two points; the last stands alone.
        assert_eq!(chart.matches("<polyline").count(), 1);
        assert!(chart.contains(r#"points="74,78 142,8""#), "{chart}");
        assert_eq!(chart.matches("<polygon").count(), 2, "a band for each run");
        assert!(chart.contains("100 %") && chart.contains("0 %"), "the scale is labelled");
    }

    #[test]
    fn paired_bars_draw_a_bar_and_whisker_per_shown_figure_and_words_for_a_withheld_one() {
        let chart = paired_bars(
            "Andel positiva, A jämfört med B",
            "2025",
            "2026",
            &[Pair { label: "Tillgänglighet", a: shown(0.5, 0.25, 0.75), b: None }],
            "färre än 5 svar",
        )
        .into_string();
        assert_eq!(chart.matches("<rect").count(), 3, "one bar, and the legend's two swatches");
        // Half of the 280-wide scale from x 24; the whisker from 94 to 234.
        assert!(chart.contains(r#"width="140" height="11""#), "{chart}");
        assert!(chart.contains(r#"d="M94 "#) && chart.contains("H234"), "{chart}");
        assert!(chart.contains(">färre än 5 svar</text>"));
        assert!(chart.contains("A: 2025") && chart.contains("B: 2026"), "the legend says which is which");
    }

    #[test]
    fn long_labels_are_wrapped_for_svg() {
        assert_eq!(
            wrap("Hur nöjd eller missnöjd är du med stödet", 20),
            ["Hur nöjd eller", "missnöjd är du med", "stödet"]
        );
        assert_eq!(f(74.0), "74");
        assert_eq!(f(12.345), "12.35");
    }
}
