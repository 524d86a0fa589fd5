//! Charts drawn on the server as inline SVG: no JavaScript, no external
//! files, and always a text table beside them for screen readers.

use maud::{Markup, html};

/// One part of a stacked bar: a scale step and its share of n.
pub struct Segment<'a> {
    pub label: &'a str,
    /// Between 0 and 1.
    pub share: f64,
}

/// Colours for the steps of a scale, most positive first: blues for the
/// positive side, oranges for the negative, grey for a middle step. Chosen
/// to stay apart for the common kinds of colour blindness.
fn step_colours(steps: usize) -> Vec<&'static str> {
    const POSITIVE: [&str; 3] = ["#08519c", "#4a90c8", "#9ecae1"];
    const NEGATIVE: [&str; 3] = ["#fdae6b", "#e6550d", "#a63603"];
    let half = steps / 2;
    let mut colours: Vec<&str> = POSITIVE[..half.min(3)].to_vec();
    if steps % 2 == 1 {
        colours.push("#bdbdbd");
    }
    colours.extend_from_slice(&NEGATIVE[3 - half.min(3)..]);
    colours.resize(steps, "#636363");
    colours
}

/// A horizontal bar of the distribution over a scale's steps. The SVG is
/// one image with a `<title>`; the numbers are in the table next to it.
pub fn stacked_bar(title: &str, segments: &[Segment<'_>]) -> Markup {
    let colours = step_colours(segments.len());
    let mut start = 0.0;
    let placed: Vec<(f64, f64)> = segments
        .iter()
        .map(|segment| {
            let width = segment.share.clamp(0.0, 1.0) * 100.0;
            start += width;
            (start - width, width)
        })
        .collect();
    html! {
        svg.stacked-bar viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=(title) {
            title { (title) }
            @for ((segment, colour), (x, width)) in segments.iter().zip(&colours).zip(placed) {
                rect x=(format!("{x:.3}")) y="0" width=(format!("{width:.3}")) height="10" fill=(colour) {
                    title { (segment.label) ": " (percent(segment.share)) }
                }
            }
        }
        ul.legend aria-hidden="true" {
            @for (segment, colour) in segments.iter().zip(&colours) {
                li {
                    svg.swatch viewBox="0 0 10 10" { rect width="10" height="10" fill=(colour) {} }
                    (segment.label)
                }
            }
        }
    }
}

/// A single bar for one share, as in a ranking.
pub fn share_bar(title: &str, share: f64) -> Markup {
    let width = share.clamp(0.0, 1.0) * 100.0;
    html! {
        svg.share-bar viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=(title) {
            title { (title) }
            rect x="0" y="0" width="100" height="10" fill="#eeeeee" {}
            rect x="0" y="0" width=(format!("{width:.3}")) height="10" fill="#08519c" {}
        }
    }
}

/// A share as Swedish staff read it: "66,7 %".
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

/// A mean with a decimal comma: "3,25".
pub fn decimal(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_get_blue_positive_and_orange_negative_steps() {
        assert_eq!(step_colours(4), ["#08519c", "#4a90c8", "#e6550d", "#a63603"]);
        assert_eq!(step_colours(5), ["#08519c", "#4a90c8", "#bdbdbd", "#e6550d", "#a63603"]);
        assert_eq!(step_colours(2), ["#08519c", "#a63603"]);
    }

    #[test]
    fn figures_are_written_the_swedish_way() {
        assert_eq!(percent(2.0 / 3.0), "66,7 %");
        assert_eq!(decimal(3.25), "3,25");
    }

    #[test]
    fn a_bar_has_a_title_and_one_rectangle_per_step() {
        let bar = stacked_bar(
            "Hur nöjd",
            &[Segment { label: "Nöjd", share: 0.75 }, Segment { label: "Missnöjd", share: 0.25 }],
        )
        .into_string();
        assert!(bar.contains("<title>Hur nöjd</title>"));
        assert!(bar.contains(r#"x="0.000" y="0" width="75.000""#));
        assert!(bar.contains(r#"x="75.000" y="0" width="25.000""#));
    }
}
